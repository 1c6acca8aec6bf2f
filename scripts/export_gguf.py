"""The merged model as GGUF + an Ollama Modelfile: models/<run>/gguf/ (needs train.merge: true).

    snakemake -c2 models/demo/gguf
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.pipeline import run_step  # noqa: E402
from nanodex.train.gguf_export import export_local  # noqa: E402

run_step(snakemake.log[0], export_local, snakemake.input.merged, snakemake.input.adapter, snakemake.output.gguf)
