"""The authored Nix demo corpus (data/demo/nix, data/demo/dumps) and the eval's authored sets (config/eval).

Read with the real components: tree-sitter-nix and nanodex's Nix extractor for the package and module
files, the dump graph builders and the options normaliser for the dumps.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from functools import cache
from pathlib import Path

import orjson
import pytest
import tree_sitter as ts
from conftest import ROOT

from nanodex.graph.dumps import build_discourse_graph, build_wiki_graph, module_path
from nanodex.graph.extract import extract_bytes, first_error
from nanodex.graph.languages import parser
from nanodex.sources.discourse import POST_FIELDS, TOPIC_FIELDS
from nanodex.sources.options import normalise

NIX = ROOT / "data/demo/nix"
DUMPS = ROOT / "data/demo/dumps"
EVAL = ROOT / "config/eval"
PACKAGE_FILES = sorted((NIX / "pkgs").rglob("*.nix"))
MODULE_FILES = sorted((NIX / "nixos/modules").rglob("*.nix"))
BUILDERS = ("stdenv.mkDerivation", "buildGoModule", "rustPlatform.buildRustPackage",
            "python3Packages.buildPythonApplication", "buildNpmPackage", "writeShellApplication")
FETCHERS = ("fetchFromGitHub", "fetchurl", "fetchPypi", "fetchCrate")


def rel(path: Path) -> str:
    return path.relative_to(NIX).as_posix()


def callee(node: ts.Node) -> str:
    while node.type == "apply_expression":
        node = node.child_by_field_name("function")
    return node.text.decode()


def body(tree: ts.Tree) -> ts.Node:
    """The expression a package file's function returns (`{ ... }: <body>`)."""
    node = next(c for c in tree.root_node.named_children if c.type != "comment")
    while node.type == "function_expression":
        node = node.child_by_field_name("body")
    return node


def string_binding(node: ts.Node, name: str) -> str | None:
    """The string value of `name = "...";` among the top-level bindings of the builder's attrset."""
    for b in node.children:
        if b.type == "binding" and b.child_by_field_name("attrpath").text.decode() == name:
            e = b.child_by_field_name("expression")
            return e.text.decode()[1:-1] if e.type == "string_expression" else None
        found = string_binding(b, name) if b.type in ("binding_set", "attrset_expression", "rec_attrset_expression",
                                                       "function_expression", "parenthesized_expression") else None
        if found is not None:
            return found
    return None


@cache
def package_facts(path: Path) -> dict:
    tree = parser("nix").parse(path.read_bytes())
    call = body(tree)
    fetchers = set()
    stack = [call]
    while stack:
        n = stack.pop()
        if n.type == "apply_expression" and callee(n) in FETCHERS:
            fetchers.add(callee(n))
        stack.extend(n.named_children)
    name = string_binding(call, "pname") or string_binding(call, "name")
    return {"builder": callee(call), "fetchers": fetchers, "name": name, "text": path.read_text()}


@cache
def extracted(path: Path):
    return extract_bytes(path.read_bytes(), "nix", "nixpkgs", rel(path))


# -- package files --------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PACKAGE_FILES + MODULE_FILES, ids=rel)
def test_every_nix_file_parses_without_errors(path):
    tree = parser("nix").parse(path.read_bytes())
    assert first_error(tree, "nix") is None, f"{rel(path)}: syntax error"


def test_package_files_cover_the_real_builders_and_fetchers():
    facts = [package_facts(p) for p in PACKAGE_FILES]
    assert len(facts) >= 40
    builders = Counter(f["builder"] for f in facts)
    assert set(builders) == set(BUILDERS)
    assert min(builders.values()) >= 5, builders
    fetchers = Counter(x for f in facts for x in f["fetchers"])
    assert set(fetchers) == set(FETCHERS) and min(fetchers.values()) >= 3, fetchers
    # writeShellApplication takes no src; every other package fetches one
    assert all(f["fetchers"] for f in facts if f["builder"] != "writeShellApplication")


