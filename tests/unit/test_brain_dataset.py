"""Brain and dataset stages on a small authored graph: exact examples, validators, dedup, split,
determinism, exports."""

import csv
import sqlite3

import orjson
import pytest

from nanodex.brain.build import build_brain, iter_nodes
from nanodex.brain.classify import classify
from nanodex.dataset.build import build_dataset
from nanodex.dataset.dedup import ExactDedup, NearDedup
from nanodex.dataset.example import make_example
from nanodex.dataset.export import export_csv, export_jsonl
from nanodex.dataset.split import in_eval
from nanodex.dataset.validate import Validators
from nanodex.errors import NanodexError
from nanodex.graph.build import build_source_graph
from nanodex.graph.merge import merge_graphs
from nanodex.sources.repo import snapshot

FILES = {
    "shop/cart.py": (
        '"""Shopping carts."""\n\n\nclass CartError(Exception):\n    """Raised when a cart is invalid."""\n\n\n'
        "class Cart:\n    \"\"\"A shopping cart.\"\"\"\n\n    def add(self, item):\n"
        "        \"\"\"Add an item to the cart.\"\"\"\n"
        "        self._check(item)\n\n    def _check(self, item):\n        if not item:\n"
        "            raise CartError(item)\n\n    def total(self):\n        return 0\n"
    ),
    "pkgs/by-name/he/hello/package.nix": (
        '{ lib, stdenv, fetchurl, gettext }:\nstdenv.mkDerivation rec {\n  pname = "hello";\n  version = "2.12";\n'
        '  src = fetchurl {\n    url = "mirror://gnu/hello/hello-${version}.tar.gz";\n    hash = "sha256-abc=";\n  };\n'
        '  nativeBuildInputs = [ gettext ];\n  meta = {\n    description = "Program that produces a familiar, friendly'
        ' greeting";\n    license = lib.licenses.gpl3Plus;\n  };\n}\n'
    ),
    "shop/stock.py": (
        "class Stock:\n    def refill(self, n):\n        return n\n\n    def count(self):\n        return 1\n\n\n"
        "class Shelf:\n    def place(self, item):\n        return item\n"
    ),
    "lib/check.nix": ('{ lib }:\n{\n  platform = x: if x == "plan9" then throw "hello: plan9 is not supported" '
                      'else x;\n}\n'),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("world")
    src = tmp / "src"
    for rel, text in FILES.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text)
    snapshot("t", {"path": str(src), "use_gitignore": False}, tmp / "m.json")
    build_source_graph(tmp / "m.json", tmp / "t.sqlite")
    merge_graphs([tmp / "t.sqlite"], tmp / "graph.sqlite", tmp / "graph.report.json")
    report = build_brain(tmp / "graph.sqlite", tmp / "nodes", tmp / "brain.json", summary_tokens=64)
    nodes = {n["id"]: n for n in iter_nodes(tmp / "nodes")}
    return tmp, report, nodes


def test_types_and_rules(world):
    _, report, nodes = world
    assert (nodes["t:shop/cart.py#CartError"]["type"], nodes["t:shop/cart.py#CartError"]["rule"]) == \
        ("error", "exception_type")
    assert nodes["t:shop/cart.py#Cart.add"]["type"] == "capability"
    assert (nodes["t:shop/cart.py#Cart._check"]["type"], nodes["t:shop/cart.py#Cart._check"]["rule"]) == \
        ("concept", "private_name")
    assert nodes["t:pkgs/by-name/he/hello/package.nix#pkg:hello"]["rule"] == "nix_package"
    assert nodes["t:lib/check.nix#throw:3"]["type"] == "error"
    assert report["nodes"] == len(nodes) and report["shards"] == ["nodes-t-0000.jsonl"]
    assert classify("section", "Installation", "Foo", "wiki", None, [], "page", False) == ("recipe", "wiki_howto")
    assert classify("function", "run", "tests/test_x.py", "python", "def run()", [], "module", False) == \
        ("recipe", "test_or_example")
    assert classify("function", "helper", "x.go", "go", "func helper()", [], "module", False)[0] == "concept"


