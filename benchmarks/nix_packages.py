"""A sample of package files from real Nix trees, printed for reading by hand: each package the graph
makes (its facts, meta left out) next to the file's lines that set a field, so a reader can count, per
field, what the file sets and what the graph has. The referee is the reader; this prints the sheet.

    .venv/bin/python benchmarks/nix_packages.py ROOT [ROOT ...] [--seed 13] [--n 30]

Files: those under the roots holding a builder word or `overrideAttrs`, shuffled with random.Random(seed).
Last line: {"files_pool", "sample", "packages", "files_without_package", "seconds"}.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nanodex.graph.extract import extract_bytes  # noqa: E402

PACKAGE_FILE = re.compile(rb"\b(mkDerivation|build\w*(Package|Application|Module|Crate)|writeShellApplication|"
                          rb"symlinkJoin|overrideAttrs)\b")
FIELD_LINE = re.compile(r"(?<![\w.-])(src|version|pname|name|nativeBuildInputs|buildInputs|propagatedBuildInputs)\s*="
                        r"|inherit\b|mkDerivation|overrideAttrs|build\w+\s*[({]|writeShellApplication|symlinkJoin")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("roots", nargs="+")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--n", type=int, default=30)
    a = ap.parse_args()
    t0 = time.perf_counter()
    pool = sorted(str(p) for r in a.roots for p in Path(r).rglob("*.nix") if PACKAGE_FILE.search(p.read_bytes()))
    random.Random(a.seed).shuffle(pool)
    packages = empty = 0
    for path in pool[: a.n]:
        data = Path(path).read_bytes()
        res = extract_bytes(data, "nix", "sample", path)
        print("=" * 10, path)
        found = [n for n in res.nodes if n[2] == "package"]
        packages += len(found)
        empty += not found
        for n in found:
            facts = json.loads(n[11])
            facts.pop("meta", None)
            print("  PKG", n[3], json.dumps(facts, sort_keys=True)[:700])
        for i, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if FIELD_LINE.search(line) and len(line) < 200:
                print(f"  {i:4}: {line.rstrip()}")
    print(json.dumps({"files_pool": len(pool), "sample": min(a.n, len(pool)), "packages": packages,
                      "files_without_package": empty, "seconds": round(time.perf_counter() - t0, 2)}))


if __name__ == "__main__":
    main()
