"""One source's snapshot manifest -> data/graph/<source>.sqlite (+ a JSON report).

Files stream through a pool of parser processes (ordered, so the output is deterministic) into
batched SQLite writes; no tree outlives its file, so memory stays flat whatever the repo size.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from ..errors import NanodexError
from ..io import read_json
from ..progress import bar as progress_bar
from .extract import extract_file
from .resolve import resolve_all
from .store import Writer, append_database, connect, create_indexes, new_graph, write_report

log = logging.getLogger(__name__)
MAX_LISTED = 1000   # problem files listed by name in the report (all are counted)
CHUNK = 64          # files per task: big enough to amortise a shard, small enough to balance workers


def _extract_into(con, source: str, root: str, entries: list[dict], max_bytes: int, max_doc: int) -> list[tuple]:
    """Extract files and write their rows to `con`; return (path, status, reason, line, size) per file."""
    writer = Writer(con, batch_files=len(entries) + 1)
    out = []
    for e in entries:
        res = extract_file(root, e["path"], e["lang"], source, max_bytes, max_doc)
        writer.add(source, e.get("sha256"), res)
        out.append((res.path, res.status, res.reason, res.error_line, res.size))
    writer.flush()
    return out


def _work(task):
    """In a worker: extract one chunk into its own shard database (no rows cross the process pipe)."""
    shard, source, root, entries, max_bytes, max_doc = task
    con = connect(shard, create=True, shard=True)
    con.execute("PRAGMA foreign_keys = OFF")   # the merged graph is checked once, at the end
    try:
        return shard, _extract_into(con, source, root, entries, max_bytes, max_doc)
    finally:
        con.close()


def _tally(summary, status: Counter, reasons: Counter, problems: list) -> None:
    for path, st, reason, line, _ in summary:
        status[st] += 1
        if reason:
            reasons[reason.split(":", 1)[0]] += 1
            if len(problems) < MAX_LISTED:
                problems.append({"path": path, "status": st, "reason": reason, "line": line})


def build_source_graph(manifest_path: str | Path, out_db: str | Path, report_path: str | Path | None = None,
                       languages: list[str] | None = None, max_file_bytes: int = 1_000_000,
                       max_docstring_chars: int = 2000, workers: int = 1) -> dict:
    t0 = time.perf_counter()
    manifest = read_json(manifest_path)
    try:
        source, root, entries = manifest["source"], manifest["root"], manifest["files"]
    except (KeyError, TypeError) as exc:
        raise NanodexError(f"{manifest_path}: not a snapshot manifest (missing {exc}); "
                           "expected the output of the snapshot rule") from None
    langs = set(languages) if languages else None
    todo = [e for e in entries if langs is None or e["lang"] in langs]
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    status, reasons, problems = Counter(), Counter(), []
    nbytes = 0
    workers = max(1, min(workers, len(chunks)))
    with new_graph(out_db) as graph, tempfile.TemporaryDirectory(dir=Path(out_db).parent, prefix=".shards-") as sd:
        con = graph.con
        bar = progress_bar(len(todo), f"graph {source}", unit="file")
        if workers > 1:
            tasks = [(os.path.join(sd, f"{i:06d}.sqlite"), source, root, c, max_file_bytes, max_docstring_chars)
                     for i, c in enumerate(chunks)]
            with mp.get_context("fork").Pool(workers) as pool:
                # imap keeps chunk order, so the graph is the same bytes whatever the worker count.
                for shard, summary in pool.imap(_work, tasks):
                    append_database(con, shard)
                    os.unlink(shard)
                    _tally(summary, status, reasons, problems)
                    nbytes += sum(x[4] for x in summary)
                    bar.update(len(summary))
        else:
            for c in chunks:
                summary = _extract_into(con, source, root, c, max_file_bytes, max_docstring_chars)
                _tally(summary, status, reasons, problems)
                nbytes += sum(x[4] for x in summary)
                bar.update(len(summary))
        bar.close()
        t_parse = time.perf_counter() - t0
        create_indexes(con)
        resolve_all(con, source)
        con.executemany("INSERT INTO meta VALUES (?, ?)",
                        [("source", source), ("rev", str(manifest.get("rev") or ""))])
    stats = graph.stats
    elapsed = time.perf_counter() - t0
    report = {
        "source": source,
        "files": {"total": len(todo), **{k: status[k] for k in ("ok", "partial", "skipped")}},
        "reasons": dict(sorted(reasons.items())),
        # unfit entries the snapshot left out (non-UTF-8 names, FIFOs, symlink loops ...), by reason
        "left_out": (manifest.get("counts") or {}).get("left_out", {}),
        "problems": problems,
        "problems_listed": len(problems),
        **stats,
        "timing": {"seconds": round(elapsed, 3), "parse_seconds": round(t_parse, 3), "workers": workers,
                   "files_per_s": round(len(todo) / t_parse, 1) if t_parse else None,
                   "mb": round(nbytes / 1e6, 3)},
    }
    write_report(report_path, report)
    log.info("graph %s: %d files (%d ok, %d partial, %d skipped), %d nodes, %d edges in %.2fs -> %s",
             source, len(todo), status["ok"], status["partial"], status["skipped"],
             stats["nodes"]["total"], stats["edges"]["total"], elapsed, out_db)
    return report
