"""Eval scores computed by hand: fact recall by the fact itself, invented identifiers against a real
graph database, the fixed Nix set's key facts, bootstrap intervals clustered by group."""

import orjson
import pytest

from nanodex.errors import NanodexError
from nanodex.eval.run import CONTRACT_KEYS, markdown, score_side
from nanodex.eval.scoring import (
    Graph,
    clustered_mean,
    contains_value,
    content_recall,
    deps_f1,
    fact_score,
    identifier_mentions,
    invented,
    key_fact_share,
    read_nix_set,
)
from nanodex.graph.dumps import build_options_graph


def test_fact_recall_scores_the_fact_itself():
    assert fact_score("pkg_version", "2.12", "nixpkgs has hello 2.12.") == 1.0
    assert fact_score("pkg_version", "2.12", "It is at 2.12.1 now") == 0.0      # another version
    assert fact_score("pkg_version", "2.1", "version 2.12") == 0.0
    assert fact_score("pkg_builder", "rustPlatform.buildRustPackage", "It uses buildRustPackage.") == 1.0
    assert fact_score("pkg_builder", "buildGoModule", "It uses stdenv.mkDerivation.") == 0.0
    assert fact_score("opt_default", "8080", "The default is `8080`.") == 1.0
    assert fact_score("opt_enables", "services.jar.enable", "Set services.jar.enable = true;") == 1.0
    assert fact_score("opt_enables", "services.jar.enable", "Set services.jar.enabled = true;") == 0.0
    assert fact_score("opt_rename", "removed", "That option was removed in 24.05.") == 1.0
    # dependencies as F1: gold {gettext, openssl}; named {gettext, zlib} (hello, the subject, not counted)
    universe = {"hello", "gettext", "openssl", "zlib"}
    assert deps_f1("`hello` needs `gettext` and `zlib`.", ["gettext", "openssl"], universe, ["hello"]) == \
        pytest.approx(0.5)   # P = 1/2, R = 1/2
    assert fact_score("pkg_deps", ["python3Packages.requests"], "It depends on requests.", universe) == 1.0
    assert deps_f1("nothing", ["gettext"], universe) == 0.0
    # content words of the reference (4+ letters, no stop words): {create, data, directory, first}
    assert content_recall("Create the directory.", "Create the data directory first.") == pytest.approx(2 / 4)
    assert contains_value("a", "") == 0.0


@pytest.fixture
def graph(tmp_path):
    opts = {"services.pantry.enable": {"type": "boolean", "default": False, "description": "x"},
            "users.users.<name>.home": {"type": "path", "description": "Home."},
            "services.pantry.settings": {"type": "attribute set", "description": "Freeform settings."}}
    (tmp_path / "o.json").write_bytes(orjson.dumps(opts))
    build_options_graph(tmp_path / "o.json", tmp_path / "g.sqlite", None, "options")
    g = Graph.from_db(tmp_path / "g.sqlite")
    return Graph(g.packages | {"hello", "gettext"}, g.options | {"users.users.<name>.home"})


def test_invented_identifiers_by_hand(graph):
    answer = ("Install pkgs.hello and pkgs.hellox, or run `nix shell nixpkgs#gettext`; set services.pantry.enable, "
              "services.pantry.settings.port, users.users.alice.home and services.pantry.enabled; pkgs.lib is fine.")
    assert identifier_mentions(answer) == [
        ("package", "hello"), ("package", "hellox"), ("package", "gettext"), ("option", "services.pantry.enable"),
        ("option", "services.pantry.settings.port"), ("option", "users.users.alice.home"),
        ("option", "services.pantry.enabled")]
    assert invented(answer, graph) == (2, 7)      # pkgs.hellox, services.pantry.enabled
    assert invented("No identifiers here.", graph) == (0, 0)
    with pytest.raises(NanodexError, match="not a nanodex graph database"):
        Graph.from_db(__file__)


def test_nix_set_key_facts(tmp_path):
    p = tmp_path / "nix_set.jsonl"
    p.write_bytes(b'{"id": "a", "question": "What does lib.mkForce do?", "answer": "...", '
                  b'"key_facts": ["priority", "mkOverride\\\\s+50"], "topic": "modules"}\n')
    items = read_nix_set(p)
    assert key_fact_share("It sets a high PRIORITY via mkOverride 50.", items[0]["key_facts"]) == 1.0
    assert key_fact_share("It sets the priority.", items[0]["key_facts"]) == 0.5
    p.write_bytes(b'{"id": "b", "question": "Q?", "key_facts": ["("]}\n')
    with pytest.raises(NanodexError, match=r"line 1: key_facts regex '\(' is invalid"):
        read_nix_set(p)


