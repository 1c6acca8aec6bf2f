"""Snapshot one `kind: repo` source: data/raw/<source>/manifest.json (files, sizes, hashes).

    snakemake -c1 data/raw/demo/manifest.json
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.pipeline import run_step  # noqa: E402
from nanodex.sources.repo import snapshot  # noqa: E402

run_step(snakemake.log[0], snapshot, snakemake.wildcards.source, snakemake.params.spec, snakemake.output.manifest)
