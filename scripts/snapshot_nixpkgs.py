"""Snapshot a nixpkgs source (local checkout, or a pinned commit's tarball): data/raw/<source>/manifest.json.

    snakemake -c1 data/raw/nixpkgs/manifest.json
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.pipeline import run_step  # noqa: E402
from nanodex.sources.fetch import fetch_nixpkgs  # noqa: E402

run_step(snakemake.log[0], fetch_nixpkgs, snakemake.wildcards.source, snakemake.params.spec,
         snakemake.output.manifest, snakemake.params.http)