def test_summaries_use_graph_context(world):
    _, _, nodes = world
    assert nodes["t:shop/cart.py#Cart.add"]["summary"] == (
        "`Cart.add` is a Python method of `Cart` in `shop/cart.py`. Signature: `def add(self, item)`. "
        "Add an item to the cart. It calls `Cart._check`.")
    assert nodes["t:pkgs/by-name/he/hello/package.nix#pkg:hello"]["summary"] == (
        "`hello` 2.12 is a Nix package built with `stdenv.mkDerivation`, defined in "
        "`pkgs/by-name/he/hello/package.nix`. Program that produces a familiar, friendly greeting. Source: `fetchurl` "
        "(mirror://gnu/hello/hello-${version}.tar.gz). Native build inputs: `gettext`. License: gpl3Plus.")
    long = nodes["t:shop/cart.py"]["summary"]
    assert len(long.split()) <= 64 + 1


def test_llm_summaries_are_cached_and_unreachable_is_one_line(world, tmp_path):
    from nanodex.brain.llm import LlmSummarizer
    from nanodex.testing.fakes import FakeOpenAI

    graph = world[0] / "graph.sqlite"
    with FakeOpenAI() as server:
        llm = LlmSummarizer(server.url + "/v1", "base", tmp_path / "cache.sqlite", batch_size=4)
        build_brain(graph, tmp_path / "nodes", None, summarizer=llm)
        first = server.counts["chat"]
        assert first == len(world[2])
        node = next(n for n in iter_nodes(tmp_path / "nodes") if n["id"] == "t:shop/cart.py#Cart.add")
        assert node["summary"] == "LLM summary of Cart.add."
        llm2 = LlmSummarizer(server.url + "/v1", "base", tmp_path / "cache.sqlite")
        build_brain(graph, tmp_path / "nodes2", None, summarizer=llm2)
        assert server.counts["chat"] == first and llm2.hits == first   # all from the cache
    dead = LlmSummarizer("http://127.0.0.1:9/v1", "m", tmp_path / "c2.sqlite")
    with pytest.raises(NanodexError, match=r"^brain.llm.url: cannot reach http://127.0.0.1:9/v1/chat/completions"):
        build_brain(graph, tmp_path / "nodes3", None, summarizer=dead)


@pytest.fixture(scope="module")
def dataset(world):
    tmp = world[0]
    report = build_dataset(tmp / "nodes", tmp / "graph.sqlite", tmp / "train.jsonl", tmp / "eval.jsonl",
                           tmp / "rejects.jsonl", tmp / "ds.json", eval_ratio=0.3, seed=0)
    examples = [orjson.loads(x) for f in ("train.jsonl", "eval.jsonl") for x in (tmp / f).read_bytes().splitlines()]
    return tmp, report, {(e["category"], e["meta"]["template"], e["refs"][0]): e for e in examples}, examples


