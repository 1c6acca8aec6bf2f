"""Parse one source's snapshot with tree-sitter into data/graph/<source>.sqlite (+ report).

    snakemake -c8 data/graph/demo.sqlite
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.graph.build import build_source_graph  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402

run_step(
    snakemake.log[0],
    build_source_graph,
    snakemake.input.manifest,
    snakemake.output.db,
    snakemake.output.report,
    languages=snakemake.params.languages,
    max_file_bytes=snakemake.params.max_file_bytes,
    max_docstring_chars=snakemake.params.max_docstring_chars,
    workers=snakemake.threads,
)
