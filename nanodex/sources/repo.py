"""`kind: repo` sources: a local directory, or a git URL pinned to a rev.

The snapshot is a manifest (data/raw/<source>/manifest.json): the root it was taken from, the rev
when known, and every candidate file with its size, language and content hash.
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import logging
import os
import re
import stat
import subprocess
import time
from collections import Counter
from pathlib import Path

from ..errors import SourceError
from ..graph.languages import language_for
from ..io import atomic_dir, sha256_file, write_json_atomic

log = logging.getLogger(__name__)

# Never source code, whatever the config says: VCS data, caches and environments.
ALWAYS_EXCLUDED_DIRS = {".git", ".hg", ".svn", "__pycache__", ".snakemake", ".venv", "venv",
                        "node_modules", ".pytest_cache", ".mypy_cache", ".tox", ".direnv"}


def _match(rel: str, patterns: list[str]) -> bool:
    for pat in patterns:
        p = pat.rstrip("/")
        if fnmatch.fnmatchcase(rel, p) or rel == p or rel.startswith(p + "/"):
            return True
    return False


def _git_listing(root: Path, untracked: bool = False,
                 left_out: list[dict] | None = None) -> list[str] | None:
    """Files git lists under `root` (None outside a work tree): the tracked ones, plus with
    `untracked` the untracked ones .gitignore does not exclude."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    cmd = ["git", "-C", str(root), "-c", "core.quotePath=false", "ls-files", "-z", "--cached"]
    if untracked:
        cmd += ["--others", "--exclude-standard"]
    proc = subprocess.run([*cmd, "--full-name", "."], capture_output=True, check=True)
    if left_out is not None:
        # git skips a folder it cannot open with a warning on stderr and exit 0: count it
        for line in proc.stderr.decode("utf-8", "replace").splitlines():
            m = re.search(r"could not open directory '(.*?)/?': (.*)$", line)
            if m:
                left_out.append({"path": m.group(1), "reason": f"unreadable_folder: {m.group(2)}"})
    names = [n.decode("utf-8", "surrogateescape") for n in proc.stdout.split(b"\0") if n]
    return [n[len(top):] if top and n.startswith(top) else n for n in names]