def test_packages_live_at_by_name_paths_with_unique_names_and_meta():
    names = []
    for path in PACKAGE_FILES:
        f = package_facts(path)
        parts = rel(path).split("/")
        if parts[:2] == ["pkgs", "by-name"]:
            assert parts[2] == f["name"][:2] and parts[3] == f["name"] and parts[4] == "package.nix", rel(path)
        names.append(f["name"])
        for key in ("description", "license", "homepage"):
            assert re.search(rf"^\s+{key} = ", f["text"], re.M), f"{rel(path)}: meta.{key} missing"
    assert len(names) == len(set(names)), [n for n, k in Counter(names).items() if k > 1]


def test_the_extractor_reads_versions_sources_and_dependencies():
    """What downstream generators rely on, on a few files of each builder (writeShellApplication is not
    a package to the extractor yet: see test_write_shell_applications_are_not_packages_yet)."""
    pkgs = {}
    for path in PACKAGE_FILES:
        for n in extracted(path).nodes:
            if n[2] == "package":
                pkgs[n[3]] = json.loads(n[11])
    assert len(pkgs) >= 40
    assert pkgs["tarnwick"]["version"] == "0.9.4" and pkgs["tarnwick"]["builder"] == "stdenv.mkDerivation"
    assert pkgs["tarnwick"]["inputs"]["buildInputs"] == ["libuv", "openssl", "libcap"]
    assert pkgs["brindle-sync"]["src"]["fetcher"] == "fetchFromGitHub"
    assert pkgs["brindle-sync"]["src"]["args"]["owner"] == "brindle-sync"
    assert pkgs["vexsh"]["src"]["fetcher"] == "fetchCrate" and pkgs["vexsh"]["meta"]["license"] == "mit"
    assert pkgs["larkspur-notes"]["src"]["args"]["pname"] == "larkspur_notes"
    assert pkgs["larkspur-notes"]["inputs"]["dependencies"] == ["python3Packages.click", "python3Packages.rich",
                                                                "python3Packages.platformdirs"]
    assert pkgs["gullwing-cli"]["builder"] == "buildNpmPackage"
    assert pkgs["sablegrep"]["meta"]["license"] == ["mit", "unlicense"]


def test_write_shell_applications_are_packages():
    """`writeShellApplication { name = ...; }` is a package whose builder is writeShellApplication."""
    path = NIX / "pkgs/by-name/sw/sweepgen/package.nix"
    pkgs = [n for n in extracted(path).nodes if n[2] == "package"]
    assert len(pkgs) == 1 and json.loads(pkgs[0][11])["builder"] == "writeShellApplication"


# -- modules and the options dump -----------------------------------------------------------------
OPTIONS = orjson.loads((DUMPS / "options.json").read_bytes())
# lib.types expression in a module -> the type description options.json carries for it
TYPES = {
    "types.bool": "boolean", "types.str": "string", "types.port": "16 bit unsigned integer; between 0 and 65535 "
    "(both inclusive)", "types.path": "absolute path", "types.int": "signed integer",
    "types.ints.positive": "positive integer, meaning >0", "types.lines": 'strings concatenated with "\\n"',
    "types.listOf types.str": "list of string", "types.nullOr types.str": "null or string",
    "types.nullOr types.path": "null or absolute path", "types.attrsOf types.str": "attribute set of string",
    "types.package": "package", "settingsFormat.type": "TOML value",
}


@cache
def module_options() -> dict[str, tuple[str, dict]]:
    out = {}
    for path in MODULE_FILES:
        for n in extracted(path).nodes:
            if n[2] == "option":
                out[n[4]] = (rel(path), json.loads(n[11]))
    return out


def norm(value: str | None) -> str:
    return re.sub(r'[\s"]', "", value or "")