def test_clustered_intervals_by_hand():
    # two files, one all right, one all wrong: only 2 clusters, so the interval spans [0, 1]
    r = clustered_mean([1.0] * 50 + [0.0] * 50, ["a"] * 50 + ["b"] * 50)
    assert r["value"] == 0.5 and r["ci"] == [0.0, 1.0] and r["n"] == 100 and r["clusters"] == 2
    # the same values as 100 independent groups: a narrow interval around 0.5
    r = clustered_mean([1.0, 0.0] * 50, [str(i) for i in range(100)])
    assert r["value"] == 0.5 and 0.35 < r["ci"][0] < 0.5 < r["ci"][1] < 0.65
    assert clustered_mean([0.5] * 4, list("abcd"))["ci"] == [0.5, 0.5]
    assert clustered_mean([1.0, 0.0], ["a", "a"])["ci"] == [0.5, 0.5]           # one group: no spread to see
    assert clustered_mean([], []) == {"value": None, "ci": None, "n": 0, "clusters": 0}
    # weighted (invented identifiers: bad / named per answer, weighted by named): (1 + 0) / (2 + 2)
    assert clustered_mean([0.5, 0.0], ["a", "b"], weights=[2, 2])["value"] == 0.25


def test_score_side_and_the_contract_keys(graph):
    def ex(q, a, group, **meta):
        return {"id": q, "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": q},
                                      {"role": "assistant", "content": a}], "meta": {"group": group, **meta}}

    recall = [ex("v?", "2.12", "g1", fact={"kind": "pkg_version", "value": "2.12", "subject": "hello"}),
              ex("d?", "x", "g2", fact={"kind": "opt_default", "value": "8080"})]
    heldout = [ex("h?", "Use `pkgs.hello` here.", "g3")]
    nix = [{**ex("n?", "", "nix_set:t"), "key_facts": ["hello"]}]
    s = score_side(heldout, ["Use pkgs.hello."], recall, ["It is 2.12.", "It is 80."], nix, ["hello pkgs.nope"],
                   graph, 0)
    assert set(s) == set(CONTRACT_KEYS)
    assert s["fact_recall"]["value"] == 0.5 and s["fact_recall"]["n"] == 2
    assert s["fact_recall"]["by_kind"] == {"opt_default": {"value": 0.0, "n": 1}, "pkg_version": {"value": 1.0, "n": 1}}
    assert s["heldout"]["value"] == 1.0 and s["heldout"]["rouge_l"]["n"] == 1
    assert s["invented_identifiers"]["value"] == 0.5 and s["invented_identifiers"]["n"] == 2   # pkgs.nope
    assert s["nix_set"]["value"] == 1.0
    report = {**{k: {"base": s[k], "adapter": s[k]} for k in CONTRACT_KEYS}, "adapter_dir": "models/demo/adapter",
              "base_model": "m", "eval_examples": 1, "recall_examples": 2, "nix_set_examples": 1,
              "control_examples": 0, "max_new_tokens": 8,
              **{side: {"heldout": {"loss": 1.0, "loss_ci95": [1, 1], "n_examples": 1, "perplexity": 2.7},
                        "control": {"loss": 1.0, "loss_ci95": [1, 1], "n_examples": 1, "perplexity": 2.7},
                        "nix_parse_rate": {"mean": None}} for side in ("base", "adapter")}}
    md = markdown(report)
    assert "| fact recall, held-out phrasings (closed book) | 0.5 [" in md and "| pkg_version | 1.0 (n=1)" in md


def test_heldout_loss_interval_resamples_groups():
    from nanodex.eval.run import _loss_block

    # group a: 2.0 over 1 token; group b: 7.0 over 3 tokens; resamples {a,a} = 2, {b,b} = 7/3, {a,b} = 9/4
    block = _loss_block([2.0, 4.0, 3.0], [1, 1, 2], 0, ["a", "b", "b"])
    assert block["loss"] == 2.25 and block["loss_ci95"] == [2.0, 2.3333] and block["n_examples"] == 3
