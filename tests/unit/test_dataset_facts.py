"""Fact-level examples on a small authored nixpkgs + options: exact examples per fact kind and per
paraphrase form, held-out forms, the four splits, no question in two splits, values never cut."""

import orjson
import pytest

from nanodex.brain.build import build_brain, iter_nodes
from nanodex.dataset.build import build_dataset
from nanodex.dataset.facts import first_sentence, package_facts
from nanodex.dataset.generate import Generator, clip, reads_as_task
from nanodex.dataset.templates import ANSWERS, HELDOUT, QUESTIONS, heldout_forms, train_forms
from nanodex.graph.build import build_source_graph
from nanodex.graph.dumps import build_options_graph
from nanodex.graph.merge import merge_graphs
from nanodex.sources.repo import snapshot

BUILDERS = [("stdenv.mkDerivation", "fetchurl"), ("buildGoModule", "fetchFromGitHub"),
            ("rustPlatform.buildRustPackage", "fetchCrate"), ("python3Packages.buildPythonApplication", "fetchPypi"),
            ("buildNpmPackage", "fetchFromGitHub"), ("writeShellApplication", None)]


def package_file(i: int, builder: str, fetcher: str | None, deps: list[str]) -> str:
    name = f"tool{i}"
    head = builder.split(".")[0]
    args = sorted({"lib", head, *([fetcher] if fetcher else []), *deps})
    src = ""
    if fetcher == "fetchurl":
        src = (f'  src = fetchurl {{\n    url = "https://example.org/{name}-1.{i}.tar.gz";\n'
               '    hash = "sha256-x=";\n  }};\n')
    elif fetcher == "fetchFromGitHub":
        src = (f'  src = fetchFromGitHub {{\n    owner = "acme";\n    repo = "{name}";\n    rev = "v1.{i}";\n'
               f'    hash = "sha256-x=";\n  }};\n')
    elif fetcher:
        src = f'  src = {fetcher} {{\n    pname = "{name}";\n    version = "1.{i}";\n    hash = "sha256-x=";\n  }};\n'
    inputs = f"  buildInputs = [ {' '.join(deps)} ];\n" if deps else ""
    return (f"{{ {', '.join(args)} }}:\n{builder} rec {{\n  pname = \"{name}\";\n  version = \"1.{i}\";\n{src}{inputs}"
            f"  meta = {{\n    description = \"Acme utility number {i} for counting jars\";\n"
            f"    license = lib.licenses.mit;\n  }};\n}}\n")


FILES = {f"pkgs/by-name/to/tool{i}/package.nix": package_file(i, b, f, ["tool0"] if i else [])
         for i, (b, f) in enumerate(BUILDERS * 4)}
FILES["pkgs/by-name/ve/verdigris/package.nix"] = (
    '{ lib, stdenv, fetchFromGitHub }:\nlet metadata = import ./metadata.nix; in\nstdenv.mkDerivation {\n'
    '  pname = "verdigris";\n  version = metadata.rev;\n  src = fetchFromGitHub {\n    owner = "acme";\n'
    '    repo = "verdigris";\n    rev = metadata.rev;\n    hash = "sha256-x=";\n  };\n}\n')
OPTIONS = {f"services.jar{i}.enable": {"type": "boolean", "default": False,
                                       "description": f"Whether to enable the jar{i} counting daemon.",
                                       "declarations": [f"nixos/modules/services/jar{i}.nix"]} for i in range(12)}
OPTIONS.update({f"services.jar{i}.port": {"type": "16 bit unsigned integer", "default": 8000 + i, "example": 9000 + i,
                                         "description": "Port to listen on.",
                                         "declarations": [f"nixos/modules/services/jar{i}.nix"]} for i in range(12)})


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("facts")
    src = tmp / "src"
    for rel, text in FILES.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text)
    snapshot("nixpkgs", {"path": str(src), "use_gitignore": False}, tmp / "m.json")
    build_source_graph(tmp / "m.json", tmp / "p.sqlite")
    (tmp / "options.json").write_bytes(orjson.dumps(OPTIONS))
    build_options_graph(tmp / "options.json", tmp / "o.sqlite", None, "options")
    merge_graphs([tmp / "p.sqlite", tmp / "o.sqlite"], tmp / "graph.sqlite")
    build_brain(tmp / "graph.sqlite", tmp / "nodes", None)
    outs = {k: tmp / f"{k}.jsonl" for k in ("train", "eval", "val", "recall")}
    report = build_dataset(tmp / "nodes", tmp / "graph.sqlite", outs["train"], outs["eval"], tmp / "rejects.jsonl",
                           None, eval_ratio=0.2, seed=0, val_path=outs["val"], recall_path=outs["recall"],
                           val_ratio=0.2, paraphrases=5)
    data = {k: [orjson.loads(x) for x in p.read_bytes().splitlines()] for k, p in outs.items()}
    nodes = {n["id"]: n for n in iter_nodes(tmp / "nodes")}
    return tmp, report, data, nodes


