"""The graph stage on small authored trees: cross-file resolution, bad input, determinism."""

import sqlite3

import pytest

from nanodex.graph.build import build_source_graph
from nanodex.graph.merge import merge_graphs
from nanodex.sources.repo import snapshot

FILES = {
    "pantry/__init__.py": "from .models import Item\n",
    "pantry/models.py": "class Item:\n    pass\n\n\ndef make_item(name):\n    return Item()\n",
    "pantry/store.py": (
        "from pantry.models import make_item\n\n\nclass Pantry(Item):\n"
        "    def add(self, name):\n        return make_item(name)\n"
    ),
    "web/api.ts": "export function fetchJson(u: string) { return u; }\n",
    "web/index.ts": 'import { fetchJson } from "./api";\nexport function go() { return fetchJson("x"); }\n',
    "cpp/inv.hpp": "struct Entry { int qty; };\n",
    "cpp/inv.cpp": '#include "inv.hpp"\nint total(Entry e) { return e.qty; }\n',
    "java/org/pantry/Storable.java": "package org.pantry;\npublic interface Storable { int capacity(); }\n",
    "java/org/pantry/Shelf.java": (
        "package org.pantry;\nimport org.pantry.Storable;\n"
        "public class Shelf implements Storable { public int capacity() { return 1; } }\n"
    ),
    "go/store/store.go": "package store\nfunc Open() int { return 1 }\n",
    "go/cmd/main.go": 'package main\nimport "example.com/pantry/store"\nfunc main() { store.Open() }\n',
    "nix/default.nix": "{ pkgs }: { pantry = pkgs.callPackage ./pantry.nix { }; cli = pkgs.callPackage ./cli { }; }\n",
    "nix/pantry.nix": '{ stdenv }: stdenv.mkDerivation { pname = "pantry"; version = "1"; }\n',
    "nix/cli/default.nix": '{ stdenv, pantry }: stdenv.mkDerivation { pname = "cli"; buildInputs = [ pantry ]; }\n',
}


def make_tree(root, files):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text if isinstance(text, bytes) else text.encode())


def build(tmp_path, files, name="t", **kw):
    src = tmp_path / f"src-{name}"
    make_tree(src, files)
    snapshot(name, {"path": str(src), "use_gitignore": False}, tmp_path / f"{name}.manifest.json")
    db = tmp_path / f"{name}.sqlite"
    report = build_source_graph(tmp_path / f"{name}.manifest.json", db, tmp_path / f"{name}.report.json", **kw)
    return db, report


def edges(db, kind):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT src, dst, resolution FROM edges WHERE kind = ? ORDER BY src, dst", (kind,)).fetchall()
    con.close()
    return rows


def test_cross_file_resolution(tmp_path):
    db, _ = build(tmp_path, FILES)
    assert ("t:pantry/store.py#Pantry.add", "t:pantry/models.py#make_item", "import") in edges(db, "calls")
    assert ("t:pantry/models.py#make_item", "t:pantry/models.py#Item", "scope") in edges(db, "calls")
    assert ("t:web/index.ts#go", "t:web/api.ts#fetchJson", "heuristic") in edges(db, "calls")
    assert edges(db, "extends") == []   # `Item` is not imported in store.py: Python never guesses
    imports = edges(db, "imports")
    assert ("t:pantry/__init__.py", "t:pantry/models.py", "exact") in imports
    assert ("t:pantry/store.py", "t:pantry/models.py", "heuristic") in imports
    assert ("t:web/index.ts", "t:web/api.ts", "exact") in imports
    assert ("t:cpp/inv.cpp", "t:cpp/inv.hpp", "exact") in imports
    assert ("t:java/org/pantry/Shelf.java", "t:java/org/pantry/Storable.java", "heuristic") in imports
    assert ("t:go/cmd/main.go", "t:go/store/store.go", "heuristic") in imports
    assert edges(db, "implements") == [
        ("t:java/org/pantry/Shelf.java#Shelf", "t:java/org/pantry/Storable.java#Storable", "heuristic")]
    assert ("t:go/cmd/main.go#main", "t:go/store/store.go#Open", "import") in edges(db, "calls")
    assert ("t:nix/default.nix", "t:nix/pantry.nix", "exact") in imports
    assert ("t:nix/default.nix", "t:nix/cli/default.nix", "exact") in imports
    assert edges(db, "depends_on") == [("t:nix/cli/default.nix#pkg:cli", "t:nix/cli/default.nix#arg:pantry", "exact")]
    assert ("t:nix/cli/default.nix#arg:pantry", "t:nix/pantry.nix#pkg:pantry", "heuristic") in edges(db, "resolves_to")


