"""One source's snapshot manifest -> data/graph/<source>.sqlite (+ a JSON report).

Files stream through a pool of parser processes (ordered, so the output is deterministic) into
batched SQLite writes; no tree outlives its file, so memory stays flat whatever the repo size.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import time
from collections import Counter
from pathlib import Path

from ..errors import NanodexError
from ..io import atomic_path, read_json, write_json_atomic
from .extract import extract_file
from .resolve import resolve_all
from .stats import graph_stats
from .store import Writer, connect, create_indexes

log = logging.getLogger(__name__)
MAX_LISTED = 1000   # problem files listed by name in the report (all are counted)


def _work(task):
    return extract_file(*task)


def _progress(iterable, total: int, desc: str):
    try:
        from tqdm import tqdm
    except ImportError:  # progress bars are a nicety
        return iterable
    quiet = os.environ.get("CI") or not os.isatty(2)
    return tqdm(iterable, total=total, desc=desc, unit="file", disable=bool(quiet), mininterval=1.0)


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
    sha = {e["path"]: e.get("sha256") for e in todo}
    tasks = [(root, e["path"], e["lang"], source, max_file_bytes, max_docstring_chars) for e in todo]
    status, reasons, problems = Counter(), Counter(), []
    nbytes = 0
    workers = max(1, min(workers, len(tasks) // 64 + 1))
    with atomic_path(out_db) as tmp:
        con = connect(str(tmp), create=True)
        writer = Writer(con)
        pool = mp.get_context("fork").Pool(workers) if workers > 1 else None
        try:
            results = pool.imap(_work, tasks, chunksize=16) if pool else map(_work, tasks)
            for res in _progress(results, len(tasks), f"graph {source}"):
                writer.add(source, sha.get(res.path), res)
                status[res.status] += 1
                nbytes += res.size
                if res.reason:
                    reasons[res.reason.split(":", 1)[0]] += 1
                    if len(problems) < MAX_LISTED:
                        problems.append({"path": res.path, "status": res.status, "reason": res.reason,
                                         "line": res.error_line})
            writer.flush()
        finally:
            if pool:
                pool.close()
                pool.join()
        t_parse = time.perf_counter() - t0
        create_indexes(con)
        resolve_all(con, source)
        con.executemany("INSERT INTO meta VALUES (?, ?)",
                        [("source", source), ("rev", str(manifest.get("rev") or ""))])
        fk = con.execute("PRAGMA foreign_key_check").fetchone()
        if fk:
            raise NanodexError(f"{out_db}: internal error, dangling edge {fk}")
        stats = graph_stats(con)
        con.close()
    elapsed = time.perf_counter() - t0
    report = {
        "source": source,
        "files": {"total": len(tasks), **{k: status[k] for k in ("ok", "partial", "skipped")}},
        "reasons": dict(sorted(reasons.items())),
        "problems": problems,
        "problems_listed": len(problems),
        **stats,
        "timing": {"seconds": round(elapsed, 3), "parse_seconds": round(t_parse, 3), "workers": workers,
                   "files_per_s": round(len(tasks) / t_parse, 1) if t_parse else None,
                   "mb": round(nbytes / 1e6, 3)},
    }
    if report_path:
        write_json_atomic(report_path, report)
    log.info("graph %s: %d files (%d ok, %d partial, %d skipped), %d nodes, %d edges in %.2fs -> %s",
             source, len(tasks), status["ok"], status["partial"], status["skipped"],
             stats["nodes"]["total"], stats["edges"]["total"], elapsed, out_db)
    return report