def test_every_kind_has_eight_question_forms_and_varied_answers():
    for kind, forms in QUESTIONS.items():
        assert len(forms) >= 8 and len(set(forms)) == len(forms), kind
        assert len(ANSWERS[kind]) >= 3, kind
        assert set(heldout_forms(kind)) == {len(forms) - 2, len(forms) - 1} and HELDOUT == 2
        assert not set(heldout_forms(kind)) & set(train_forms(kind))


def test_exact_examples_per_fact_kind_and_paraphrase_form():
    node = {"id": "p:pkgs/hello/package.nix#pkg:hello", "source": "p", "kind": "package", "type": "capability",
            "name": "hello", "path": "pkgs/hello/package.nix",
            "facts": {"attr": "hello", "pname": "hello", "version": "2.12", "builder": "stdenv.mkDerivation",
                      "src": {"fetcher": "fetchurl", "args": {"url": "mirror://gnu/hello/hello-2.12.tar.gz"}},
                      "inputs": {"nativeBuildInputs": ["gettext"]},
                      "meta": {"description": "Program that produces a familiar, friendly greeting"}}}
    gettext = {"id": "p:pkgs/gettext/package.nix#pkg:gettext", "path": "pkgs/gettext/package.nix",
               "facts": {"attr": "gettext", "meta": {"description": "Well integrated set of translation tools"}}}
    gen = Generator("sys", seed=0, paraphrases=5, packages={"hello": [node], "gettext": [gettext]})
    examples = list(gen.examples(node))
    facts = [e for e in examples if e["category"] == "fact"]
    by_kind = {}
    for e in facts:
        by_kind.setdefault(e["meta"]["fact"]["kind"], []).append(e)
    assert set(by_kind) == {"pkg_version", "pkg_builder", "pkg_source", "pkg_deps", "dep_does", "pkg_provides"}
    for kind, exs in by_kind.items():
        train = [e for e in exs if not e["meta"].get("heldout")]
        held = [e for e in exs if e["meta"].get("heldout")]
        assert len(train) == 5 and len({e["messages"][1]["content"] for e in train}) == 5
        assert [int(e["meta"]["template"].rsplit("q", 1)[1]) for e in held] == heldout_forms(kind)
        assert {int(e["meta"]["template"].rsplit("q", 1)[1]) for e in train} <= set(train_forms(kind))
        assert len({e["messages"][2]["content"] for e in train}) == 3   # answer forms vary too
    # each question form, filled exactly
    version = {e["meta"]["template"]: e["messages"] for e in by_kind["pkg_version"]}
    assert version["pkg_version:q6"][1]["content"] == "If I install `hello` from nixpkgs, what version do I get?"
    assert version["pkg_version:q7"][1]["content"] == "What `version` does the nixpkgs expression for `hello` set?"
    for form in range(8):
        key = f"pkg_version:q{form}"
        if key in version:
            assert version[key][1]["content"] == QUESTIONS["pkg_version"][form].format(s="`hello`")
            assert version[key][2]["content"] in [a.format(s="`hello`", value="2.12", path="pkgs/hello/package.nix")
                                                  for a in ANSWERS["pkg_version"]]
    deps = next(e for e in by_kind["pkg_deps"] if e["messages"][2]["content"].startswith("`hello` (`"))
    assert deps["messages"][2]["content"] == "`hello` (`pkgs/hello/package.nix`) declares `gettext`."
    assert deps["meta"]["fact"] == {"kind": "pkg_deps", "value": ["gettext"], "subject": "hello"}
    hop = by_kind["dep_does"][0]
    assert "`gettext`" in hop["messages"][1]["content"] and "`hello`" in hop["messages"][1]["content"]
    assert "Well integrated set of translation tools" in hop["messages"][2]["content"].replace("well", "Well")
    provides = [e["messages"] for e in by_kind["pkg_provides"]]
    assert all("`hello`" in m[2]["content"] and "hello" not in m[1]["content"] for m in provides)
    source = by_kind["pkg_source"][0]["messages"][2]["content"]
    assert "`fetchurl`" in source and "mirror://gnu/hello/hello-2.12.tar.gz" in source


def test_expressions_are_never_stated_as_facts():
    node = {"id": "p:v.nix#pkg:verdigris", "path": "v.nix", "name": "verdigris", "kind": "package",
            "facts": {"attr": "verdigris", "builder": "stdenv.mkDerivation",
                      "expressions": {"version": "metadata.rev"}}}
    assert [f["kind"] for f in package_facts(node, {}, set())] == ["pkg_builder"]
    node["facts"]["channel"] = {"version": "0.3.1"}
    version = [f for f in package_facts(node, {}, set()) if f["kind"] == "pkg_version"]
    assert version[0]["value"] == "0.3.1"


