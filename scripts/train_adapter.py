"""Fine-tune a LoRA / QLoRA adapter on the dataset: models/<run>/adapter/ (+ metrics.json, loss.png).
Resumes from the newest checkpoint of the same config; SIGTERM/SIGUSR1 save a checkpoint and stop.

    snakemake -c8 train
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.pipeline import run_step  # noqa: E402
from nanodex.train.run import train  # noqa: E402

run_step(snakemake.log[0], train, snakemake.input.train, snakemake.input.eval, snakemake.output.adapter,
         snakemake.params.train)
