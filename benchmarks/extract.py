"""Graph-stage throughput and memory on a real tree: parse + extract + SQLite + resolution.

    .venv/bin/python benchmarks/extract.py PATH [--workers 2] [--limit N] [--lang nix] [--exclude GLOB]
    .venv/bin/python benchmarks/extract.py SAMPLE --replicate 200   # a sample tree copied 200 times: scale tests

Prints progress lines, then one JSON object on the last line:
{"files": ..., "mb": ..., "files_per_s": ..., "mb_per_s": ..., "nodes_per_s": ..., "peak_rss_mb": ..., "workers": ...,
 "bare_parse_files_per_s": ..., "ratio_to_bare_parse": ...}
files_per_s counts parse+extract+insert (the streamed part); total_s adds index build and resolution.
bare_parse_files_per_s: the same files read and parsed by one process, nothing else (the yardstick the
graph stage is held to: ratio_to_bare_parse >= 0.6 with 2 workers on a real Nix tree).
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


def bare_parse(root: str, files: list[dict]) -> dict:
    """The reference arm, in the same run: read + parse each file in this one process, nothing else."""
    from nanodex.graph.languages import parser

    t0 = time.perf_counter()
    n = 0
    for f in files:
        try:
            with open(os.path.join(root, f["path"]), "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        parser(f["lang"]).parse(data)
        n += 1
    s = time.perf_counter() - t0
    return {"bare_parse_files": n, "bare_parse_s": round(s, 2), "bare_parse_files_per_s": round(n / s, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--limit", type=int, default=0, help="take only the first N files (0 = all)")
    ap.add_argument("--lang", action="append", default=None, help="only these languages (repeatable)")
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--replicate", type=int, default=0,
                    help="copy the tree this many times (copy-NNNN/...) and measure that: scale without the corpus")
    ap.add_argument("--no-bare-parse", dest="bare_parse", action="store_false",
                    help="skip the reference arm: a bare one-process tree-sitter parse of the same files")
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

        bare = bare_parse(m["root"], m["files"]) if args.bare_parse else None

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
        "nix_data_capped": report.get("nix_data_capped"),
        "replicate": args.replicate,
    }
    if bare:
        out.update(bare)
        out["ratio_to_bare_parse"] = round(out["files_per_s"] / bare["bare_parse_files_per_s"], 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
