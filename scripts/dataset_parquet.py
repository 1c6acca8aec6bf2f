"""Export train and eval as Parquet with DuckDB: data/dataset/exports/parquet/{train,eval}.parquet.

    snakemake -c1 data/dataset/exports/parquet/train.parquet
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.dataset.export import export_parquet  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

run_step(snakemake.log[0], export_parquet, snakemake.input.train, snakemake.input.eval,
         {"train": snakemake.output.train, "eval": snakemake.output.eval})
