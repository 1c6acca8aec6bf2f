# nanodex: sources -> raw dumps -> knowledge graph -> brain -> dataset -> train -> eval
#
#   snakemake -c8 graph            # build data/brain/graph.sqlite from every configured source
#   snakemake -c8 dataset          # ... and the Q&A dataset, exports, stats and card
#   snakemake -c8 train            # ... and the LoRA adapter (what `make train` runs)
#   snakemake -c8 eval             # ... and the base-vs-adapter eval report
#   snakemake -c8 all              # every stage wired so far
#   snakemake -c8 all --configfile config/my.yaml   # another config, used instead of the demo
import sys

from snakemake.utils import min_version

min_version("9.10")


# The embedded demo, unless a config is given with --configfile (then that one alone is used:
# merging the demo's sources into a production config would be a surprise).
if not workflow.overwrite_configfiles:

    configfile: "config/config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/scrape.smk"
include: "rules/graph.smk"
include: "rules/brain.smk"
include: "rules/dataset.smk"
include: "rules/train.smk"
include: "rules/eval.smk"
include: "rules/report.smk"


rule all:
    default_target: True
    input:
        rules.graph.input,
        rules.brain.input,
        rules.dataset.input,
        rules.train.input,
        rules.eval.input,
        rules.report_summary.output,
    localrule: True


rule scrape:
    input:
        raw_outputs(),
    localrule: True


# The terminal: no "Shell command: None" per script job; at the end, what the run made.
sys.path.insert(0, workflow.basedir)
from nanodex import snakelog, summary

snakelog.quiet()


onsuccess:
    try:
        text = summary.terminal_summary(config)
    except Exception as exc:  # a summary never fails a run that succeeded
        text = f"nanodex: no summary ({exc})"
    if text:
        print(text, file=sys.stderr)


# On a cluster executor (profiles/slurm) only config.cluster.jobs are submitted; the local
# executor runs everything itself and ignores this.
workflow.localrules(*cluster_localrules())