def test_exact_examples_per_category(dataset):
    tmp, _, by, _ = dataset
    pkg = "t:pkgs/by-name/he/hello/package.nix#pkg:hello"
    definition = by[("package_definition", "package_expression", pkg)]
    assert definition["messages"][2]["content"] == (
        "`hello` is defined in `pkgs/by-name/he/hello/package.nix` (Program that produces a familiar, friendly "
        "greeting). Its derivation, in short:\n\n```nix\n{ lib, stdenv, fetchurl, gettext }:\n\n"
        "stdenv.mkDerivation (rec {\n  pname = \"hello\";\n  version = \"2.12\";\n  src = fetchurl {\n"
        "    hash = \"sha256-abc=\";\n    url = \"mirror://gnu/hello/hello-${version}.tar.gz\";\n  };\n"
        "  nativeBuildInputs = [ gettext ];\n  meta = {\n    description = \"Program that produces a familiar, "
        "friendly greeting\";\n    license = lib.licenses.gpl3Plus;\n  };\n})\n```")
    deps = by[("dependencies", "inputs", pkg)]
    assert deps["messages"][2]["content"] == ("`hello` (`pkgs/by-name/he/hello/package.nix`) declares:\n"
                                              "- tools needed at build time (nativeBuildInputs): `gettext`")
    assert by[("version_pinning", "overlay_pin", pkg)]["messages"][2]["content"].startswith(
        "nixpkgs has `hello` 2.12 (`pkgs/by-name/he/hello/package.nix`).")
    diag = by[("diagnostics", "nix_throw", "t:lib/check.nix#throw:3")]
    assert diag["messages"][2]["content"] == ("That message comes from a `throw` in `lib/check.nix` (line 3): "
                                              "evaluation stops with `hello: plan9 is not supported` when that "
                                              "branch is reached.")
    assert by[("diagnostics", "exception_type", "t:shop/cart.py#CartError")]
    howto = by[("howto", "function_howto", "t:shop/cart.py#Cart.add")]
    assert howto["messages"][1]["content"] in ("How do I add an item to the cart?",
                                               "Which function should I use to add an item to the cart?")
    # "Yes. <summary>" is a near copy of the explain answer: the answer-level dedup removes it
    assert ("discovery", "member_exists", "t:shop/cart.py#Cart.add") not in by
    rejects = [orjson.loads(x) for x in (tmp / "rejects.jsonl").read_bytes().splitlines()]
    assert any(r["reason"] == "near_duplicate_answer" and r["refs"] == ["t:shop/cart.py#Cart.add"]
               and r["category"] == "discovery" for r in rejects)
    for ex in by.values():
        assert [m["role"] for m in ex["messages"]] == ["system", "user", "assistant"]


def test_negatives_are_true(dataset):
    tmp, _, _, examples = dataset
    con = sqlite3.connect(tmp / "graph.sqlite")
    negatives = [e for e in examples if e["meta"].get("negative")]
    assert negatives
    for ex in negatives:
        container = ex["refs"][0]
        members = {r[0] for r in con.execute("SELECT n.name FROM edges e JOIN nodes n ON n.id = e.dst "
                                             "WHERE e.src = ? AND e.kind = 'contains'", (container,))}
        answer = ex["messages"][2]["content"]
        assert answer.startswith("No, ")
        absent = answer.split("named `", 1)[1].split("`", 1)[0]
        closest = answer.split("the closest is `", 1)[1].split("`", 1)[0]
        assert absent not in members and closest in members


def test_split_is_by_group_and_reruns_are_byte_identical(dataset, tmp_path):
    tmp, report, _, examples = dataset
    groups = {}
    for ex in examples:
        groups.setdefault(ex["meta"]["group"], set()).add(in_eval(ex["meta"]["group"], 0.3, 0))
    assert all(len(v) == 1 for v in groups.values())
    train_groups = {orjson.loads(x)["meta"]["group"] for x in (tmp / "train.jsonl").read_bytes().splitlines()}
    eval_groups = {orjson.loads(x)["meta"]["group"] for x in (tmp / "eval.jsonl").read_bytes().splitlines()}
    assert train_groups and eval_groups and not train_groups & eval_groups
    build_dataset(tmp / "nodes", tmp / "graph.sqlite", tmp_path / "train.jsonl", tmp_path / "eval.jsonl",
                  None, None, eval_ratio=0.3, seed=0)
    assert (tmp_path / "train.jsonl").read_bytes() == (tmp / "train.jsonl").read_bytes()
    assert (tmp_path / "eval.jsonl").read_bytes() == (tmp / "eval.jsonl").read_bytes()
    assert report["examples"]["train"] + report["examples"]["eval"] == len(examples)


def ex(user, answer, refs=()):
    return make_example("sys", user, answer, "explain", "t", list(refs), "g")


