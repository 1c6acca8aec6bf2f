"""Merge every source's graph into data/brain/graph.sqlite (+ report), linking across sources.

    snakemake -c8 graph
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.graph.merge import merge_graphs  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

run_step(snakemake.log[0], merge_graphs, list(snakemake.input.dbs), snakemake.output.db, snakemake.output.report)
