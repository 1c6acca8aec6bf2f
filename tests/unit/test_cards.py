"""Cards through huggingface_hub (YAML metadata the Hub reads), licences and provenance, and the
Parquet export loadable with datasets.load_dataset."""

from __future__ import annotations

import json

from huggingface_hub import DatasetCard, ModelCard

from nanodex.dataset.card import hf_license, provenance, write_card
from nanodex.dataset.export import export_parquet
from nanodex.train.card import model_card, release


def _example(i, cat="options"):
    return {"id": f"id{i:03d}", "category": cat, "source": "demo", "refs": [f"n{i}"], "meta": {"type": "capability"},
            "messages": [{"role": "system", "content": "S"}, {"role": "user", "content": f"Q{i}?"},
                         {"role": "assistant", "content": f"A{i}."}]}


def _splits(tmp_path):
    train, eval_ = tmp_path / "train.jsonl", tmp_path / "eval.jsonl"
    train.write_text("".join(json.dumps(_example(i)) + "\n" for i in (3, 1, 2)))
    eval_.write_text(json.dumps(_example(9, "howto")) + "\n")
    return train, eval_


DEMO_SOURCES = {"demo": {"kind": "repo", "path": "data/demo"}, "self": {"kind": "repo", "path": "."},
                "wiki": {"kind": "mediawiki", "path": "data/demo/dumps/wiki.jsonl"},
                "forum": {"kind": "discourse", "path": "data/demo/dumps/discourse.jsonl"}}


def test_authored_demo_dumps_are_mit_not_the_live_services():
    assert provenance("wiki", DEMO_SOURCES["wiki"]) == (
        "authored demo file `data/demo/dumps/wiki.jsonl`", "MIT: authored for nanodex (data/demo), not taken from "
        "the live service")
    assert hf_license(DEMO_SOURCES) == "mit"
    live = {**DEMO_SOURCES, "forum": {"kind": "discourse", "url": "https://discourse.nixos.org"}}
    assert provenance("forum", live["forum"])[1].startswith("posts belong to their authors")
    assert hf_license(live) == "other"


def test_dataset_card_has_hub_metadata(tmp_path):
    train, eval_ = _splits(tmp_path)
    stats = tmp_path / "stats.json"
    stats.write_text(json.dumps({"examples": {"train": 3, "eval": 1}, "negatives": 0,
                                 "by_category": {"options": 3, "howto": 1}}))
    graph = tmp_path / "graph.report.json"
    graph.write_text(json.dumps({"sources": [{"source": "demo", "rev": "abc"}]}))
    out = tmp_path / "README.md"
    write_card(out, {"train": train, "eval": eval_}, stats, graph, DEMO_SOURCES, {"seed": 0})
    card = DatasetCard.load(out)
    assert card.data.license == "mit" and card.data.size_categories == ["n<1K"]
    assert card.data.configs[0]["data_files"][0] == {"split": "train", "path": "exports/parquet/train.parquet"}
    assert "| wiki | mediawiki | local | authored demo file `data/demo/dumps/wiki.jsonl` | MIT: authored" in card.text
    assert "NixOS wiki content" not in card.text and "belong to their authors" not in card.text


def test_model_card_has_hub_metadata():
    card = ModelCard(model_card(_meta()))
    assert card.data.base_model == "HuggingFaceTB/SmolLM2-135M-Instruct" and card.data.license == "apache-2.0"
    assert card.data.library_name == "peft" and card.data.datasets == ["nanodex"]
    assert card.data.eval_results[0].metric_value == 1.97
    assert "## Evaluation" not in card.text


def _meta():
    return {"config": {"run": "demo", "base_model": "resources/models/smollm2-135m-instruct", "method": "lora",
                       "lora": {"r": 8, "alpha": 16}},
            "dataset": {"train": {"examples": 3, "sha256": "0" * 64}}, "versions": {"peft": "0.21.2"},
            "steps": 20, "best_eval_loss": 1.97, "best_step": 20}


EVAL = {"fact_recall": {"base": {"value": 0.01, "ci": [0.0, 0.03], "n": 200},
                        "adapter": {"value": 0.166, "ci": [0.116, 0.216], "n": 200}},
        "invented_identifiers": {"base": {"value": 0.319, "ci": [0.24, 0.46], "n": 69},
                                 "adapter": {"value": 0.034, "ci": [0.0, 0.07], "n": 58}},
        "nix_set": {"base": {"value": 0.158, "ci": None, "n": 60}, "adapter": {"value": 0.133, "ci": None, "n": 60}}}


def test_release_card_carries_the_eval_results_and_the_adapter_files(tmp_path):
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "nanodex_train.json").write_text(json.dumps(_meta()))
    (adapter / "adapter_model.safetensors").write_bytes(b"weights")
    (adapter / "README.md").write_text("the training-time card")
    (tmp_path / "eval.json").write_text(json.dumps(EVAL))
    out = tmp_path / "release"
    assert release(adapter, tmp_path / "eval.json", out) == {"files": 3, "metrics": 4}
    assert (out / "adapter_model.safetensors").read_bytes() == b"weights"
    card = ModelCard.load(out / "README.md")
    results = {r.metric_type: r.metric_value for r in card.data.eval_results}
    assert results == {"loss": 1.97, "fact_recall": 0.166, "invented_identifiers": 0.034, "nix_set": 0.133}
    assert "| fact recall | 0.010 [0.00, 0.03] n=200 | 0.166 [0.12, 0.22] n=200 |" in card.text
    assert "| Nix set | 0.158 n=60 | 0.133 n=60 |" in card.text


def test_parquet_export_loads_with_datasets_and_is_deterministic(tmp_path):
    from datasets import load_dataset

    train, eval_ = _splits(tmp_path)
    outs = {"train": tmp_path / "p/train.parquet", "eval": tmp_path / "p/eval.parquet"}
    assert export_parquet(train, eval_, outs) == {"train": 3, "eval": 1}
    first = outs["train"].read_bytes()
    export_parquet(train, eval_, outs)
    assert outs["train"].read_bytes() == first
    cache = str(tmp_path / "hf-cache")
    ds = load_dataset("parquet", data_files={k: str(v) for k, v in outs.items()}, cache_dir=cache)
    assert ds["train"]["id"] == ["id001", "id002", "id003"] and ds["eval"].num_rows == 1
    assert ds["train"][0]["messages"][2] == {"role": "assistant", "content": "A1."}
    assert json.loads(ds["train"][0]["meta"]) == {"type": "capability"}
    js = load_dataset("json", data_files={"train": str(train), "eval": str(eval_)}, cache_dir=cache)
    assert js["train"].num_rows == 3 and js["eval"][0]["category"] == "howto"
