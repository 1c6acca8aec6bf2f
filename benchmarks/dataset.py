"""Brain and dataset stage throughput on a synthetic graph (real code path, made-up nodes).

    .venv/bin/python benchmarks/dataset.py [--nodes 500000] [--workdir /tmp/nanodex-bench]

Builds a graph.sqlite with N nodes (modules with classes, methods, functions, constants, calls, and
Nix packages), runs the brain stage, then the dataset stage (generation + validation + exact and
near dedup + split) and prints one JSON object on the last line: brain_nodes_per_s, candidates,
dataset_s, peak_rss_mb, ...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nanodex.brain.build import build_brain  # noqa: E402
from nanodex.dataset.build import build_dataset  # noqa: E402
from nanodex.graph.store import INDEXES, TABLES  # noqa: E402

VERBS = ["load", "parse", "render", "store", "fetch", "merge", "split", "check", "build", "index", "scan", "sync"]
NOUNS = ["config", "package", "option", "module", "overlay", "derivation", "source", "cache", "graph", "token",
         "report", "shard", "closure", "profile", "channel", "flake"]


def synth(path: Path, n_nodes: int) -> dict:
    con = sqlite3.connect(path)
    con.executescript(TABLES)
    nodes, edges, files = [], [], []
    i = 0
    while len(nodes) < n_nodes:
        mod = f"pkg{i // 100}/mod_{i}.py"
        mid = f"s:{mod}"
        files.append(("s", mod, "python", 1000, None, "ok", None, None, 16))
        nodes.append((mid, "s", "module", f"mod_{i}.py", mod, mod, "python", 1, 200, None,
                      f"Module {i}: helpers to {VERBS[i % 12]} {NOUNS[i % 16]}s.", None))
        funcs = []
        for f in range(3):
            name = f"{VERBS[(i + f) % 12]}_{NOUNS[(i * 3 + f) % 16]}_{i}"
            fid = f"{mid}#{name}"
            funcs.append(fid)
            nodes.append((fid, "s", "function", name, name, mod, "python", 10 + f, 20 + f, f"def {name}(x, y=None)",
                          f"{VERBS[(i + f) % 12].capitalize()} the {NOUNS[(i * 3 + f) % 16]} number {i}-{f}.", None))
            edges.append((mid, fid, "contains", "exact"))
        for c in range(2):
            cname = f"{NOUNS[(i + c) % 16].capitalize()}{VERBS[(i + 2 * c) % 12].capitalize()}er{i}"
            cid = f"{mid}#{cname}"
            nodes.append((cid, "s", "class", cname, cname, mod, "python", 30, 90, f"class {cname}",
                          f"Holds the state of {NOUNS[(i + c) % 16]} {i}.", None))
            edges.append((mid, cid, "contains", "exact"))
            for m in range(4):
                mname = f"{VERBS[(i + m + c) % 12]}_{m}"
                qual = f"{cname}.{mname}"
                mmid = f"{mid}#{qual}"
                nodes.append((mmid, "s", "method", mname, qual, mod, "python", 40 + m, 45 + m,
                              f"def {mname}(self, {NOUNS[m % 16]})",
                              f"{VERBS[(i + m + c) % 12].capitalize()} a {NOUNS[(m + c) % 16]} for {cname}.", None))
                edges.append((cid, mmid, "contains", "exact"))
                edges.append((mmid, funcs[(m + c) % 3], "calls", "exact"))
        for k in range(2):
            name = f"{NOUNS[(i + k) % 16].upper()}_LIMIT_{i}"
            cid = f"{mid}#{name}"
            nodes.append((cid, "s", "constant", name, name, mod, "python", 3 + k, 3 + k, f"{name} = {i * k}", None,
                          None))
            edges.append((mid, cid, "contains", "exact"))
        i += 1
    con.execute("BEGIN")
    con.executemany("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?)", files)
    con.executemany("INSERT INTO nodes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", nodes)
    con.executemany("INSERT INTO edges VALUES (?,?,?,?)", edges)
    con.execute("INSERT INTO meta VALUES ('source', 's')")
    con.execute("COMMIT")
    con.executescript(INDEXES)
    con.close()
    return {"nodes": len(nodes), "edges": len(edges), "modules": i}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=500_000)
    ap.add_argument("--workdir", default="/tmp/nanodex-bench")
    ap.add_argument("--num-perm", type=int, default=64)
    args = ap.parse_args()
    work = Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    t0 = time.perf_counter()
    g = synth(work / "graph.sqlite", args.nodes)
    synth_s = time.perf_counter() - t0
    print(f"synthetic graph: {g} in {synth_s:.1f}s", flush=True)
    brain = build_brain(work / "graph.sqlite", work / "nodes", None)
    print(f"brain: {brain['timing']}", flush=True)
    rss_after_brain = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t1 = time.perf_counter()
    ds = build_dataset(work / "nodes", work / "graph.sqlite", work / "train.jsonl", work / "eval.jsonl",
                       work / "rejects.jsonl", None, num_perm=args.num_perm)
    dataset_s = time.perf_counter() - t1
    out = {
        "graph_nodes": g["nodes"], "graph_edges": g["edges"],
        "brain_nodes_per_s": brain["timing"]["nodes_per_s"], "brain_s": brain["timing"]["seconds"],
        "candidates": ds["candidates"], "dataset_s": round(dataset_s, 1),
        "candidates_per_s": round(ds["candidates"] / dataset_s, 1),
        "train": ds["examples"]["train"], "eval": ds["examples"]["eval"],
        "dropped": ds["dropped"], "duplicates": ds["duplicates"],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_after_brain_mb": round(rss_after_brain, 1),
        "num_perm": args.num_perm, "cpu_count": os.cpu_count(),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