@pytest.mark.parametrize("example, reason", [
    (ex("Hi?", "An answer that is long enough."), "question_too_short"),
    (ex("What is it really?", "Too short"), "answer_too_short"),
    (ex("What is it really?", "An answer that is long enough.", ["t:nope"]), "unknown_ref"),
    (ex("What is it really?", "TODO"), "answer_too_short"),
    (ex("What is it really?", "No description." + " " * 20), "empty_or_boilerplate_answer"),
    (ex("What is my token?", "It is ghp_" + "a" * 36 + " for sure."), "secret:github_token"),
    (ex("What is the key?", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n"), "secret:private_key"),
    (ex("Who wrote it?", "Write to jane.doe@posteo.de for details."), "email_address"),
    (ex("How do I enable it?", "Like this:\n\n```nix\n{ services.x.enable = true\n```"), "nix_code_does_not_parse"),
])
def test_each_validator_has_its_reason(example, reason):
    assert Validators(node_ids={"t:ok"}).check(example) == reason


def test_valid_fragments_and_expressions_pass():
    v = Validators()
    assert v.check(ex("How do I enable it?", "Set it:\n\n```nix\nservices.x.enable = true;\n```")) is None
    assert v.check(ex("How do I write it?", "Like:\n\n```nix\n{ a, b, }: a + b\n```")) is None


def test_exact_and_near_duplicates():
    exact = ExactDedup()
    a = ex("What does foo do?", "Foo adds two numbers and returns the sum of them.")
    b = ex("what  does FOO do?", "foo adds two numbers and returns the sum of them.")
    assert not exact.is_dup(a) and exact.is_dup(b)
    near = NearDedup(threshold=0.7, num_perm=64)
    base = "The pantry service keeps an inventory of food and warns before items expire in the kitchen storage."
    items = [ex("What does pantry do?", base), ex("What does pantry do?", base + " It is written in Python."),
             ex("What is nginx?", "Nginx is a web server, reverse proxy and load balancer used on many sites.")]
    kept, dups = near.filter(items)
    assert [k["id"] for k in kept] == [items[0]["id"], items[2]["id"]]
    assert [(d["id"], first) for d, first in dups] == [(items[1]["id"], items[0]["id"])]


def test_exports_have_the_published_shapes(dataset, tmp_path):
    tmp, report, _, _ = dataset
    inputs = {"train": tmp / "train.jsonl", "eval": tmp / "eval.jsonl"}
    for fmt in ("openai", "anthropic", "generic"):
        outputs = {s: tmp_path / f"{fmt}-{s}.jsonl" for s in inputs}
        export_jsonl(fmt, inputs, outputs)
        rec = orjson.loads(outputs["train"].read_bytes().splitlines()[0])
        if fmt == "openai":
            assert list(rec) == ["messages"] and [m["role"] for m in rec["messages"]] == ["system", "user", "assistant"]
        elif fmt == "anthropic":
            assert set(rec) == {"system", "messages"} and [m["role"] for m in rec["messages"]] == ["user", "assistant"]
        else:
            assert set(rec) == {"prompt", "completion", "metadata", "source"} and "id" in rec["metadata"]
    n = export_csv(inputs["train"], inputs["eval"], tmp_path / "d.csv")
    rows = list(csv.DictReader(open(tmp_path / "d.csv", newline="")))
    assert n == len(rows) == report["examples"]["train"] + report["examples"]["eval"]
    assert list(rows[0]) == ["id", "split", "category", "source", "question", "answer", "refs"]


def test_bad_nodes_are_reported_not_fatal(tmp_path):
    con = sqlite3.connect(tmp_path / "g.sqlite")
    from nanodex.graph.store import TABLES
    con.executescript(TABLES)
    con.executemany("INSERT INTO nodes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
        ("t:a.py", "t", "module", "a.py", "a.py", "a.py", "python", 1, 2, None, None, None),
        ("t:a.py#x", "t", "function", "", "", "a.py", "python", 1, 1, None, None, None),
    ])
    con.commit()
    con.close()
    report = build_brain(tmp_path / "g.sqlite", tmp_path / "nodes", None)
    assert report["nodes"] == 1 and report["bad_nodes"] == [{"id": "t:a.py#x", "problem": "missing name or kind"}]