def test_modules_declare_about_forty_options_with_submodules_and_renames():
    assert len(MODULE_FILES) >= 5
    opts = module_options()
    assert len(opts) >= 35
    assert any(m["declared_with"] == "mkPackageOption" for _, m in opts.values())
    texts = "\n".join(p.read_text() for p in MODULE_FILES)
    assert "types.submodule" in texts and "lib.mkRenamedOptionModule" in texts and "lib.mkRemovedOptionModule" in texts


def test_options_dump_matches_the_modules():
    opts = module_options()
    assert set(OPTIONS) == set(opts)   # submodule options (<name>) come from the modules too
    for name, opt in OPTIONS.items():
        decl = opt["declarations"]
        assert decl == [module_path(decl[0])] and (NIX / decl[0]).is_file(), name
        assert opt["loc"] == name.split(".")
        if "<name>" in name:   # a submodule option: its parent is an attrsOf submodule in the same file
            parent = name.split(".<name>.")[0]
            assert OPTIONS[parent]["type"] == "attribute set of (submodule)"
            assert OPTIONS[parent]["declarations"] == decl
            assert re.search(rf"^\s+{name.rsplit('.', 1)[1]} = mkOption", (NIX / decl[0]).read_text(), re.M), name
            continue
        path, meta = opts[name]
        assert decl == [path], name
        if meta["declared_with"] == "mkEnableOption":
            assert opt["type"] == "boolean" and opt["default"]["text"] == "false"
            assert opt["description"] == meta["description"]
        elif meta["declared_with"] == "mkPackageOption":
            assert opt["type"] == "package" and opt["default"]["text"] == f"pkgs.{name.split('.')[-2]}"
        else:
            typ = meta["type"].removeprefix("lib.").replace("lib.types.", "types.")
            if typ.startswith("types.attrsOf (types.submodule"):
                assert opt["type"] == "attribute set of (submodule)", name
            elif typ.startswith("types.enum"):
                values = re.findall(r'"([^"]+)"', typ)
                assert opt["type"] == "one of " + ", ".join(f'"{v}"' for v in values), name
            else:
                assert opt["type"] == TYPES[typ], name
            assert opt["description"] == meta["description"].strip('"'), name
            if "defaultText" not in meta and "default" in meta:
                assert norm(opt["default"]["text"]) == norm(meta["default"]), name


def test_renamed_options_point_at_options_that_exist():
    renames = re.findall(r"mkRenamedOptionModule\s*\[([^\]]*)\]\s*\[([^\]]*)\]",
                         "\n".join(p.read_text() for p in MODULE_FILES))
    assert len(renames) >= 1
    for old, new in renames:
        old, new = (".".join(re.findall(r'"([^"]+)"', x)) for x in (old, new))
        assert new in OPTIONS and old not in OPTIONS


def test_options_dump_has_the_current_channel_shape():
    for name, opt in OPTIONS.items():
        assert set(opt) - {"default", "example"} == {"declarations", "description", "loc", "readOnly", "type"}, name
        assert isinstance(opt["description"], str)
        for key in ("default", "example"):
            if key in opt:
                assert opt[key]["_type"] == "literalExpression" and isinstance(opt[key]["text"], str), name
    assert len(normalise(OPTIONS, "options.json")) == len(OPTIONS) >= 40


