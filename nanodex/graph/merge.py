"""Per-source graphs -> the one graph of all sources (data/brain/graph.sqlite)."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from ..errors import NanodexError
from ..io import atomic_path, write_json_atomic
from ..sources.channel import is_channel_db, join_channel
from .links import link_mentions, link_options_to_modules
from .resolve import resolve_nix_inputs
from .stats import graph_stats
from .store import append_database, connect, create_indexes

log = logging.getLogger(__name__)


def merge_graphs(inputs: list[str | Path], out_db: str | Path, report_path: str | Path | None = None) -> dict:
    t0 = time.perf_counter()
    sources = []
    with atomic_path(out_db) as tmp:
        con = connect(str(tmp), create=True)
        con.execute("PRAGMA foreign_keys = OFF")   # checked once at the end, not per row
        for path in sorted(map(str, inputs)):
            try:
                meta = append_database(con, path)
            except sqlite3.DatabaseError as exc:
                raise NanodexError(f"{path}: not a nanodex graph database ({exc})") from None
            name, rev = meta.get("source"), meta.get("rev")
            sources.append({"source": name, "rev": rev or None, "graph": path})
        con.execute("INSERT INTO meta VALUES ('sources', ?)", (",".join(s["source"] for s in sources),))
        create_indexes(con)
        channels = [join_channel(con, p) for p in sorted(map(str, inputs)) if is_channel_db(p)]
        resolve_nix_inputs(con)   # across sources: an input in one resolves to a package in another
        link_options_to_modules(con)
        link_mentions(con)
        con.execute("PRAGMA foreign_keys = ON")
        bad = con.execute("PRAGMA foreign_key_check").fetchone()
        if bad:
            raise NanodexError(f"{out_db}: edge to a missing node after merge: {bad}")
        stats = graph_stats(con)
        con.close()
    report = {"sources": sources, **stats, **({"channel": channels} if channels else {}),
              "timing": {"seconds": round(time.perf_counter() - t0, 3)}}
    if report_path:
        write_json_atomic(report_path, report)
    log.info("merged %d graphs: %d nodes, %d edges -> %s", len(sources), stats["nodes"]["total"],
             stats["edges"]["total"], out_db)
    return report
