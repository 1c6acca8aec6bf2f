"""Option recall on a real Nix tree: `mk*Option` declarations (the referee: every outermost
application of a `mk...Option` function, found by a plain tree walk) against the `option` nodes the
extractor makes, per file and in all.

    .venv/bin/python benchmarks/nix_options.py PATH [--under modules] [--show 20]

Last line: {"files", "declarations", "options", "option_recall", "files_with_declarations",
"files_without_options", "renames", "seconds"}. A declaration inside a helper function
(`mkOpt = t: mkOption { type = t; }`) has no static path and counts as missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nanodex.graph.extract import extract_bytes  # noqa: E402
from nanodex.graph.languages import parser  # noqa: E402

DECL = re.compile(rb"^mk\w*Option(MD)?$")


def declarations(tree) -> int:
    n, stack = 0, [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "apply_expression":
            parent = node.parent
            if not (parent is not None and parent.type == "apply_expression"
                    and parent.child_by_field_name("function") == node):   # outermost application only
                f = node
                while f.type == "apply_expression":
                    f = f.child_by_field_name("function")
                while f.type == "parenthesized_expression":
                    f = f.named_child(0)
                if DECL.match(f.text.rsplit(b".", 1)[-1]):
                    n += 1
        stack.extend(node.children)
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path")
    ap.add_argument("--under", default="", help="only files below this folder of PATH")
    ap.add_argument("--show", type=int, default=20, help="list this many files with the most misses")
    args = ap.parse_args()
    root = Path(args.path, args.under)
    files = sorted(p for p in root.rglob("*.nix") if p.is_file())
    total_decl = total_opt = renames = with_decl = without = 0
    misses = []
    t0 = time.perf_counter()
    for p in files:
        data = p.read_bytes()
        d = declarations(parser("nix").parse(data))
        rel = os.path.relpath(p, args.path)
        res = extract_bytes(data, "nix", "bench", rel)
        o = sum(1 for n in res.nodes if n[2] == "option")
        renames += sum(1 for n in res.nodes if n[2] == "option_rename")
        total_decl += d
        total_opt += min(o, d)   # an option from a helper call without its own declaration does not count
        if d:
            with_decl += 1
            without += o == 0
        if d > o:
            misses.append((d - o, rel, d, o))
    misses.sort(key=lambda m: (-m[0], m[1]))
    for _, rel, d, o in misses[: args.show]:
        print(f"{rel}: {d} declarations, {o} options", file=sys.stderr)
    print(json.dumps({"path": os.path.abspath(args.path), "under": args.under, "files": len(files),
                      "declarations": total_decl, "options": total_opt,
                      "option_recall": round(total_opt / total_decl, 4) if total_decl else None,
                      "files_with_declarations": with_decl, "files_without_options": without,
                      "renames": renames, "seconds": round(time.perf_counter() - t0, 2)}))


if __name__ == "__main__":
    main()