def printable(name: str) -> str:
    """A file name fit for JSON and logs: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _special(full: Path) -> str | None:
    """Why a listed path is not read as a file (None for a regular file). Never opens it: a FIFO
    would block the reader, a device could be endless."""
    try:
        st = os.lstat(full)
    except FileNotFoundError:
        return "vanished"             # tracked by git, deleted in the work tree
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        try:
            os.stat(full)
        except OSError as exc:
            return "symlink_loop" if exc.errno == errno.ELOOP else "broken_symlink"
        return "symlink (not followed)"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISDIR(mode):
        return "folder (git submodule, not followed)"
    return "not_a_regular_file"


def list_files(root: str | Path, include: list[str] = (), exclude: list[str] = (),
               use_gitignore: bool = True, languages: list[str] | None = None, untracked: bool = False,
               left_out: list[dict] | None = None) -> list[tuple[str, str]]:
    """Sorted (relative path, language) of the files a source offers to the graph stage.

    What is left out for being unfit (a name that is not UTF-8, a FIFO, socket or device, a symlink,
    a symlink loop, an unreadable folder) is appended to `left_out` as {"path", "reason"}; files the
    config leaves out (include/exclude, unknown language) are not."""
    root = Path(root)
    if not root.is_dir():
        raise SourceError(f"{root}: source path is not a directory; expected a folder holding the source tree")
    langs = set(languages) if languages else None
    bad = left_out if left_out is not None else []
    names = _git_listing(root, untracked, bad) if use_gitignore else None
    if names is None:
        names = []

        def unreadable(exc: OSError):
            rel = os.path.relpath(exc.filename, root) if exc.filename else "?"
            bad.append({"path": printable(rel), "reason": f"unreadable_folder: {exc.strerror}"})

        for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
            rel_dir = os.path.relpath(dirpath, root)
            rel_dir = "" if rel_dir == "." else rel_dir + "/"
            keep = []
            for d in dirnames:
                if d in ALWAYS_EXCLUDED_DIRS or _match(rel_dir + d, list(exclude)):
                    continue
                if os.path.islink(os.path.join(dirpath, d)):
                    filenames.append(d)    # os.walk does not follow it; counted below as a symlink
                else:
                    keep.append(d)
            dirnames[:] = keep
            names.extend(rel_dir + f for f in filenames)
    out = []
    for rel in names:
        parts = rel.split("/")
        if any(p in ALWAYS_EXCLUDED_DIRS for p in parts[:-1]):
            continue
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            bad.append({"path": printable(rel), "reason": "non_utf8_name"})
            continue
        if include and not _match(rel, list(include)):
            continue
        if exclude and _match(rel, list(exclude)):
            continue
        why = _special(root / rel)
        if why == "vanished":
            continue
        if why:
            bad.append({"path": rel, "reason": why})
            continue
        lang = language_for(rel)
        if lang is None or (langs is not None and lang not in langs):
            continue
        out.append((rel, lang))
    out.sort()
    bad.sort(key=lambda e: (e["path"], e["reason"]))
    return out


def tree_fingerprint(root: str | Path, include=(), exclude=(), use_gitignore=True, untracked=False) -> str:
    """Cheap change detector (names, sizes, mtimes) used as a Snakemake param: any edit,
    touch, new or deleted file changes it, so the snapshot re-runs exactly when the tree changed."""
    h = hashlib.blake2b(digest_size=16)
    root = Path(root)
    try:
        files = list_files(root, include, exclude, use_gitignore, untracked=untracked)
    except SourceError:
        return "missing"
    for rel, _ in files:
        try:
            st = (root / rel).stat()
        except OSError:
            continue
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def checkout_git(url: str, rev: str, dest: Path) -> str:
    """Clone `url` at `rev` into `dest` (replacing it whole); return the resolved commit."""
    step = "clone"
    with atomic_dir(dest) as tmp:   # git clones into the empty folder
        try:
            subprocess.run(["git", "clone", "--quiet", "--no-checkout", url, str(tmp)],
                           check=True, capture_output=True, text=True, timeout=3600)
            step = "rev-parse"
            commit = subprocess.run(["git", "-C", str(tmp), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                                    check=True, capture_output=True, text=True).stdout.strip()
            step = "checkout"
            subprocess.run(["git", "-C", str(tmp), "checkout", "--quiet", "--detach", commit],
                           check=True, capture_output=True, text=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            msg = (getattr(exc, "stderr", "") or "").strip().splitlines()
            why = msg[-1] if msg else ("no such commit or tag" if step == "rev-parse" else str(exc))
            raise SourceError(f"git {step} of {url} at rev {rev!r} failed: {why}") from None
    return commit


def snapshot(source: str, spec: dict, out_manifest: str | Path, workdir: str | Path = ".") -> dict:
    """Write the manifest of one repo source; return it."""
    t0 = time.perf_counter()
    out_manifest = Path(out_manifest)
    rev = None
    if spec.get("path"):
        root = (Path(workdir) / spec["path"]).resolve()
        rev = _git_head(root)
    else:
        root = (out_manifest.parent / "checkout").resolve()
        rev = checkout_git(spec["url"], spec["rev"], root)
    left_out: list[dict] = []
    files = list_files(root, spec.get("include", []), spec.get("exclude", []), spec.get("use_gitignore", True),
                       untracked=spec.get("untracked", False), left_out=left_out)
    entries = []
    for rel, lang in files:
        p = root / rel
        try:
            entries.append({"path": rel, "lang": lang, "size": p.stat().st_size, "sha256": sha256_file(p)})
        except OSError as exc:
            entries.append({"path": rel, "lang": lang, "size": None, "sha256": None,
                            "error": f"unreadable: {exc.strerror}"})
    manifest = {
        "source": source,
        "kind": "repo",
        "root": str(root),
        "url": spec.get("url") or None,
        "rev": rev,
        "files": entries,
        "counts": {"files": len(entries), "bytes": sum(e["size"] or 0 for e in entries),
                   "left_out": dict(sorted(Counter(e["reason"].split(":")[0] for e in left_out).items()))},
        "left_out": left_out,
    }
    write_json_atomic(out_manifest, manifest)
    log.info("snapshot %s: %d files, %.1f MB from %s in %.2fs", source, len(entries),
             manifest["counts"]["bytes"] / 1e6, root, time.perf_counter() - t0)
    for reason, n in manifest["counts"]["left_out"].items():
        log.warning("snapshot %s: %d left out (%s), listed in %s", source, n, reason, out_manifest)
    return manifest


def _git_head(root: Path) -> str | None:
    try:
        r = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel", "HEAD"],
                           capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    lines = r.stdout.split()
    # Only report a rev for the repo the source itself lives in.
    return lines[1] if len(lines) == 2 else None
