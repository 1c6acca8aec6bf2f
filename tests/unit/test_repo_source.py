import hashlib
import os

import orjson
import pytest
from conftest import git

from nanodex.errors import SourceError
from nanodex.sources.repo import list_files, snapshot, tree_fingerprint


def make(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_listing_excludes_and_languages(tmp_path):
    make(tmp_path, {"a.py": "", "b/c.nix": "", "README.md": "", "node_modules/x.js": "", "data/out.py": "",
                    "web/app.tsx": ""})
    assert list_files(tmp_path, exclude=["data/"], use_gitignore=False) == [
        ("a.py", "python"), ("b/c.nix", "nix"), ("web/app.tsx", "tsx")]
    assert list_files(tmp_path, include=["b/**"], use_gitignore=False) == [("b/c.nix", "nix")]


def test_git_work_tree_obeys_gitignore(tmp_path):
    make(tmp_path, {"a.py": "", "gen/b.py": "", ".gitignore": "gen/\n", "new.go": ""})
    git("init", "-q", cwd=tmp_path)
    git("add", "a.py", ".gitignore", cwd=tmp_path)
    # tracked + untracked-not-ignored, never the ignored
    assert list_files(tmp_path) == [("a.py", "python"), ("new.go", "go")]


def test_fingerprint_changes_on_touch_add_delete(tmp_path):
    make(tmp_path, {"a.py": "x = 1\n"})
    f0 = tree_fingerprint(tmp_path, use_gitignore=False)
    assert tree_fingerprint(tmp_path, use_gitignore=False) == f0
    st = (tmp_path / "a.py").stat()
    os.utime(tmp_path / "a.py", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    f1 = tree_fingerprint(tmp_path, use_gitignore=False)
    assert f1 != f0
    make(tmp_path, {"b.py": ""})
    f2 = tree_fingerprint(tmp_path, use_gitignore=False)
    assert f2 != f1
    (tmp_path / "b.py").unlink()
    assert tree_fingerprint(tmp_path, use_gitignore=False) == f1


def test_snapshot_manifest(tmp_path):
    make(tmp_path / "src", {"a.py": "x = 1\n", "notes.txt": "skip"})
    m = snapshot("demo", {"path": str(tmp_path / "src"), "use_gitignore": False}, tmp_path / "out/manifest.json")
    assert m["files"] == [{"path": "a.py", "lang": "python", "size": 6,
                           "sha256": hashlib.sha256(b"x = 1\n").hexdigest()}]
    on_disk = orjson.loads((tmp_path / "out/manifest.json").read_bytes())
    assert on_disk == m
    assert not [p for p in (tmp_path / "out").iterdir() if p.name != "manifest.json"]   # no temp left


def test_snapshot_from_git_url_pinned_rev(tmp_path):
    repo = tmp_path / "upstream"
    make(repo, {"a.py": "v = 1\n"})
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "one", cwd=repo)
    rev1 = git("rev-parse", "HEAD", cwd=repo).strip()
    make(repo, {"b.py": "w = 2\n"})
    git("add", ".", cwd=repo)
    git("commit", "-qm", "two", cwd=repo)
    out = tmp_path / "raw/up/manifest.json"
    m = snapshot("up", {"url": f"file://{repo}", "rev": rev1}, out)
    assert m["rev"] == rev1
    assert [f["path"] for f in m["files"]] == ["a.py"]
    assert (tmp_path / "raw/up/checkout/a.py").read_text() == "v = 1\n"


def test_snapshot_bad_rev_and_missing_path(tmp_path):
    repo = tmp_path / "upstream"
    make(repo, {"a.py": ""})
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "one", cwd=repo)
    with pytest.raises(SourceError, match=r"git rev-parse of file://.* at rev 'nope' failed: no such commit or tag"):
        snapshot("up", {"url": f"file://{repo}", "rev": "nope"}, tmp_path / "raw/up/manifest.json")
    assert not (tmp_path / "raw/up/manifest.json").exists()
    with pytest.raises(SourceError, match=r"missing-dir: source path is not a directory"):
        snapshot("x", {"path": str(tmp_path / "missing-dir")}, tmp_path / "raw/x/manifest.json")
