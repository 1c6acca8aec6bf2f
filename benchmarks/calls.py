"""Precision and recall of the graph's Python call edges, with jedi (goto, following imports) as referee.

    .venv/bin/python benchmarks/calls.py REPO [--limit N] [--workers 2] [--show 20]

Builds the graph of REPO's Python files, then asks jedi where every call site's callee goes. A call
site is (file, line, callee text as the graph records it: `f`, `self.f`, `mod.f`, `?.f`).
- precision: of the sites the graph resolved and jedi answered, the share where the graph's target is
  one of jedi's (a target jedi places outside the repo, or on a non-callable, counts as wrong);
- recall: of the sites jedi resolves to an in-repo function, method or class, the share the graph got.
Sites the graph resolved but jedi could not answer are counted (`unjudged`), not scored.
Prints the wrong sites (up to --show) on stderr, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jedi  # noqa: E402
import tree_sitter as ts  # noqa: E402

from nanodex.graph.build import build_source_graph  # noqa: E402
from nanodex.graph.lang.base import callee  # noqa: E402
from nanodex.graph.lang.python import REFS  # noqa: E402
from nanodex.graph.languages import parser, query  # noqa: E402
from nanodex.io import read_json, write_json_atomic  # noqa: E402
from nanodex.sources.repo import snapshot  # noqa: E402

CALLABLE = ("function", "method", "class")


def call_sites(data: bytes):
    """(line, callee text) -> 0-based character column of the callee's name (first site of that key)."""
    tree = parser("python").parse(data)
    sites = {}
    for n in ts.QueryCursor(query("python", REFS)).captures(tree.root_node).get("call", []):
        text, name = callee(n)
        row, col = name.start_point
        key = (row + 1, text)
        if key not in sites:
            line = data.split(b"\n", row + 1)[row] if row else data.split(b"\n", 1)[0]
            sites[key] = len(line[:col].decode("utf-8", "replace"))
    return sites


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo")
    ap.add_argument("--limit", type=int, default=0, help="judge only the first N Python files (0 = all)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--show", type=int, default=20, help="wrong sites printed on stderr")
    ap.add_argument("--missed", type=int, default=0, help="missed sites (jedi in repo, graph none) on stderr")
    args = ap.parse_args()
    root = os.path.abspath(args.repo)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        manifest = Path(tmp) / "manifest.json"
        snapshot("bench", {"path": root, "use_gitignore": False}, manifest)
        m = read_json(manifest)
        m["files"] = [f for f in m["files"] if f["lang"] == "python"]
        write_json_atomic(manifest, m)
        db = Path(tmp) / "graph.sqlite"
        build_source_graph(manifest, db, None, languages=["python"], workers=args.workers)
        graph_s = time.perf_counter() - t0
        con = sqlite3.connect(db)
        nodes = {}   # (path, start line) -> node ids of callables
        for nid, path, line in con.execute(
                f"SELECT id, path, start_line FROM nodes WHERE kind IN {CALLABLE!r}"):
            nodes.setdefault((path, line), []).append(nid)
        graph = {}   # (path, line, callee) -> (target, resolution)
        for path, line, name, dst, how in con.execute(
                "SELECT s.path, r.line, r.name, r.dst, e.resolution FROM refs r JOIN nodes s ON s.id = r.src "
                "LEFT JOIN edges e ON e.src = r.src AND e.dst = r.dst AND e.kind = 'calls' "
                "WHERE r.kind = 'calls' ORDER BY r.rowid"):
            if dst is not None or (path, line, name) not in graph:
                graph[(path, line, name)] = (dst, how)
        con.close()

    files = sorted(f["path"] for f in m["files"])
    if args.limit:
        files = files[: args.limit]
    # The repo's own packages come first on jedi's path: an installed copy of the same package (say the
    # venv's `requests`) is the same code, and the graph only knows the repo's.
    roots = sorted({os.path.join(root, os.path.dirname(os.path.dirname(f))) for f in files
                    if f.endswith("/__init__.py") and not os.path.exists(
                        os.path.join(root, os.path.dirname(os.path.dirname(f)), "__init__.py"))})
    env = jedi.get_default_environment()
    project = jedi.Project(root, sys_path=[*roots, root, *env.get_sys_path()])
    counts = Counter()
    by_how = defaultdict(Counter)
    wrong, missed = [], []
    t1 = time.perf_counter()
    for rel in files:
        full = os.path.join(root, rel)
        data = Path(full).read_bytes()
        try:
            script = jedi.Script(data.decode("utf-8", "replace"), path=full, project=project)
        except Exception:   # noqa: BLE001 - a file jedi cannot load is not judged
            counts["files_unjudged"] += 1
            continue
        for (line, text), col in sorted(call_sites(data).items()):
            counts["sites"] += 1
            try:
                names = script.goto(line, col, follow_imports=True)
            except Exception:   # noqa: BLE001
                names = []
            truth, outside = set(), False
            for nm in names:
                mp = str(nm.module_path) if nm.module_path else ""
                if mp.startswith(root + os.sep):
                    truth.update(nodes.get((os.path.relpath(mp, root), nm.line), []))
                else:
                    outside = True
            if truth:
                counts["jedi_in_repo"] += 1
            dst, how = graph.get((rel, line, text), (None, None))
            if dst is None:
                if truth and len(missed) < args.missed:
                    missed.append(f"{rel}:{line} {text}; jedi: {sorted(truth)[:2]}")
                continue
            counts["graph_resolved"] += 1
            if not names:
                counts["unjudged"] += 1
                by_how[how]["unjudged"] += 1
            elif dst in truth:
                counts["correct"] += 1
                by_how[how]["correct"] += 1
            else:
                counts["wrong"] += 1
                by_how[how]["wrong"] += 1
                wrong.append(f"{rel}:{line} {text} -> {dst} ({how}); jedi: "
                             f"{[f'{n.module_name}:{n.line}' for n in names][:3]}{' (outside)' if outside else ''}")
    judged = counts["correct"] + counts["wrong"]
    for w in wrong[: args.show]:
        print("wrong:", w, file=sys.stderr)
    for w in missed:
        print("missed:", w, file=sys.stderr)
    out = {
        "repo": root,
        "files": len(files),
        "sites": counts["sites"],
        "jedi_in_repo": counts["jedi_in_repo"],
        "graph_resolved": counts["graph_resolved"],
        "correct": counts["correct"],
        "wrong": counts["wrong"],
        "unjudged": counts["unjudged"],
        "precision": round(counts["correct"] / judged, 4) if judged else None,
        "recall": round(counts["correct"] / counts["jedi_in_repo"], 4) if counts["jedi_in_repo"] else None,
        "by_resolution": {k: dict(v) for k, v in sorted(by_how.items(), key=lambda kv: str(kv[0]))},
        "graph_s": round(graph_s, 2),
        "jedi_s": round(time.perf_counter() - t1, 2),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
