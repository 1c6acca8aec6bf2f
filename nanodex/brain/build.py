"""data/brain/graph.sqlite -> data/brain/nodes/ (sharded JSONL) + a report.

Graph context comes from two aggregations over the edges (outgoing and incoming, per node), joined
to the nodes in one streamed query: no per-node query, memory bounded by one shard.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections import Counter
from pathlib import Path

import orjson

from ..errors import NanodexError
from ..io import atomic_dir, write_json_atomic
from .classify import classify
from .summarize import summarize

log = logging.getLogger(__name__)
SEP = "\x1f"
K = 8   # names kept per context list

AGGREGATE = f"""
CREATE TEMP TABLE outa (id TEXT PRIMARY KEY, callees TEXT, children TEXT, bases TEXT, deps TEXT, imports TEXT,
                        mentions TEXT, declared_in TEXT, has_code INTEGER);
INSERT INTO outa
SELECT e.src,
  group_concat(CASE WHEN e.kind = 'calls' THEN d.qualified_name END, '{SEP}'),
  group_concat(CASE WHEN e.kind = 'contains' THEN d.name END, '{SEP}'),
  group_concat(CASE WHEN e.kind IN ('extends', 'implements') THEN d.name END, '{SEP}'),
  group_concat(CASE WHEN e.kind = 'depends_on' THEN d.name END, '{SEP}'),
  group_concat(CASE WHEN e.kind = 'imports' THEN d.path END, '{SEP}'),
  group_concat(CASE WHEN e.kind = 'mentions' THEN d.qualified_name END, '{SEP}'),
  group_concat(CASE WHEN e.kind = 'declared_in' THEN d.path END, '{SEP}'),
  0
FROM edges e JOIN nodes d ON d.id = e.dst GROUP BY e.src;
CREATE TEMP TABLE ina (id TEXT PRIMARY KEY, callers TEXT, container TEXT, mentioned_by TEXT, used_by TEXT);
INSERT INTO ina
SELECT e.dst,
  group_concat(CASE WHEN e.kind = 'calls' THEN s.qualified_name END, '{SEP}'),
  max(CASE WHEN e.kind = 'contains' THEN s.id END),
  group_concat(CASE WHEN e.kind = 'mentions' THEN s.qualified_name END, '{SEP}'),
  group_concat(CASE WHEN e.kind = 'depends_on' THEN s.name END, '{SEP}')
FROM edges e JOIN nodes s ON s.id = e.src GROUP BY e.dst;
"""

STREAM = """
SELECT n.id, n.source, n.kind, n.name, n.qualified_name, n.path, n.lang, n.start_line, n.end_line, n.signature,
       n.docstring, n.meta_json,
       o.callees, o.children, o.bases, o.deps, o.imports, o.mentions, o.declared_in,
       i.callers, i.mentioned_by, i.used_by, c.qualified_name, c.kind
