"""Start again after a kill: remove the lock a dead Snakemake run left, never a live run's.

Snakemake locks the working directory while it runs (.snakemake/locks/); a run killed with SIGKILL
(or a lost SSH session, an OOM kill) cannot remove its lock, and the next run stops with "Directory
cannot be locked" until `snakemake --unlock`. `make train` runs this first: when the directory is
locked and no Snakemake process works in it, the lock is stale and is removed (what `--unlock`
does); when one does, it says so and stops. Outputs the killed run left half-written are marked
incomplete by Snakemake and re-made by the `--rerun-incomplete` the Makefile passes.

    python -m nanodex.recover [WORKDIR]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import NanodexError


def lock_files(workdir: str | Path) -> list[Path]:
    locks = Path(workdir) / ".snakemake" / "locks"
    return sorted(p for p in locks.iterdir() if p.is_file()) if locks.is_dir() else []


def _is_snakemake(argv: list[str]) -> bool:
    # `snakemake ...`, `.venv/bin/snakemake ...`, `python -m snakemake ...`
    head = [os.path.basename(a) for a in argv[:3]]
    return "snakemake" in head or any(a == "-m" and b == "snakemake" for a, b in zip(argv, argv[1:], strict=False))


def _workdir_of(pid: str, argv: list[str]) -> str | None:
    for flag in ("--directory", "-d"):
        if flag in argv[:-1]:
            path = argv[argv.index(flag) + 1]
            try:
                base = os.readlink(f"/proc/{pid}/cwd")
            except OSError:
                return None
            return os.path.realpath(os.path.join(base, path))
    try:
        return os.path.realpath(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        return None


def live_snakemake(workdir: str | Path) -> list[int] | None:
    """Process ids of Snakemake runs working in `workdir`; None where processes cannot be listed."""
    if not Path("/proc/self/cmdline").exists():
        return None
    target = os.path.realpath(workdir)
    own = {os.getpid(), os.getppid()}
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in own:
            continue
        try:
            argv = [a.decode("utf-8", "replace") for a in (entry / "cmdline").read_bytes().split(b"\0") if a]
        except OSError:
            continue
        if argv and _is_snakemake(argv) and _workdir_of(entry.name, argv) == target:
            found.append(int(entry.name))
    return sorted(found)


def recover(workdir: str | Path = ".") -> list[Path]:
    """Remove a stale Snakemake lock in `workdir`; return the files removed (none when unlocked).
    Raises NanodexError when a live run holds the lock or processes cannot be listed."""
    locks = lock_files(workdir)
    if not locks:
        return []
    live = live_snakemake(workdir)
    if live is None:
        raise NanodexError(f"{Path(workdir).resolve()}/.snakemake/locks: locked, and this system lists no processes "
                           "to tell whether a run is alive; if none is, run `snakemake --unlock` and start again")
    if live:
        raise NanodexError(f"{Path(workdir).resolve()}: a Snakemake run (pid {', '.join(map(str, live))}) works here; "
                           "wait for it to end or stop it, then start again")
    for p in locks:
        p.unlink(missing_ok=True)
    return locks


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    workdir = args[0] if args else "."
    try:
        removed = recover(workdir)
    except NanodexError as exc:
        print(f"nanodex: {exc}", file=sys.stderr)
        return 1
    if removed:
        print(f"nanodex: removed the stale lock of a killed run ({len(removed)} files in "
              f"{Path(workdir).resolve()}/.snakemake/locks); incomplete outputs are re-made", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