def test_an_option_declared_twice_is_one_fact_and_type_expressions_are_no_type():
    module = {"id": "nixpkgs:modules/jar.nix#option:services.jar.port", "source": "nixpkgs", "kind": "option",
              "type": "capability", "name": "port", "qualified_name": "services.jar.port", "path": "modules/jar.nix",
              "summary": "Port.", "facts": {"type": "lib.types.port", "default": "8080"}}
    dump = {**module, "id": "options:option:services.jar.port", "source": "options",
            "facts": {"type": "16 bit unsigned integer", "default": "8080", "declarations": ["modules/jar.nix"]}}
    gen = Generator("sys")
    kinds = [(e["meta"]["fact"]["kind"], e["refs"][0]) for n in (module, dump) for e in gen.examples(n)
             if e["category"] == "fact" and not e["meta"].get("heldout")]
    assert sorted(set(kinds)) == [("opt_default", module["id"]), ("opt_module", module["id"]),
                                  ("opt_type", dump["id"])]
    gen = Generator("sys")
    explained = [e["refs"][0] for n in (module, dump) for e in gen.examples(n)
                 if e["meta"]["template"] == "option_explain"]
    assert explained == [module["id"]]


def test_option_facts_and_reverse_enable(world):
    _, _, data, _ = world
    every = [e for split in data.values() for e in split]
    kinds = {e["meta"]["fact"]["kind"] for e in every if "fact" in e["meta"]}
    assert {"opt_type", "opt_default", "opt_example", "opt_module", "opt_enables"} <= kinds
    enables = [e for e in every if e["meta"].get("fact", {}).get("kind") == "opt_enables"]
    assert any(e["messages"][1]["content"] == "Which NixOS option enables the jar3 counting daemon?" or
               "the jar3 counting daemon" in e["messages"][1]["content"] for e in enables)
    assert all(e["meta"]["fact"]["value"].endswith(".enable") for e in enables)
    default = next(e for e in every if e["meta"].get("fact_id") == "options:option:services.jar1.port|opt_default|")
    assert default["meta"]["fact"]["value"] == "8001"


def test_builder_howtos_cite_a_real_package(world):
    _, _, data, nodes = world
    howtos = [e for e in data["train"] if e["meta"]["template"].startswith("builder_howto")]
    go = [e for e in howtos if "a Go program" in e["messages"][1]["content"]]
    assert len(go) == 5
    go_paths = {n["path"] for n in nodes.values()
                if n["kind"] == "package" and n["facts"]["builder"] == "buildGoModule"}
    for e in go:
        cited = {p for p in go_paths if f"`{p}`" in e["messages"][2]["content"]}
        assert len(cited) == 1 and nodes[e["refs"][0]]["path"] in cited
        assert "buildGoModule" in e["messages"][2]["content"] and "```nix" in e["messages"][2]["content"]


def test_splits_no_question_in_two_and_heldout_forms_not_in_train(world):
    _, report, data, _ = world
    assert all(data[k] for k in ("train", "eval", "val", "recall"))
    prompts = {k: {e["messages"][1]["content"] for e in v} for k, v in data.items()}
    names = list(prompts)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not prompts[a] & prompts[b], (a, b)
    # val's held-out phrasings ask taught facts (train groups); its other examples are groups of their own
    groups = {k: {e["meta"]["group"] for e in data[k] if not e["meta"].get("heldout")}
              for k in ("train", "eval", "val")}
    assert not groups["train"] & groups["eval"] and not groups["train"] & groups["val"]
    assert not groups["eval"] & groups["val"]
    held = {f"{k}:q{f}" for k in QUESTIONS for f in heldout_forms(k)}
    assert not {e["meta"]["template"] for e in data["train"]} & held
    assert all(e["meta"]["heldout"] and e["meta"]["template"] in held for e in data["recall"])
    # recall asks facts that were taught: every recall fact has its paraphrases in train
    taught = {e["meta"]["fact_id"] for e in data["train"] if "fact_id" in e["meta"]}
    assert {e["meta"]["fact_id"] for e in data["recall"]} <= taught
    assert report["examples"] == {k: len(v) for k, v in data.items()}


def test_paraphrases_are_spread_not_adjacent(world):
    _, _, data, _ = world
    positions = {}
    for i, e in enumerate(data["train"]):
        if "fact_id" in e["meta"]:
            positions.setdefault(e["meta"]["fact_id"], []).append(i)
    runs = [p for p in positions.values() if len(p) == 5]
    assert runs
    adjacent = sum(1 for p in runs if p[-1] - p[0] == 4)
    assert adjacent <= len(runs) // 10


