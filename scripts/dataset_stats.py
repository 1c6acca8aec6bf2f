"""Dataset statistics as JSON, Markdown and PNG plots: data/dataset/stats.{json,md}, data/dataset/plots/.

    snakemake -c1 data/dataset/stats.json
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.dataset.stats import write_stats  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

run_step(snakemake.log[0], write_stats, snakemake.input.train, snakemake.input.eval, snakemake.input.report,
         snakemake.output.json, snakemake.output.md, snakemake.output.categories, snakemake.output.lengths)
