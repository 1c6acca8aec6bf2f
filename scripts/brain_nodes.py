"""Type and summarise every graph node: data/brain/nodes/ (JSONL shards) + report.

    snakemake -c1 brain
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.brain.build import build_brain_from_config  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

p = snakemake.params
brain = {"summary_tokens": p.summary_tokens, "shard_size": p.shard_size, "summarizer": p.summarizer,
         "llm": {**p.llm_run, **p.llm}}
run_step(snakemake.log[0], build_brain_from_config, snakemake.input.graph, snakemake.output.nodes,
         snakemake.output.report, brain)
