"""The `nanodex` command: small tools around the pipeline's files.

    nanodex graph-stats data/brain/graph.sqlite        # node/edge counts per kind and language
    nanodex extract PATH -o graph.sqlite               # parse a tree without Snakemake
    nanodex check-config config/config.yaml            # validate a config, one line per problem
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

from .errors import NanodexError


def _graph_stats(args) -> int:
    from .graph.stats import format_stats, stats_for_path

    if not os.path.isfile(args.db):
        raise NanodexError(f"{args.db}: no such graph database; build it with `snakemake -c8 graph`")
    stats = stats_for_path(args.db)
    print(json.dumps(stats, indent=2, sort_keys=True) if args.json else format_stats(stats))
    return 0


def _extract(args) -> int:
    from .graph.build import build_source_graph
    from .graph.stats import format_stats
    from .sources.repo import snapshot

    with tempfile.TemporaryDirectory() as tmp:
        manifest = os.path.join(tmp, "manifest.json")
        snapshot(args.name, {"path": os.path.abspath(args.path), "exclude": args.exclude}, manifest)
        report = build_source_graph(manifest, args.output, args.report, workers=args.workers or os.cpu_count() or 1)
    print(format_stats(report))
    return 0


def _check_config(args) -> int:
    from .config import load_config

    load_config(args.config)
    print(f"{args.config}: ok")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="nanodex", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("graph-stats", help="print node/edge counts of a graph database")
    p.add_argument("db", nargs="?", default="data/brain/graph.sqlite")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_graph_stats)
    p = sub.add_parser("extract", help="parse a source tree into a graph database (no Snakemake)")
    p.add_argument("path")
    p.add_argument("-o", "--output", default="graph.sqlite")
    p.add_argument("--report", default=None, help="also write the JSON report here")
    p.add_argument("--name", default="repo", help="source name used in node ids")
    p.add_argument("--exclude", action="append", default=[], help="glob to leave out (repeatable)")
    p.add_argument("--workers", type=int, default=0, help="parser processes (0 = one per core)")
    p.set_defaults(func=_extract)
    p = sub.add_parser("check-config", help="validate a config file against config/schema.yaml")
    p.add_argument("config")
    p.set_defaults(func=_check_config)
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except NanodexError as exc:
        print(f"nanodex: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
