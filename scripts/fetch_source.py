"""Fetch one web source (mediawiki, discourse, nixos-options) into its raw dump, politely and
resumably, or take its local dump when the source has a `path`.

    snakemake -c1 data/raw/wiki/pages.jsonl
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.pipeline import run_step  # noqa: E402
from nanodex.sources.fetch import fetch_web_source  # noqa: E402

spec = snakemake.params.spec
run_step(snakemake.log[0], fetch_web_source, spec["kind"], snakemake.wildcards.source, spec,
         snakemake.output.dump, snakemake.params.http)
