"""What a finished run made, in a few lines: the terminal summary of `snakemake` (the Snakefile's
`onsuccess:`) and the tables of the report's first page. Every input is optional: a run that stopped
at `graph` or `dataset` summarises what it has."""

from __future__ import annotations

import json
from pathlib import Path

from .dataset.example import assistant_text, user_text

# eval.json's top-level metrics (see the cross-team contract): {"base": {"value", "ci", "n"}, "adapter": ...}
EVAL_METRICS = {
    "fact_recall": "fact recall",
    "heldout": "held-out answers",
    "invented_identifiers": "invented identifiers (lower is better)",
    "nix_set": "Nix set",
}


def _read(path) -> dict | None:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def _fmt(block: dict | None) -> str:
    if not isinstance(block, dict) or block.get("value") is None:
        return "–"
    value = block["value"]
    text = f"{value:.3f}" if isinstance(value, float) else str(value)
    ci = block.get("ci")
    if ci and None not in ci:
        text += f" [{ci[0]:.2f}, {ci[1]:.2f}]"
    return text + (f" n={block['n']}" if block.get("n") is not None else "")


def eval_rows(report: dict) -> list[tuple[str, str, str]]:
    """(metric, base, adapter) rows: the contract's metrics first, then any other top-level metric of
    that shape; a metric eval.json lacks is skipped."""
    names = [k for k in EVAL_METRICS if k in report]
    names += sorted(k for k, v in report.items() if k not in EVAL_METRICS and isinstance(v, dict)
                    and isinstance(v.get("base"), dict) and "value" in v["base"])
    rows = []
    for name in names:
        block = report[name]
        if not isinstance(block, dict) or not ({"base", "adapter"} & set(block)):
            continue
        label = EVAL_METRICS.get(name, name.replace("_", " "))
        metric = (block.get("adapter") or {}).get("metric") or (block.get("base") or {}).get("metric")
        if metric:
            label += f" ({metric.replace('_', ' ')})"
        rows.append((label, _fmt(block.get("base")), _fmt(block.get("adapter"))))
    return rows or _legacy_rows(report)


def _legacy_rows(report: dict) -> list[tuple[str, str, str]]:
    """eval.json from before the contract: per model, {"heldout": {"loss", "loss_ci95", "n_examples"}, ...}."""
    b, a = report.get("base"), report.get("adapter")
    if not (isinstance(b, dict) and isinstance(a, dict)):
        return []
    rows = []
    for label, key, value in (("held-out loss", "heldout", "loss"), ("control loss (forgetting)", "control", "loss"),
                              ("identifier recall", "identifier_recall", "mean"), ("ROUGE-L", "rouge_l", "mean")):
        blocks = [side.get(key) for side in (b, a)]
        if all(isinstance(x, dict) and value in x for x in blocks):
            rows.append((label, *(_fmt({"value": x[value], "ci": x.get("ci95") or x.get("loss_ci95"),
                                         "n": x.get("n", x.get("n_examples"))}) for x in blocks)))
    return rows


def dataset_rows(stats: dict) -> list[tuple[str, str]]:
    ex = stats.get("examples", {})
    rows = [("examples", f"{ex.get('train', 0)} train + {ex.get('eval', 0)} eval"),
            ("categories", str(len(stats.get("by_category", {})))),
            ("sources", ", ".join(f"{k} {v}" for k, v in sorted(stats.get("by_source", {}).items(),
                                                             key=lambda kv: (-kv[1], kv[0]))))]
    if stats.get("candidates") is not None:
        rows.append(("candidates", str(stats["candidates"])))
    dropped = sum((stats.get("dropped") or {}).values()) + sum((stats.get("duplicates") or {}).values())
    rows.append(("dropped or duplicates", str(dropped)))
    return rows


def graph_rows(report: dict) -> list[tuple[str, str]]:
    rows = [("nodes", str((report.get("nodes") or {}).get("total", "–"))),
            ("edges", str((report.get("edges") or {}).get("total", "–"))),
            ("sources", ", ".join(s.get("source", "?") for s in report.get("sources", [])))]
    nix = report.get("nix_packages") or {}
    if nix.get("with_package"):
        rows.append(("Nix packages with pname and version",
                     f"{nix.get('with_pname_version')} of {nix['with_package']}"))
    return rows


