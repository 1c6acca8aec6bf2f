"""The report's first page: reports/<run>/summary.rst (eval table, dataset and graph numbers, sample Q&A),
included by report/workflow.rst.

    snakemake -c8 all && snakemake --report report.html
"""

import sys

sys.path.insert(0, f"{snakemake.scriptdir}/..")  # nanodex from this checkout, also inside conda envs

from nanodex.io import write_bytes_atomic  # noqa: E402
from nanodex.pipeline import run_step  # noqa: E402
from nanodex.summary import report_rst  # noqa: E402


def main():
    i = snakemake.input
    text = report_rst(i.eval, i.stats, i.graph, [i.train, i.eval_split], snakemake.params.per_category)
    write_bytes_atomic(snakemake.output.rst, text.encode())


run_step(snakemake.log[0], main)
