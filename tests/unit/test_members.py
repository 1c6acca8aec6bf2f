"""Member lists with inheritance (graph/members.py) and the discovery questions built on them."""

import sqlite3

import pytest

from nanodex.brain.build import build_brain, iter_nodes
from nanodex.dataset.build import graph_index
from nanodex.dataset.example import DEFAULT_SYSTEM
from nanodex.dataset.generate import Generator
from nanodex.graph.build import build_source_graph
from nanodex.graph.members import OPEN, container_members
from nanodex.graph.merge import merge_graphs
from nanodex.sources.repo import snapshot

FILES = {
    "inv/base.py": ("class Inventory:\n    def count(self):\n        return 0\n\n    def refill(self, n):\n"
                    "        return n\n\n    def audit(self):\n        return 1\n"),
    "inv/counting.py": ("from inv.base import Inventory\n\n\nclass CountingInventory(Inventory):\n"
                        "    def count(self):\n        return 2\n\n    def tally(self):\n        return 3\n\n\n"
                        "class Loud(CountingInventory):\n    def shout(self):\n        return 4\n"),
    "inv/other.py": ("class Ledger:\n    def balance(self):\n        pass\n\n    def close(self):\n        pass\n\n"
                     "    def post(self):\n        pass\n\n    def reopen(self):\n        pass\n\n\n"
                     "class Bag(dict):\n    def pack(self):\n        pass\n"),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("members")
    src = tmp / "src"
    for rel, text in FILES.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(text)
    snapshot("t", {"path": str(src), "use_gitignore": False}, tmp / "m.json")
    build_source_graph(tmp / "m.json", tmp / "t.sqlite")
    merge_graphs([tmp / "t.sqlite"], tmp / "graph.sqlite", tmp / "graph.report.json")
    build_brain(tmp / "graph.sqlite", tmp / "nodes", tmp / "brain.json", summary_tokens=64)
    return tmp, {n["id"]: n for n in iter_nodes(tmp / "nodes")}


def test_members_are_own_then_inherited_nearest_first(world):
    tmp, _ = world
    con = sqlite3.connect(tmp / "graph.sqlite")
    members = container_members(con, {"class", "module"})
    con.close()
    assert members["t:inv/counting.py#Loud"] == [
        ("shout", "method:python", None),
        ("count", "method:python", "CountingInventory"), ("tally", "method:python", "CountingInventory"),
        ("audit", "method:python", "Inventory"), ("refill", "method:python", "Inventory"),
    ]
    assert members["t:inv/counting.py#CountingInventory"] == [
        ("count", "method:python", None), ("tally", "method:python", None),
        ("audit", "method:python", "Inventory"), ("refill", "method:python", "Inventory"),
    ]
    assert members["t:inv/other.py#Bag"] == [("pack", "method:python", None), (OPEN, OPEN, "dict")]


def test_discovery_never_denies_an_inherited_member(world):
    tmp, nodes = world
    _, members, pools, _, _ = graph_index(tmp / "graph.sqlite")
    chains = {"t:inv/counting.py#Loud": {"shout", "count", "tally", "audit", "refill"},
              "t:inv/counting.py#CountingInventory": {"count", "tally", "audit", "refill"}}
    negatives, inherited = [], []
    for seed in range(40):
        gen = Generator(DEFAULT_SYSTEM, seed=seed, negative_ratio=1.0, members=members, pools=pools)
        for cid, chain in chains.items():
            for ex in gen.examples(nodes[cid]):
                if ex["meta"].get("negative"):
                    absent = ex["messages"][2]["content"].split("named `", 1)[1].split("`", 1)[0]
                    assert absent not in chain
                    negatives.append(absent)
                elif ex["meta"]["template"] == "member_inherited":
                    inherited.append(ex["messages"][1]["content"] + " " + ex["messages"][2]["content"])
        assert not [ex for ex in gen.examples(nodes["t:inv/other.py#Bag"]) if ex["meta"].get("negative")]
    assert set(negatives) >= {"balance", "close", "post", "reopen"}
    assert set(negatives) <= {"balance", "close", "post", "reopen", "pack", "shout"}
    assert any("`Loud`" in q and "`audit`" in q and q.endswith("inherits the method `audit` from `Inventory`.")
               for q in inherited)