def _table(rows, header) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    return ["  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]


def paths(config: dict) -> dict:
    run = config.get("train", {}).get("run", "demo")
    return {"stats": "data/dataset/stats.json", "graph": "data/brain/graph.report.json",
            "eval": f"reports/{run}/eval.json", "eval_md": f"reports/{run}/eval.md", "adapter": f"models/{run}/adapter"}


def terminal_summary(config: dict, root=".") -> str:
    root, p = Path(root), paths(config)
    lines = []
    graph = _read(root / p["graph"])
    if graph:
        lines.append("nanodex: graph " + "; ".join(f"{k} {v}" for k, v in graph_rows(graph)))
    stats = _read(root / p["stats"])
    if stats:
        lines.append("nanodex: dataset " + "; ".join(f"{k} {v}" for k, v in dataset_rows(stats)))
    report = _read(root / p["eval"])
    if report:
        rows = eval_rows(report)
        lines.append(f"nanodex: eval, base model vs adapter ({p['eval_md']}):")
        lines += _table(rows, ("metric", "base", "adapter")) if rows else ["  (no metric in eval.json)"]
    if (root / p["adapter"] / "adapter_config.json").is_file():
        lines.append(f"nanodex: adapter in {p['adapter']}/; ask it: nanodex ask --local \"How do I enable nginx?\"; "
                     "report: snakemake --report report.html")
    return "\n".join(lines)


def rst_table(rows, header) -> str:
    """An RST list-table (Snakemake's report renders captions as reStructuredText)."""
    if not rows:   # docutils refuses a list-table without a body row
        return "(none)\n"
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        out.append("   * - " + _rst_cell(row[0]))
        out += [f"     - {_rst_cell(c)}" for c in row[1:]]
    return "\n".join(out) + "\n"


def _rst_cell(text) -> str:
    return str(text).replace("\n", " ").replace("*", r"\*").replace("`", r"\`").replace("|", r"\|") or "–"


def sample_qa(example_files, per_category: int = 3, max_chars: int = 400) -> dict[str, list[tuple[str, str]]]:
    """A few (question, answer) pairs per category, the same every time (smallest ids first)."""
    by_cat: dict[str, list[dict]] = {}
    for path in example_files:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    ex = json.loads(line)
                    by_cat.setdefault(ex["category"], []).append(ex)

    def clip(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= max_chars else text[: max_chars - 1] + "…"

    return {cat: [(clip(user_text(e)), clip(assistant_text(e)))
                  for e in sorted(exs, key=lambda e: e["id"])[:per_category]]
            for cat, exs in sorted(by_cat.items())}


def report_rst(eval_json, stats_json, graph_json, example_files, per_category: int = 3) -> str:
    """The report's first page (included by report/workflow.rst): the eval table, the dataset and graph
    numbers, counts by category, and sample Q&A per category."""
    parts = []
    report = _read(eval_json)
    if report:
        parts += [f"**Eval: base model vs adapter** (`{report.get('base_model', '?')}`; value [95% interval] n)", "",
                  rst_table(eval_rows(report), ("metric", "base", "adapter"))]
    stats = _read(stats_json)
    if stats:
        parts += ["**Dataset**", "", rst_table(dataset_rows(stats), ("quantity", "value")),
                  "**Examples by category**", "",
                  rst_table(sorted(((k, str(v)) for k, v in stats.get("by_category", {}).items()),
                                   key=lambda kv: (-int(kv[1]), kv[0])), ("category", "examples"))]
    graph = _read(graph_json)
    if graph:
        parts += ["**Knowledge graph**", "", rst_table(graph_rows(graph), ("quantity", "value"))]
    samples = sample_qa(example_files, per_category)
    if samples:
        parts += [f"**Sample questions and answers** ({per_category} per category)", ""]
        for cat, pairs in samples.items():
            parts += [f"*{cat}*", "", rst_table(pairs, ("question", "answer"))]
    return "\n".join(parts) + "\n"