def test_rebuild_is_byte_identical(world, tmp_path):
    tmp, _, data, _ = world
    outs = {k: tmp_path / f"{k}.jsonl" for k in ("train", "eval", "val", "recall")}
    build_dataset(tmp / "nodes", tmp / "graph.sqlite", outs["train"], outs["eval"], None, None, eval_ratio=0.2,
                  seed=0, val_path=outs["val"], recall_path=outs["recall"], val_ratio=0.2, paraphrases=5)
    for k, p in outs.items():
        assert p.read_bytes() == (tmp / f"{k}.jsonl").read_bytes(), k


def test_values_are_never_cut():
    code = "```nix\n" + "{ a = 1; }\n" * 30 + "```"
    text = "First paragraph ends here.\n\n" + code + "\n\nLast words."
    cut = clip(text, 100)
    assert cut == "First paragraph ends here."
    assert clip("one sentence without any end " * 10, 50) == "one sentence without any end " * 10   # no place
    assert clip("Short.", 100) == "Short."
    assert first_sentence("Use `lib.mkIf cfg.enable { ... }`. Then rebuild.") == "Use `lib.mkIf cfg.enable { ... }`."
    assert first_sentence("x" * 500) is None


@pytest.mark.parametrize("doc, ok", [("Add an item to the cart.", True), ("Adds an item to the cart.", False),
                                     ("How a README command is checked", False), ("None: not covered", False),
                                     ("Returns the sum.", False), ("Build the project from sources", True),
                                     ("Parse", False)])
def test_howto_only_from_docstrings_that_read_as_a_task(doc, ok):
    assert reads_as_task(doc) is ok


def test_demo_shaped_questions_name_their_subject(world):
    _, _, data, _ = world
    for e in data["train"]:
        if e["category"] == "explain" and e["meta"]["kind"] != "module":
            assert "` in `" in e["messages"][1]["content"] or "` from `" in e["messages"][1]["content"]


def test_rename_wiki_and_forum_facts_exactly():
    gen = Generator("sys", paraphrases=2)
    rename = {"id": "options:rename:services.jar.port", "source": "options", "kind": "option_rename",
              "type": "concept", "name": "port", "qualified_name": "services.jar.port", "path": "",
              "facts": {"from": "services.jar.port", "to": "services.jar.settings.port", "how": "renamed",
                        "message": "Use services.jar.settings.port instead. It moved in 24.11."}}
    exs = [e for e in gen.examples(rename) if e["category"] == "fact"]
    assert [e["meta"]["fact"] for e in exs] == [{"kind": "opt_rename", "value": "services.jar.settings.port"}] * 4
    answers = {e["messages"][2]["content"] for e in exs}
    assert answers <= {f.format(s="`services.jar.port`", how="renamed", to_text=" to `services.jar.settings.port`",
                                message="Use services.jar.settings.port instead.") for f in ANSWERS["opt_rename"]}
    removed = {**rename, "facts": {"from": "services.jar.old", "to": None, "how": "removed", "message": "Gone."}}
    assert {e["meta"]["fact"]["value"] for e in Generator("sys").examples(removed)} == {"removed"}
    section = {"id": "wiki:Jar#Setup", "source": "wiki", "kind": "section", "type": "recipe", "name": "Setup",
               "qualified_name": "Jar > Setup", "path": "Jar",
               "docstring": "Enable the jar service with services.jar.enable. Then rebuild the system."}
    wiki = [e for e in gen.examples(section) if e["category"] == "fact"]
    assert {e["meta"]["fact"]["value"] for e in wiki} == {"Enable the jar service with services.jar.enable."}
    assert wiki[-1]["messages"][1]["content"] == QUESTIONS["wiki_point"][7].format(page="Jar", title="Setup")
    post = {"id": "forum:t/jar/1#post-2", "source": "forum", "kind": "post", "type": "recipe",
            "name": "jar fails to start #2", "qualified_name": "jar fails to start #2", "path": "t/jar/1",
            "docstring": "Create /var/lib/jar first. Then restart jar.service. Thanks!",
            "facts": {"role": "accepted_answer"}}
    forum = [e for e in gen.examples(post) if e["category"] == "fact"]
    assert {e["meta"]["fact"]["value"] for e in forum} == {"Create /var/lib/jar first. Then restart jar.service."}
    assert forum[0]["messages"][1]["content"] in [f.format(topic="jar fails to start") for f in QUESTIONS["forum_fix"]]
    reply = {**post, "facts": {"role": "reply"}}
    assert not [e for e in Generator("sys").examples(reply) if e["category"] == "fact"]
