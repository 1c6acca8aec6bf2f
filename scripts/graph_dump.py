"""Turn one web dump (wiki pages, forum topics, NixOS options) into data/graph/<source>.sqlite (+ report).

    snakemake -c1 data/graph/wiki.sqlite
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.graph.dumps import build_dump_graph  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

run_step(snakemake.log[0], build_dump_graph, snakemake.params.source, snakemake.wildcards.source,
         snakemake.input.dump, snakemake.output.db, snakemake.output.report,
         max_text_chars=snakemake.params.max_text_chars)
