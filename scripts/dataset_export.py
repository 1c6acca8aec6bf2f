"""Export train/eval as OpenAI, Anthropic/Bedrock or generic JSONL: data/dataset/exports/<format>/.

    snakemake -c1 data/dataset/exports/openai/train.jsonl
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.dataset.export import export_jsonl  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

run_step(snakemake.log[0], export_jsonl, snakemake.wildcards.format,
         {"train": snakemake.input.train, "eval": snakemake.input.eval},
         {"train": snakemake.output.train, "eval": snakemake.output.eval})
