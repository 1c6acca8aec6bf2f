"""The adapter's model card (README.md) through huggingface_hub's ModelCard, with the Hub's YAML
metadata: base model, library, licence where known, the dataset, and the measured results (the
training's eval loss; after the eval stage, the eval's headline metrics, base vs adapter)."""

from __future__ import annotations

from pathlib import Path

# Licences of the base models nanodex ships (resources/models/<name>); a Hub id or directory: unknown here.
SHIPPED_LICENSES = {"smollm2-135m-instruct": ("apache-2.0", "HuggingFaceTB/SmolLM2-135M-Instruct")}

# eval.json's headline metrics that go into the card's model-index (Hub metric type, what it measures)
CARD_METRICS = {
    "fact_recall": ("fact_recall", "fact recall, closed book, held-out phrasings"),
    "invented_identifiers": ("invented_identifiers", "invented identifiers (share of names not in the graph; "
                                                     "lower is better)"),
    "heldout": ("identifier_recall", "held-out groups: identifier recall"),
    "nix_set": ("nix_set", "fixed Nix question set: key facts matched"),
}


def _licence(base: str) -> tuple[str | None, str | None]:
    if base.startswith("resources/models/"):
        return SHIPPED_LICENSES.get(Path(base).name, (None, None))
    return None, (base if not Path(base).exists() else None)


def _eval_results(meta: dict, evaluation: dict | None) -> list:
    from huggingface_hub import EvalResult

    results = []
    if meta.get("best_eval_loss") is not None:
        results.append(EvalResult(task_type="text-generation", dataset_type="nanodex",
                                  dataset_name="nanodex Q&A (eval split)", metric_type="loss",
                                  metric_name="eval loss (assistant tokens)", metric_value=meta["best_eval_loss"]))
    for key, (metric_type, name) in CARD_METRICS.items():
        value = ((evaluation or {}).get(key) or {}).get("adapter", {}).get("value")
        if value is not None:
            results.append(EvalResult(task_type="text-generation", dataset_type="nanodex",
                                      dataset_name="nanodex eval sets", metric_type=metric_type, metric_name=name,
                                      metric_value=value))
    return results


def model_card(meta: dict, evaluation: dict | None = None) -> str:
    """meta: the adapter's nanodex_train.json; evaluation: reports/<run>/eval.json, when there is one."""
    from huggingface_hub import ModelCard, ModelCardData

    from ..summary import eval_rows

    cfg = meta["config"]
    base = cfg["base_model"]
    licence, hub_base = _licence(base)
    data = ModelCardData(base_model=hub_base, library_name="peft", license=licence or "other",
                         tags=["nanodex", cfg["method"], "nix"], datasets=["nanodex"], pipeline_tag="text-generation",
                         model_name=f"nanodex-{cfg['run']}", eval_results=_eval_results(meta, evaluation) or None)
    lines = [f"# nanodex adapter `{cfg['run']}`", "",
             f"A {cfg['method'].upper()} adapter (r={cfg['lora']['r']}, alpha={cfg['lora']['alpha']}) for "
             f"`{base}`, trained by nanodex on its Q&A dataset about code and the Nix ecosystem.", "",
             f"- optimizer steps: {meta.get('steps')}; best eval loss: {meta.get('best_eval_loss')} at step "
             f"{meta.get('best_step')}",
             f"- train examples: {meta['dataset']['train']['examples']} (sha256 "
             f"`{meta['dataset']['train']['sha256'][:16]}…`), the dataset card is `data/dataset/README.md`",
             f"- licence: {licence or 'that of the base model'} (the base model's); the dataset's sources and "
             "licences are listed in its card",
             "- libraries: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()), ""]
    rows = eval_rows(evaluation) if evaluation else []
    if rows:
        lines += ["## Evaluation (base model vs this adapter)", "",
                  "Value [95% interval, clustered by group] and n, from nanodex's eval stage "
                  "(`reports/<run>/eval.md` explains each measure).", "",
                  "| measure | base | adapter |", "|---|---|---|"]
        lines += [f"| {m} | {b} | {a} |" for m, b, a in rows]
        lines.append("")
    lines += ["Ask it with `nanodex ask --local` (the training system prompt is in `nanodex_train.json`), load it with "
              "`PeftModel.from_pretrained(base_model, this_directory)`, or serve it with vLLM "
              "(`--enable-lora --lora-modules nanodex=<this directory>`).", ""]
    return str(ModelCard(f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(lines)))


def release(adapter_dir, evaluation_json, out_dir) -> dict:
    """models/<run>/adapter + reports/<run>/eval.json -> models/<run>/release/: the adapter's files and
    a card that carries the eval's results: the directory to publish (`huggingface-cli upload`)."""
    import json
    import shutil

    from ..io import atomic_dir

    adapter_dir = Path(adapter_dir)
    meta = json.loads((adapter_dir / "nanodex_train.json").read_text())
    evaluation = json.loads(Path(evaluation_json).read_text())
    with atomic_dir(out_dir) as tmp:
        for f in sorted(adapter_dir.iterdir()):
            if f.is_file() and f.name != "README.md":
                shutil.copy2(f, tmp / f.name)
        (tmp / "README.md").write_text(model_card(meta, evaluation))
    return {"files": len(list(Path(out_dir).iterdir())), "metrics": len(_eval_results(meta, evaluation))}
