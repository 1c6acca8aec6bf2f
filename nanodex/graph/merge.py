"""Per-source graphs -> the one graph of all sources (data/brain/graph.sqlite)."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from ..errors import NanodexError
from ..sources.channel import is_channel_db, join_channel
from .links import link_mentions, link_options_to_modules
from .resolve import resolve_nix_inputs
from .store import append_database, create_indexes, new_graph, write_report

log = logging.getLogger(__name__)


def merge_graphs(inputs: list[str | Path], out_db: str | Path, report_path: str | Path | None = None) -> dict:
    t0 = time.perf_counter()
    sources = []
    with new_graph(out_db, dangling="edge to a missing node after merge:") as graph:
        con = graph.con
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
    stats = graph.stats
    report = write_report(report_path, {"sources": sources, **stats, **({"channel": channels} if channels else {}),
                                        "timing": {"seconds": round(time.perf_counter() - t0, 3)}})
    log.info("merged %d graphs: %d nodes, %d edges -> %s", len(sources), stats["nodes"]["total"],
             stats["edges"]["total"], out_db)
    return report
