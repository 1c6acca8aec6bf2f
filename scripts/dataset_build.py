"""Generate, validate, deduplicate and split the Q&A dataset: data/dataset/{train,val,eval,recall,rejects}.jsonl.

    snakemake -c1 data/dataset/train.jsonl
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.dataset.build import build_dataset  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

run_step(snakemake.log[0], build_dataset, snakemake.input.nodes, snakemake.input.graph, snakemake.output.train,
         snakemake.output.eval, snakemake.output.rejects, snakemake.output.report,
         curated_dir=snakemake.params.curated_dir, val_path=snakemake.output.val,
         recall_path=snakemake.output.recall, **snakemake.params.dataset)
