"""Export train + eval as one CSV with DuckDB: data/dataset/exports/dataset.csv.

    snakemake -c1 data/dataset/exports/dataset.csv
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.dataset.export import export_csv  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

run_step(snakemake.log[0], export_csv, snakemake.input.train, snakemake.input.eval, snakemake.output.csv)
