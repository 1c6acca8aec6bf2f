"""What a finished run made, in a few lines: the terminal summary of `snakemake` (the Snakefile's
`onsuccess:`) and the tables of the report's first page. Every input is optional: a run that stopped
at `graph` or `dataset` summarises what it has."""

from __future__ import annotations

import json
from pathlib import Path

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
        rows.append(("Nix packages with pname and version", f"{nix.get('with_pname_version')} of {nix['with_package']}"))
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
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        out.append("   * - " + _rst_cell(row[0]))
        out += [f"     - {_rst_cell(c)}" for c in row[1:]]
    return "\n".join(out) + "\n"


def _rst_cell(text) -> str:
    return str(text).replace("\n", " ").replace("*", r"\*").replace("`", r"\`").replace("|", r"\|") or "–"
