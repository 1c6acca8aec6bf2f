"""Graph-stage throughput and memory on a real tree: parse + extract + SQLite + resolution.

    .venv/bin/python benchmarks/extract.py PATH [--workers 2] [--limit N] [--lang nix] [--exclude GLOB]
    .venv/bin/python benchmarks/extract.py SAMPLE --replicate 200   # a sample tree copied 200 times: scale tests

Prints progress lines, then one JSON object on the last line:
{"files": ..., "mb": ..., "files_per_s": ..., "mb_per_s": ..., "nodes_per_s": ..., "peak_rss_mb": ..., "workers": ...}
files_per_s counts parse+extract+insert (the streamed part); total_s adds index build and resolution.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nanodex.graph.build import build_source_graph  # noqa: E402
from nanodex.io import read_json, write_json_atomic  # noqa: E402
from nanodex.sources.repo import snapshot  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--limit", type=int, default=0, help="take only the first N files (0 = all)")
    ap.add_argument("--lang", action="append", default=None, help="only these languages (repeatable)")
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--replicate", type=int, default=0,
                    help="copy the tree this many times (copy-NNNN/...) and measure that: scale without the corpus")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if args.replicate:
            import shutil

            for i in range(args.replicate):
                shutil.copytree(args.path, Path(tmp) / "tree" / f"copy-{i:04d}")
            args.path = str(Path(tmp) / "tree")
        manifest = Path(tmp) / "manifest.json"
        t0 = time.perf_counter()
        snapshot("bench", {"path": os.path.abspath(args.path), "exclude": args.exclude, "use_gitignore": False},
                 manifest)
        snap_s = time.perf_counter() - t0
        m = read_json(manifest)
        if args.lang:
            m["files"] = [f for f in m["files"] if f["lang"] in args.lang]
        if args.limit:
            m["files"] = m["files"][: args.limit]
        write_json_atomic(manifest, m)
        db = Path(tmp) / "graph.sqlite"
        t1 = time.perf_counter()
        report = build_source_graph(manifest, db, None, workers=args.workers)
        total_s = time.perf_counter() - t1
        db_mb = db.stat().st_size / 1e6

    timing = report["timing"]
    parse_s = timing["parse_seconds"]
    files = report["files"]["total"]
    mb = timing["mb"]
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = {
        "path": os.path.abspath(args.path),
        "files": files,
        "mb": round(mb, 2),
        "files_per_s": round(files / parse_s, 1),
        "mb_per_s": round(mb / parse_s, 2),
        "nodes": report["nodes"]["total"],
        "edges": report["edges"]["total"],
        "nodes_per_s": round(report["nodes"]["total"] / parse_s, 1),
        "files_per_s_per_worker": round(files / parse_s / timing["workers"], 1),
        "peak_rss_mb": round(max(self_rss, child_rss), 1),
        "main_rss_mb": round(self_rss, 1),
        "worker_rss_mb": round(child_rss, 1),
        "workers": timing["workers"],
        "parse_s": round(parse_s, 2),
        "total_s": round(total_s, 2),
        "snapshot_s": round(snap_s, 2),
        "db_mb": round(db_mb, 1),
        "status": report["files"],
        "nix_packages": report.get("nix_packages"),
        "replicate": args.replicate,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
