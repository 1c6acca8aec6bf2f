"""A NixOS channel's packages dump -> data/graph/<source>.sqlite (entries by position, joined into
the package nodes at the merge).

    snakemake -c1 data/graph/channel.sqlite
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.pipeline import run_step  # noqa: E402
from nanodex.sources.channel import build_channel_graph  # noqa: E402

run_step(snakemake.log[0], build_channel_graph, snakemake.input.dump, snakemake.output.db, snakemake.output.report,
         snakemake.wildcards.source)
