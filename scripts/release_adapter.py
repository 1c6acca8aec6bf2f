"""The adapter with a card that carries its eval results: models/<run>/release/ (the directory to publish).

    snakemake -c8 models/demo/release
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.pipeline import run_step  # noqa: E402
from nanodex.train.card import release  # noqa: E402

run_step(snakemake.log[0], release, snakemake.input.adapter, snakemake.input.eval, snakemake.output[0])
