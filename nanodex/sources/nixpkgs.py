"""nixpkgs: a local checkout, or one pinned commit's tarball (one request) -> a snapshot manifest.

The tarball is extracted safely: members with absolute paths or `..` that would leave the tree,
links that point outside it, and device files or pipes make the whole archive refused (Python's
`tarfile` data filter does the link and special-file checks). With GITHUB_TOKEN set, the commit's
metadata (full sha, date) is looked up with PyGithub; the token is never logged or written.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import tarfile
import time
from pathlib import Path, PurePosixPath

from ..errors import SourceError
from ..io import write_json_atomic
from .http import PoliteClient
from .repo import snapshot as repo_snapshot

log = logging.getLogger(__name__)
DEFAULT_TARBALL = "https://github.com/{repo}/archive/{rev}.tar.gz"
DEFAULT_INCLUDE = ["pkgs/**", "nixos/modules/**", "lib/**"]


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


def extract_tarball(archive: str | Path, dest: str | Path) -> int:
    """Extract `archive` (its single top folder stripped) into `dest`, replacing it whole."""
    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    n = 0
    try:
        with tarfile.open(archive, "r:*") as tar:
            members = []
            for m in tar.getmembers():
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
    except tarfile.TarError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SourceError(f"{archive}: not a readable tar archive ({exc})") from None
    except SourceError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(dest, ignore_errors=True)
    os.replace(tmp, dest)
    return n


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
    spec = {**spec, "include": spec.get("include") or DEFAULT_INCLUDE}
    if spec.get("path"):
        return repo_snapshot(source, {**spec, "kind": "repo"}, out_manifest, workdir)
    repo, rev = spec.get("repo") or "NixOS/nixpkgs", spec["rev"]
    meta = commit_metadata(repo, rev, spec.get("github_api") or None)
    url = (spec.get("tarball_url") or DEFAULT_TARBALL).format(repo=repo, rev=rev)
    archive = out_manifest.parent / f"{rev}.tar.gz"
    archive.parent.mkdir(parents=True, exist_ok=True)
    own = client is None
    client = client or PoliteClient(spec.get("rate_limit", 1.0))
    try:
        if not archive.exists():
            part = archive.with_name(archive.name + ".partial")
            nbytes = client.download(url, part)
            os.replace(part, archive)
            log.info("downloaded %s (%.1f MB)", url, nbytes / 1e6)
    finally:
        if own:
            client.close()
    tree = out_manifest.parent / "tree"
    n = extract_tarball(archive, tree)
    manifest = repo_snapshot(source, {**spec, "kind": "repo", "path": str(tree.resolve()), "use_gitignore": False},
                             out_manifest, workdir)
    manifest.update(rev=(meta or {}).get("sha") or rev, url=url, commit_date=(meta or {}).get("date"),
                    kind="nixpkgs", extracted_files=n)
    write_json_atomic(out_manifest, manifest)
    log.info("nixpkgs %s at %s: %d files extracted in %.1fs", source, rev, n, time.perf_counter() - t0)
    return manifest