# -- web dumps ------------------------------------------------------------------------------------
def records(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def test_wiki_dump_has_the_scraper_record_shape(tmp_path):
    pages = records(DUMPS / "wiki.jsonl")
    assert len(pages) >= 10 and len({p["title"] for p in pages}) == len(pages)
    for p in pages:
        assert set(p) == {"pageid", "title", "revid", "redirected_from", "html", "wikitext", "sections",
                          "lastrevid", "lang", "listed_as"}
        for s in p["sections"]:
            assert set(s) == {"index", "level", "line", "anchor", "number"}
            assert f'<h{s["level"]} id="{s["anchor"]}">' in p["html"]
    html = "".join(p["html"] for p in pages)
    for piece in ('<div class="mw-heading mw-heading2">', 'class="mw-pt-languages', "NewPP limit report",
                  'class="mw-highlight mw-highlight-lang-nix', '<div class="file">'):
        assert piece in html, piece
    build_wiki_graph(DUMPS / "wiki.jsonl", tmp_path / "wiki.sqlite", source="wiki")
    con = sqlite3.connect(tmp_path / "wiki.sqlite")
    kinds = dict(con.execute("SELECT kind, COUNT(*) FROM nodes GROUP BY kind"))
    assert kinds == {"page": len(pages), "section": sum(len(p["sections"]) for p in pages)}


def test_forum_dump_has_the_scraper_record_shape(tmp_path):
    topics = records(DUMPS / "discourse.jsonl")
    assert len(topics) >= 20 and len({t["id"] for t in topics}) == len(topics)
    for t in topics:
        assert set(TOPIC_FIELDS) | {"posts", "url"} == set(t), t["id"]
        assert t["posts_count"] == len(t["posts"]) and t["has_accepted_answer"] == (t["accepted_answer"] is not None)
        for post in t["posts"]:
            assert set(post) == set(POST_FIELDS)
            assert post["accepted_answer"] == (post["post_number"] == t["accepted_answer"])
    cooked = [p["cooked"] for t in topics for p in t["posts"]]
    assert sum('<aside class="quote' in c for c in cooked) >= 3
    assert sum('<code class="lang-nix">' in c for c in cooked) >= 15
    assert any('class="lightbox-wrapper"' in c for c in cooked) and any('class="onebox' in c for c in cooked)
    assert any(p["post_type"] != 1 for t in topics for p in t["posts"])
    accepted = [t for t in topics if t["accepted_answer"]]
    assert len(accepted) >= 15 and len(topics) - len(accepted) >= 3
    build_discourse_graph(DUMPS / "discourse.jsonl", tmp_path / "forum.sqlite", source="forum")
    con = sqlite3.connect(tmp_path / "forum.sqlite")
    answers = dict(con.execute("SELECT dst, src FROM edges WHERE kind = 'answers' AND src IN "
                               "(SELECT id FROM nodes WHERE json_extract(meta_json, '$.role') = 'accepted_answer')"))
    assert len(answers) == len(accepted)


# -- the eval's authored sets ---------------------------------------------------------------------
def test_nix_set_schema_and_key_facts():
    items = records(EVAL / "nix_set.jsonl")
    assert 55 <= len(items) <= 70
    assert len({i["id"] for i in items}) == len(items) and len({i["question"] for i in items}) == len(items)
    topics = Counter(i["topic"] for i in items)
    assert set(topics) == {"language", "nixpkgs", "nixos", "flakes"} and min(topics.values()) >= 10
    for i in items:
        assert set(i) == {"id", "question", "answer", "key_facts", "topic"}, i["id"]
        assert i["question"].endswith("?") and i["key_facts"], i["id"]
        for fact in i["key_facts"]:
            assert re.search(fact, i["answer"]), f"{i['id']}: its own answer misses key fact {fact!r}"
            assert not re.search(fact, "I don't know."), f"{i['id']}: key fact {fact!r} matches a non-answer"


def test_nix_set_does_not_ask_about_the_demo_corpus():
    """Fixed Nix knowledge, not facts of the authored packages that training teaches."""
    names = {package_facts(p)["name"] for p in PACKAGE_FILES}
    for i in records(EVAL / "nix_set.jsonl"):
        words = set(re.findall(r"[\w-]+", i["question"]))
        assert not words & names, (i["id"], words & names)


def test_control_set_has_realistic_general_answers():
    items = records(EVAL / "control.jsonl")
    assert len(items) >= 40 and len({i["id"] for i in items}) == len(items)
    for i in items:
        roles = [m["role"] for m in i["messages"]]
        assert roles == ["system", "user", "assistant"], i["id"]
        answer = i["messages"][2]["content"]
        sentences = len(re.findall(r"[.!?](?:\s|$)", answer))
        assert 2 <= sentences <= 5, (i["id"], sentences)
        assert not re.search(r"\bnix", answer + i["messages"][1]["content"], re.I), i["id"]