FROM nodes n LEFT JOIN outa o ON o.id = n.id LEFT JOIN ina i ON i.id = n.id LEFT JOIN nodes c ON c.id = i.container
ORDER BY n.source, n.rowid
"""


def _split(value: str | None) -> list[str]:
    if not value:
        return []
    items = sorted(set(value.split(SEP)))
    return items[:K] + ([f"+{len(items) - K}"] if len(items) > K else [])


def build_brain(graph_db: str | Path, out_dir: str | Path, report_path: str | Path | None = None,
                summary_tokens: int = 96, shard_size: int = 50_000, max_doc_chars: int = 2000,
                summarizer=None) -> dict:
    """Write typed, summarised nodes as JSONL shards `nodes-<source>-<nnnn>.jsonl` into `out_dir`."""
    t0 = time.perf_counter()
    if not os.path.isfile(graph_db):
        raise NanodexError(f"{graph_db}: no graph database; build it with `snakemake -c8 graph`")
    out_dir = Path(out_dir)
    types, rules, kinds = Counter(), Counter(), Counter()
    bad = []
    with atomic_dir(out_dir) as tmp_dir:
        con = _open_graph(graph_db)
        shards = _Shards(tmp_dir, shard_size, summarizer)
        for row in con.execute(STREAM):
            rec = _record(row, summary_tokens, max_doc_chars)
            if rec is None:
                bad.append({"id": row[0], "problem": "missing name or kind"})
                continue
            shards.add(rec)
            types[rec["type"]] += 1
            rules[f"{rec['type']}:{rec['rule']}"] += 1
            kinds[f"{rec['kind']}->{rec['type']}"] += 1
        shards.close()
        con.close()
    total, names = shards.total, shards.names
    elapsed = time.perf_counter() - t0
    report = {"nodes": total, "shards": names, "types": dict(sorted(types.items())),
              "rules": dict(sorted(rules.items())), "kind_to_type": dict(sorted(kinds.items())),
              "bad_nodes": bad[:1000], "bad_nodes_total": len(bad), "summary_tokens": summary_tokens,
              "timing": {"seconds": round(elapsed, 3), "nodes_per_s": round(total / elapsed, 1) if elapsed else None}}
    if report_path:
        write_json_atomic(report_path, report)
    log.info("brain: %d nodes (%s) in %d shards, %.0f nodes/s -> %s", total,
             ", ".join(f"{k} {v}" for k, v in sorted(types.items())), len(names), total / max(elapsed, 1e-9), out_dir)
    return report


def _open_graph(graph_db) -> sqlite3.Connection:
    """The graph, read-only, with the per-node aggregations of its edges (temporary tables)."""
    con = sqlite3.connect(f"file:{graph_db}?mode=ro", uri=True)
    con.execute("PRAGMA temp_store = MEMORY")
    try:
        con.executescript(AGGREGATE)
    except sqlite3.DatabaseError as exc:
        raise NanodexError(f"{graph_db}: not a nanodex graph database ({exc})") from None
    return con


def _record(row: tuple, summary_tokens: int, max_doc_chars: int) -> dict | None:
    """The brain node of one STREAM row, typed and with its template summary; None without name or kind."""
    (nid, source, kind, name, qual, path, lang, l1, l2, sig, doc, meta_json,
     callees, children, bases, deps, imports, mentions, declared_in,
     callers, mentioned_by, used_by, container, container_kind) = row
    if not name or not kind:
        return None
    facts = orjson.loads(meta_json) if meta_json else {}
    code = facts.get("code") if isinstance(facts, dict) else None
    base_list = _split(bases)
    typ, rule = classify(kind, name, path or "", lang or "", sig, base_list, container_kind, bool(code))
    ctx = {"container": container, "children": _split(children), "callees": _split(callees),
           "callers": _split(callers), "bases": base_list, "deps": _split(deps), "imports": _split(imports),
           "mentions": _split(mentions), "mentioned_by": _split(mentioned_by), "used_by": _split(used_by),
           "declared_in": _split(declared_in)}
    rec = {"id": nid, "source": source, "kind": kind, "type": typ, "rule": rule, "name": name,
           "qualified_name": qual, "path": path, "lang": lang, "lines": [l1, l2], "signature": sig,
           "docstring": doc[:max_doc_chars] if doc else doc, "facts": facts,
           "context": {k: v for k, v in ctx.items() if v}}
    rec["summary"] = summarize(rec, ctx, summary_tokens)
    return rec


class _Shards:
    """JSONL shards `nodes-<source>-<nnnn>.jsonl` of at most `size` nodes, one source each. With a
    summarizer, records wait in batches of 256 for their summaries (in the order they came)."""

    BATCH = 256

    def __init__(self, out_dir: Path, size: int, summarizer=None):
        self.dir, self.size, self.summarizer = out_dir, size, summarizer
        self.names: list[str] = []
        self.fh, self.source, self.in_shard, self.total = None, None, 0, 0
        self.pending: list[dict] = []

    def add(self, rec: dict) -> None:
        if self.fh is None or rec["source"] != self.source or self.in_shard >= self.size:
            self._next(rec["source"])
        if self.summarizer is None:
            self.fh.write(orjson.dumps(rec) + b"\n")
        else:
            self.pending.append(rec)
            if len(self.pending) >= self.BATCH:
                self._flush()
        self.in_shard += 1
        self.total += 1

    def _next(self, source: str) -> None:
        self.close()
        idx = sum(1 for s in self.names if s.startswith(f"nodes-{source}-"))
        self.names.append(f"nodes-{source}-{idx:04d}.jsonl")
        self.fh = open(self.dir / self.names[-1], "wb")
        self.source, self.in_shard = source, 0

    def _flush(self) -> None:
        if self.summarizer is not None and self.pending:
            for rec, text in zip(self.pending, self.summarizer(self.pending), strict=True):
                rec["summary"] = text
        for rec in self.pending:
            self.fh.write(orjson.dumps(rec) + b"\n")
        self.pending.clear()

    def close(self) -> None:
        if self.fh is not None:
            self._flush()
            self.fh.close()
            self.fh = None


def iter_nodes(nodes_dir: str | Path):
    """Every brain node, shard by shard, in a stable order."""
    for shard in sorted(Path(nodes_dir).glob("nodes-*.jsonl")):
        with open(shard, "rb") as fh:
            for line in fh:
                yield orjson.loads(line)


def build_brain_from_config(graph_db, out_dir, report_path, cfg: dict) -> dict:
    """The pipeline's entry point: `cfg` is the config's `brain` section."""
    summarizer = None
    if cfg.get("summarizer") == "llm":
        from .llm import LlmSummarizer

        llm = cfg["llm"]
        summarizer = LlmSummarizer(llm["url"], llm["model"], llm["cache"], cfg["summary_tokens"], llm["batch_size"],
                                   llm["timeout"], llm["api_key_env"])
    return build_brain(graph_db, out_dir, report_path, cfg["summary_tokens"], cfg["shard_size"],
                       summarizer=summarizer)
