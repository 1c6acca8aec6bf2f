"""The dataset card: data/dataset/README.md (sources, licences, counts, config, file hashes).

    snakemake -c1 data/dataset/README.md
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.dataset.card import write_card  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

run_step(snakemake.log[0], write_card, snakemake.output.card,
         {"train": snakemake.input.train, "eval": snakemake.input.eval}, snakemake.input.stats,
         snakemake.input.graph_report, snakemake.params.sources, snakemake.params.dataset)
