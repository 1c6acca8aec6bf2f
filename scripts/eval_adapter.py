"""Evaluate the adapter against its base model: reports/<run>/eval.json + eval.md.

    snakemake -c8 eval
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.eval.run import evaluate  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

cfg = snakemake.params.eval
run_step(snakemake.log[0], evaluate, snakemake.input.adapter, snakemake.input.eval, snakemake.input.control,
         snakemake.output.json, snakemake.output.md, snakemake.params.base_model, cfg["max_examples"],
         cfg["max_new_tokens"], snakemake.params.max_seq_len, cfg["seed"], recall_path=snakemake.input.recall,
         graph_db=snakemake.input.graph, nix_set_path=snakemake.input.nix_set[0] if snakemake.input.nix_set else None,
         max_recall=cfg["max_recall"], max_nix_set=cfg["max_nix_set"], dtype=snakemake.params.dtype)
