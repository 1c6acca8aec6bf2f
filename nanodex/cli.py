"""The `nanodex` command: small tools around the pipeline's files.

    nanodex graph-stats data/brain/graph.sqlite        # node/edge counts per kind and language
    nanodex extract PATH -o graph.sqlite               # parse a tree without Snakemake
    nanodex check-config config/config.yaml            # validate a config, one line per problem
    nanodex serve [--print] [--merged]                 # vLLM server: base model + the trained adapter
    nanodex ask "How do I enable nginx?"               # stream an answer from the served adapter
    nanodex ask --local "How do I enable nginx?"       # ... from the adapter loaded here (no server)
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


def _serve(args) -> int:
    from .config import load_config
    from .serve.command import default_memory_fraction, merged_command, serve, vllm_command

    cfg = load_config(args.config)
    run = cfg["train"]["run"]
    common = dict(name=args.name, host=args.host, port=args.port, python=args.python,
                  max_model_len=args.max_model_len,
                  memory_fraction=args.memory_fraction if args.memory_fraction is not None
                  else default_memory_fraction())
    if args.merged:
        cmd = merged_command(f"models/{run}/merged", **common)
    else:
        cmd = vllm_command(args.base_model or cfg["train"]["base_model"], args.adapter or f"models/{run}/adapter",
                           **common)
    if args.print:
        import shlex

        print(shlex.join(cmd))
        return 0
    return serve(cmd, f"http://{args.host}:{args.port}", timeout=args.timeout)


def _ask(args) -> int:
    from .serve.ask import ask
    from .serve.local import LocalModel, training_system_prompt

    adapter = args.adapter or _default_adapter(args.config)
    # the system prompt every training example carries, unless --system/--no-system says otherwise
    system = None if args.no_system else args.system if args.system is not None else training_system_prompt(adapter)
    if args.local:
        local = LocalModel(adapter, args.base_model)

        def answer(q):
            return local.ask(q, system=system, max_tokens=args.max_tokens)
        where = f"the adapter {adapter} (loaded here)"
    else:
        def answer(q):
            return ask(q, args.url, args.model, system=system, max_tokens=args.max_tokens)
        where = f"model {args.model!r} at {args.url}"
    if args.question:
        answer(" ".join(args.question))
        return 0
    print(f"nanodex ask: interactive, {where}; an empty line or Ctrl-D ends")
    for line in sys.stdin:
        if not line.strip():
            break
        answer(line.strip())
    return 0


def _default_adapter(config_path: str) -> str:
    """models/<train.run>/adapter of the config (the demo's when the config cannot be read)."""
    from .config import load_config

    try:
        return f"models/{load_config(config_path)['train']['run']}/adapter"
    except (NanodexError, OSError):
        return "models/demo/adapter"


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
    p = sub.add_parser("serve", help="start vLLM's OpenAI-compatible server with the trained adapter")
    p.add_argument("--config", default="config/config.yaml")
    p.add_argument("--adapter", default=None, help="adapter directory (default models/<train.run>/adapter)")
    p.add_argument("--base-model", default=None, help="default: train.base_model")
    p.add_argument("--name", default="nanodex", help="the adapter's model name in the API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--python", default="python", help="the Python of the serve environment (with vllm)")
    p.add_argument("--max-model-len", type=int, default=2048)
    p.add_argument("--timeout", type=float, default=600, help="seconds to wait for the health check")
    p.add_argument("--memory-fraction", type=float, default=None,
                   help="vLLM --gpu-memory-utilization (default: vLLM's on a GPU, 0.15 of RAM on a CPU)")
    p.add_argument("--merged", action="store_true",
                   help="serve models/<train.run>/merged (train.merge: true) instead of base + adapter")
    p.add_argument("--print", action="store_true", help="print the command line and exit")
    p.set_defaults(func=_serve)
    p = sub.add_parser("ask", help="ask the served model (streams the answer); no question: interactive")
    p.add_argument("question", nargs="*")
    p.add_argument("--url", default="http://127.0.0.1:8000/v1")
    p.add_argument("--model", default="nanodex")
    p.add_argument("--max-tokens", type=int, default=512)
    p.add_argument("--local", action="store_true",
                   help="load the base model + adapter in this process (transformers + peft) instead of a server")
    p.add_argument("--adapter", default=None, help="adapter directory (default models/<train.run>/adapter)")
    p.add_argument("--base-model", default=None, help="with --local: default, the adapter's base model")
    p.add_argument("--config", default="config/config.yaml", help="for train.run (the default adapter)")
    p.add_argument("--system", default=None, help="system prompt to send (default: the adapter's training one)")
    p.add_argument("--no-system", action="store_true", help="send no system prompt")
    p.set_defaults(func=_ask)
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except NanodexError as exc:
        print(f"nanodex: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
