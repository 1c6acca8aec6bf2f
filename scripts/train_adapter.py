"""Fine-tune a LoRA / QLoRA adapter on the dataset: models/<run>/adapter/ (+ metrics.json, loss.png).
Resumes from the newest checkpoint of the same config; SIGTERM/SIGUSR1 save a checkpoint and stop.

    snakemake -c8 train
"""

import sys
from pathlib import Path

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.pipeline import run_step  # noqa: E402
from nanodex.train.run import train  # noqa: E402

# models/<run>/train.log keeps every attempt of a run that was stopped and resumed.
history = Path(snakemake.output.adapter).parent / "train.log"
history.parent.mkdir(parents=True, exist_ok=True)
run_step(snakemake.log[0], train, snakemake.input.train, snakemake.input.eval, snakemake.output.adapter,
         snakemake.params.train, history_log=str(history))
