"""nixpkgs: a local checkout, or one pinned commit's tarball (one request) -> a snapshot manifest.

The tarball is extracted safely: members with absolute paths or `..` that would leave the tree,
links that point outside it, and device files or pipes make the whole archive refused (Python's
`tarfile` data filter does the link and special-file checks). An archive must have exactly one
top-level folder (a second one would overwrite the first's files once stripped) and stay under the
limits on member count, unpacked size and expansion ratio (`archive_limits`), checked from the
headers before anything is written.

A download is verified before it is kept: gzip integrity read to the end (a download cut without
Content-Length, an HTML error page served with 200), and the sha256 when the config gives one; the
sha256 of what was kept is recorded next to it and checked on later runs, so a damaged or swapped
archive is fetched again instead of trusted. With GITHUB_TOKEN set, the commit's metadata (full sha,
date) is looked up with PyGithub; the token is never logged or written.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import posixpath
import tarfile
import time
import zlib
from pathlib import Path, PurePosixPath

from ..config import schema_default
from ..errors import SourceError
from ..io import atomic_dir, read_json, write_json_atomic
from .http import PoliteClient, redact
from .repo import snapshot as repo_snapshot

log = logging.getLogger(__name__)
DEFAULT_INCLUDE = ["pkgs/**", "nixos/modules/**", "lib/**"]   # (the schema's include default is [] for every kind)


def _default(key: str):
    """A source key's default: config/schema.yaml's (repo, tarball_url, archive_limits)."""
    return schema_default("sources", "*", key)


def include_globs(spec: dict) -> list[str]:
    """What a nixpkgs source takes (its snapshot and its fingerprint): `include`, or DEFAULT_INCLUDE."""
    return spec.get("include") or DEFAULT_INCLUDE


def _refuse(archive: str, name: str, why: str):
    raise SourceError(f"{archive}: member {name!r} {why}; refusing the archive")


def _check_member(m: tarfile.TarInfo, archive: str) -> str:
    """Path of a member inside the tree (the archive's top folder stripped), or raise."""
    name = m.name
    p = PurePosixPath(name)
    if name.startswith("/"):
        _refuse(archive, name, "has an absolute path")
    if ".." in p.parts:
        _refuse(archive, name, "leaves the tree (..)")
    if m.isdev() or m.isfifo():
        _refuse(archive, name, "is a device file or pipe")
    if m.issym() or m.islnk():
        if m.linkname.startswith("/"):
            _refuse(archive, name, f"links to an absolute path ({m.linkname})")
        # symlinks are relative to their folder, hard links to the archive root
        start = str(p.parent) if m.issym() else ""
        target = PurePosixPath(posixpath.normpath(posixpath.join(start, m.linkname)))
        if target.parts[:1] in (("..",), ()) or target.parts[:1] != p.parts[:1]:
            _refuse(archive, name, f"links outside the tree ({m.linkname})")
        if m.islnk():
            m.linkname = "/".join(target.parts[1:])
    return "/".join(p.parts[1:])


def limits_of(spec: dict | None) -> dict:
    """The archive limits of a source: its `archive_limits`, the schema's default for a missing or 0 one.
    (nixpkgs in 2026: ~55k members, ~45 MB compressed, ~400 MB unpacked, a ratio of ~9.)"""
    return {**_default("archive_limits"), **{k: v for k, v in ((spec or {}).get("archive_limits") or {}).items() if v}}


def _check_limits(tar: tarfile.TarFile, archive: str, limits: dict) -> list[tarfile.TarInfo]:
    """Read the headers only (nothing written yet) and refuse an archive over a limit."""
    members, total, tops = [], 0, set()
    size = max(os.path.getsize(archive), 1)
    for m in tar:
        members.append(m)
        if len(members) > limits["max_members"]:
            raise SourceError(f"{archive}: more than {limits['max_members']} members; refusing the archive "
                              "(raise archive_limits.max_members if this is expected)")
        total += m.size if m.isfile() else 0
        if total > limits["max_bytes"]:
            raise SourceError(f"{archive}: unpacks to more than {limits['max_bytes']} bytes; refusing the archive "
                              "(raise archive_limits.max_bytes if this is expected)")
        if total > size * limits["max_ratio"] and total > 1 << 16:   # tiny archives: ratio meaningless
            raise SourceError(f"{archive}: expands more than {limits['max_ratio']:g}x ({total} bytes from {size}); "
                              "refusing the archive (raise archive_limits.max_ratio if this is expected)")
        parts = PurePosixPath(m.name).parts
        if parts and parts[0] != "pax_global_header":
            tops.add(parts[0])
            if len(parts) == 1 and not m.isdir():
                raise SourceError(f"{archive}: member {m.name!r} is a file at the top level; expected exactly one "
                                  "top-level folder; refusing the archive")
    if len(tops) != 1:
        raise SourceError(f"{archive}: {len(tops)} top-level folders ({', '.join(sorted(tops)[:3])}); expected "
                          "exactly one; refusing the archive")
    return members


def extract_tarball(archive: str | Path, dest: str | Path, limits: dict | None = None) -> int:
    """Extract `archive` (its single top folder stripped) into `dest`, replacing it whole."""
    dest = Path(dest)
    n = 0
    with atomic_dir(dest) as tmp:
        try:
            with tarfile.open(archive, "r:*") as tar:
                members = []
                for m in _check_limits(tar, str(archive), limits or limits_of(None)):
                    if m.type == tarfile.XGLTYPE:
                        continue
                    rel = _check_member(m, str(archive))
                    if not rel:
                        continue
                    m.name = rel
                    members.append(m)
                try:
                    tar.extractall(tmp, members=members, filter="data")
                except tarfile.FilterError as exc:
                    raise SourceError(f"{archive}: {exc}; refusing the archive") from None
                n = sum(1 for m in members if m.isfile())
        except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            raise SourceError(f"{archive}: not a readable tar archive ({exc}); delete it and run again") from None
    return n


def verify_archive(path: Path, url: str, want_sha256: str = "") -> str:
    """Gzip integrity (read to the end: CRC and length), then the sha256 if one is wanted; a bad
    download is deleted and refused in one line. Returns the sha256."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        head = fh.read(2)
    if head != b"\x1f\x8b":
        path.unlink(missing_ok=True)
        raise SourceError(f"{redact(url)}: the download is not a gzip archive (starts {head!r}; an error page?); "
                          "check tarball_url and rev, then run again")
    try:
        with open(path, "rb") as raw, gzip.open(path, "rb") as gz:
            while gz.read(1 << 20):
                pass
            while block := raw.read(1 << 20):
                h.update(block)
    except (EOFError, OSError, zlib.error) as exc:
        path.unlink(missing_ok=True)
        raise SourceError(f"{redact(url)}: the download is damaged or cut short ({exc}); run again") from None
    digest = h.hexdigest()
    if want_sha256 and digest != want_sha256:
        path.unlink(missing_ok=True)
        raise SourceError(f"{redact(url)}: sha256 {digest} does not match the config's sha256 {want_sha256}; "
                          "check rev and sha256")
    return digest


def _kept_archive_ok(archive: Path, record: Path, want: str) -> bool:
    """A kept archive is used again only if its sha256 matches what was recorded (and the config's)."""
    recorded = read_json(record).get("sha256") if record.exists() else None
    h = hashlib.sha256()
    with open(archive, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    digest = h.hexdigest()
    if (recorded and digest != recorded) or (want and digest != want) or not recorded:
        log.warning("%s: sha256 %s does not match the recorded %s; downloading it again", archive, digest,
                    recorded or "(none recorded)")
        return False
    return True


def commit_metadata(repo: str, rev: str, api_url: str | None = None) -> dict | None:
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        return None
    from github import Auth, Github, GithubException

    kw = {"base_url": api_url} if api_url else {}
    gh = Github(auth=Auth.Token(token), retry=3, timeout=30, **kw)
    try:
        c = gh.get_repo(repo).get_commit(rev)
        return {"sha": c.sha, "date": c.commit.committer.date.isoformat() if c.commit.committer else None}
    except GithubException as exc:
        raise SourceError(f"GitHub API: commit {rev} of {repo} not found or not readable "
                          f"(HTTP {exc.status})") from None
    finally:
        gh.close()


def snapshot_nixpkgs(source: str, spec: dict, out_manifest: str | Path, client: PoliteClient | None = None,
                     workdir: str | Path = ".") -> dict:
    t0 = time.perf_counter()
    out_manifest = Path(out_manifest)
    spec = {**spec, "include": include_globs(spec)}
    if spec.get("path"):
        return repo_snapshot(source, {**spec, "kind": "repo"}, out_manifest, workdir)
    repo, rev = spec.get("repo") or _default("repo"), spec["rev"]
    meta = commit_metadata(repo, rev, spec.get("github_api") or None)
    url = (spec.get("tarball_url") or _default("tarball_url")).format(repo=repo, rev=rev)
    archive = out_manifest.parent / f"{rev}.tar.gz"
    archive.parent.mkdir(parents=True, exist_ok=True)
    own = client is None
    client = client or PoliteClient(spec.get("rate_limit", 1.0))
    limits = limits_of(spec)
    want = (spec.get("sha256") or "").lower()
    record = archive.with_name(archive.name + ".sha256.json")
    try:
        if archive.exists() and not _kept_archive_ok(archive, record, want):
            archive.unlink()
        if not archive.exists():
            part = archive.with_name(archive.name + ".partial")
            nbytes = client.download(url, part, max_bytes=limits["max_download_bytes"])
            digest = verify_archive(part, url, want)
            os.replace(part, archive)
            write_json_atomic(record, {"sha256": digest, "bytes": nbytes, "url": redact(url)})
            log.info("downloaded %s (%.1f MB, sha256 %s)", redact(url), nbytes / 1e6, digest)
    finally:
        if own:
            client.close()
    tree = out_manifest.parent / "tree"
    n = extract_tarball(archive, tree, limits)
    manifest = repo_snapshot(source, {**spec, "kind": "repo", "path": str(tree.resolve()), "use_gitignore": False},
                             out_manifest, workdir)
    manifest.update(rev=(meta or {}).get("sha") or rev, url=redact(url),
                    sha256=read_json(record).get("sha256") if record.exists() else None,
                    commit_date=(meta or {}).get("date"),
                    kind="nixpkgs", extracted_files=n)
    write_json_atomic(out_manifest, manifest)
    log.info("nixpkgs %s at %s: %d files extracted in %.1fs", source, rev, n, time.perf_counter() - t0)
    return manifest