def test_ambiguous_names_stay_unresolved(tmp_path):
    files = {"a.c": "void run() {}\n", "b.c": "void run() {}\n", "c.c": "void go() { run(); }\n"}
    db, report = build(tmp_path, files)
    assert edges(db, "calls") == []
    assert report["refs"]["calls"] == {"unresolved": 1}


def test_bad_files_are_counted_listed_and_never_fatal(tmp_path):
    files = {
        "ok.py": "def fine():\n    return 1\n",
        "broken.py": "def fine2():\n    return 1\n\ndef broken(:\n",
        "latin1.py": "# caf\xe9\ndef f():\n    pass\n".encode("latin-1"),
        "blob.c": b"\x7fELF\x00\x00\x01binary",
        "huge.go": "package x\n" + "// pad\n" * 200,
        "bad.nix": "{ lib }: {\n  a = ;\n",
        "gone.rs": "fn main() {}\n",
    }
    src = tmp_path / "src-t"
    make_tree(src, files)
    snapshot("t", {"path": str(src), "use_gitignore": False}, tmp_path / "m.json")
    (src / "gone.rs").unlink()   # deleted between snapshot and graph: unreadable
    report = build_source_graph(tmp_path / "m.json", tmp_path / "g.sqlite", tmp_path / "r.json", max_file_bytes=1000)
    problems = {p["path"]: (p["status"], p["reason"].split(":")[0], p["line"]) for p in report["problems"]}
    assert problems == {
        "bad.nix": ("partial", "syntax_error", 1),   # the unclosed attrset starts there
        "blob.c": ("skipped", "binary", None),
        "broken.py": ("partial", "syntax_error", 4),
        "gone.rs": ("skipped", "unreadable", None),
        "huge.go": ("skipped", "too_large", None),
        "latin1.py": ("partial", "non_utf8", 1),
    }
    assert report["files"] == {"total": 7, "ok": 1, "partial": 3, "skipped": 3}
    assert report["reasons"] == {"binary": 1, "non_utf8": 1, "syntax_error": 2, "too_large": 1, "unreadable": 1}
    con = sqlite3.connect(tmp_path / "g.sqlite")
    names = {r[0] for r in con.execute("SELECT qualified_name FROM nodes WHERE kind = 'function'")}
    assert {"fine", "fine2", "f"} <= names   # partial files still give what parsed
    assert con.execute("SELECT status FROM files WHERE path = 'huge.go'").fetchone() == ("skipped",)


@pytest.mark.parametrize("workers", [1, 2])
def test_same_input_same_bytes(tmp_path, workers):
    files = {f"m{i}.py": f"def f{i}():\n    return f{i - 1}()\n" for i in range(300)} | FILES
    db1, _ = build(tmp_path, files, name="a", workers=workers)
    (tmp_path / "again").mkdir()
    db2, _ = build(tmp_path / "again", files, name="a", workers=1)
    assert db1.read_bytes() == db2.read_bytes()


def test_merge_links_sources(tmp_path):
    db_a, _ = build(tmp_path, {"cli/default.nix": '{ stdenv, pantry }: stdenv.mkDerivation { pname = "cli"; }\n'},
                    name="apps")
    db_b, _ = build(tmp_path, {"pantry.nix": '{ stdenv }: stdenv.mkDerivation { pname = "pantry"; }\n'},
                    name="pkgs")
    out = tmp_path / "graph.sqlite"
    report = merge_graphs([db_b, db_a], out, tmp_path / "graph.report.json")
    assert [s["source"] for s in report["sources"]] == ["apps", "pkgs"]
    assert edges(out, "resolves_to") == [("apps:cli/default.nix#arg:pantry", "pkgs:pantry.nix#pkg:pantry", "heuristic")]
    con = sqlite3.connect(out)
    assert con.execute("SELECT COUNT(*) FROM nodes").fetchone()[0] == report["nodes"]["total"]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
