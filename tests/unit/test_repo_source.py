import hashlib
import os
import signal
import socket

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
    # tracked only by default: a scratch file dropped in the checkout changes nothing
    assert list_files(tmp_path) == [("a.py", "python")]
    f0 = tree_fingerprint(tmp_path)
    make(tmp_path, {"scratch.py": "print(1)\n"})
    assert tree_fingerprint(tmp_path) == f0
    # untracked: true adds the untracked-not-ignored, never the ignored
    assert list_files(tmp_path, untracked=True) == [("a.py", "python"), ("new.go", "go"), ("scratch.py", "python")]
    assert tree_fingerprint(tmp_path, untracked=True) != f0


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


def _bad_tree(root):
    """A tree with every kind of unfit entry next to two good files."""
    make(root, {"good.py": "x = 1\n", "sub/ok.nix": "{ }\n", "locked/inner.py": "y = 2\n"})
    fd = os.open(os.path.join(os.fsencode(root), b"bad-\xff-name.py"), os.O_CREAT | os.O_WRONLY)
    os.write(fd, b"z = 3\n")
    os.close(fd)
    os.mkfifo(root / "pipe.py")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(root / "s.py"))
    os.symlink("loop.py", root / "loop.py")             # a symlink loop
    os.symlink(".", root / "sub/again")                 # a folder loop
    os.symlink("good.py", root / "alias.py")            # a plain symlink, not followed
    os.symlink("missing.py", root / "dangling.py")
    (root / "locked").chmod(0)
    return sock


# root reads a chmod 0 folder: there the unreadable folder is read, and not counted
AS_ROOT = os.geteuid() == 0


EXPECTED_LEFT_OUT = [
    {"path": "alias.py", "reason": "symlink (not followed)"},
    {"path": "bad-\\xff-name.py", "reason": "non_utf8_name"},
    {"path": "dangling.py", "reason": "broken_symlink"},
    {"path": "locked", "reason": "unreadable_folder: Permission denied"},
    {"path": "loop.py", "reason": "symlink_loop"},
    {"path": "pipe.py", "reason": "fifo"},
    {"path": "s.py", "reason": "socket"},
    {"path": "sub/again", "reason": "symlink (not followed)"},
]


def test_bad_files_are_counted_never_fatal(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    sock = _bad_tree(src)
    expected = [e for e in EXPECTED_LEFT_OUT if not (AS_ROOT and e["path"] == "locked")]
    good = [("good.py", "python"), *([("locked/inner.py", "python")] if AS_ROOT else []), ("sub/ok.nix", "nix")]
    counts = {"broken_symlink": 1, "fifo": 1, "non_utf8_name": 1, "socket": 1, "symlink (not followed)": 2,
              "symlink_loop": 1, **({} if AS_ROOT else {"unreadable_folder": 1})}
    try:
        left_out = []
        assert list_files(src, use_gitignore=False, left_out=left_out) == good
        assert left_out == expected
        m = snapshot("demo", {"path": str(src), "use_gitignore": False}, tmp_path / "out/manifest.json")
        assert [f["path"] for f in m["files"]] == [p for p, _ in good]
        assert m["left_out"] == expected
        assert m["counts"]["left_out"] == counts
        assert orjson.loads((tmp_path / "out/manifest.json").read_bytes()) == m
    finally:
        (src / "locked").chmod(0o755)
        sock.close()


def test_git_listing_counts_a_fifo_in_place_of_a_tracked_file(tmp_path):
    make(tmp_path, {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    git("init", "-q", cwd=tmp_path)
    git("add", ".", cwd=tmp_path)
    (tmp_path / "b.py").unlink()
    os.mkfifo(tmp_path / "b.py")
    left_out = []
    assert list_files(tmp_path, left_out=left_out) == [("a.py", "python")]
    assert left_out == [{"path": "b.py", "reason": "fifo"}]


def test_extract_never_opens_a_fifo_and_decodes_utf16(tmp_path):
    from nanodex.graph.extract import extract_bytes, extract_file
    os.mkfifo(tmp_path / "p.py")
    signal.alarm(10)   # a blocking open would hang here
    try:
        res = extract_file(str(tmp_path), "p.py", "python", "demo", 1_000_000)
    finally:
        signal.alarm(0)
    assert (res.status, res.reason) == ("skipped", "not_a_regular_file")
    code = "def greet(name):\n    \"\"\"Say hello.\"\"\"\n    return 'hi ' + name\n"
    for codec in ("utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"):
        data = code.encode(codec)
        if codec.endswith("-be"):
            data = ("\ufeff" + code).encode(codec)
        res = extract_bytes(data, "python", "demo", "g.py")
        assert res.status == "ok", codec
        assert "greet" in str(res.nodes), codec
