"""Dataset statistics: counts by category, source, node type; length distributions; drops and
duplicates by reason. As JSON (scripts), Markdown (people) and PNG plots (matplotlib)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson

from ..io import atomic_path, write_bytes_atomic, write_json_atomic
from .example import assistant_text, user_text

PCTS = (0, 10, 50, 90, 99, 100)


def _percentiles(values: list[int]) -> dict:
    if not values:
        return {}
    values = sorted(values)
    return {f"p{p}": values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] for p in PCTS} | \
        {"mean": round(sum(values) / len(values), 1)}


def dataset_stats(train, eval_, report) -> dict:
    by = {k: Counter() for k in ("category", "source", "type", "template")}
    lengths = {"question_chars": [], "answer_chars": []}
    splits = Counter()
    negatives = 0
    for split, path in (("train", train), ("eval", eval_)):
        with open(path, "rb") as fh:
            for line in fh:
                ex = orjson.loads(line)
                splits[split] += 1
                by["category"][ex["category"]] += 1
                by["source"][ex["source"]] += 1
                by["type"][ex["meta"].get("type", "?")] += 1
                by["template"][ex["meta"].get("template", "?")] += 1
                negatives += bool(ex["meta"].get("negative"))
                lengths["question_chars"].append(len(user_text(ex)))
                lengths["answer_chars"].append(len(assistant_text(ex)))
    rep = orjson.loads(Path(report).read_bytes())
    return {
        "examples": dict(splits), "negatives": negatives,
        **{f"by_{k}": dict(sorted(v.items())) for k, v in by.items()},
        "lengths": {k: _percentiles(v) for k, v in lengths.items()},
        "candidates": rep.get("candidates"), "dropped": rep.get("dropped", {}), "duplicates": rep.get("duplicates", {}),
        "_lengths_raw": lengths,
    }


def markdown(stats: dict) -> str:
    lines = ["# Dataset statistics", "",
             f"Examples: {stats['examples'].get('train', 0)} train, {stats['examples'].get('eval', 0)} eval "
             f"(from {stats['candidates']} candidates; {stats['negatives']} negatives).", ""]
    for key, title in (("by_category", "Category"), ("by_source", "Source"), ("by_type", "Node type")):
        lines += [f"| {title} | examples |", "| --- | ---: |"]
        lines += [f"| {k} | {v} |" for k, v in sorted(stats[key].items(), key=lambda kv: (-kv[1], kv[0]))]
        lines.append("")
    lines += ["| Length (chars) | " + " | ".join(f"p{p}" for p in PCTS) + " | mean |",
              "| --- |" + " ---: |" * (len(PCTS) + 1)]
    for k, v in stats["lengths"].items():
        lines.append(f"| {k} | " + " | ".join(str(v.get(f"p{p}", "")) for p in PCTS) + f" | {v.get('mean', '')} |")
    lines += ["", "| Dropped or removed | count |", "| --- | ---: |"]
    for k, v in sorted(stats["dropped"].items()):
        lines.append(f"| {k} | {v} |")
    for k, v in sorted(stats["duplicates"].items()):
        lines.append(f"| {k} duplicate | {v} |")
    return "\n".join(lines) + "\n"


def needs_log_scale(counts: list[int], span: int = 20) -> bool:
    """Counts spanning more than `span`x (discovery next to a handful of Nix categories)."""
    counts = [c for c in counts if c > 0]
    return bool(counts) and max(counts) >= span * min(counts)


def plots(stats: dict, categories_png, lengths_png) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cats = sorted(stats["by_category"].items(), key=lambda kv: kv[1])
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(cats) + 1)))
    bars = ax.barh([k for k, _ in cats], [v for _, v in cats], color="#4c72b0")
    ax.bar_label(bars, padding=3)                # the count on every bar
    counts = [v for _, v in cats if v > 0]
    log = needs_log_scale(counts)
    if log:   # counts spanning orders of magnitude: a linear axis hides the small categories
        ax.set_xscale("log")
    ax.set_xlim(right=max(counts or [1]) * (3 if log else 1.15))
    ax.set_xlabel("examples (log scale)" if log else "examples")
    ax.set_title("Examples by category")
    fig.tight_layout()
    with atomic_path(categories_png) as tmp:
        fig.savefig(tmp, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    raw = stats["_lengths_raw"]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for key, color in (("question_chars", "#55a868"), ("answer_chars", "#c44e52")):
        if raw[key]:
            ax.hist(raw[key], bins=40, alpha=0.6, label=f"{key.replace('_', ' ')} (n={len(raw[key])})", color=color)
    ax.set_xlabel("characters")
    ax.set_ylabel("examples (log scale)")
    ax.set_yscale("log")      # a few long answers next to many short ones
    ax.set_title("Length distribution")
    ax.legend()
    fig.tight_layout()
    with atomic_path(lengths_png) as tmp:
        fig.savefig(tmp, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)


def write_stats(train, eval_, report, out_json, out_md, categories_png, lengths_png) -> dict:
    stats = dataset_stats(train, eval_, report)
    plots(stats, categories_png, lengths_png)
    stats.pop("_lengths_raw")
    write_json_atomic(out_json, stats)
    write_bytes_atomic(out_md, markdown(stats).encode())
    return stats
