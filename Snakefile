# nanodex: sources -> raw dumps -> knowledge graph -> (brain -> dataset -> train -> eval: later issues)
#
#   snakemake -c8 graph            # build data/brain/graph.sqlite from every configured source
#   snakemake -c8 all              # every stage wired so far
#   snakemake --configfile config/my.yaml -c8 all
from snakemake.utils import min_version

min_version("9.10")


configfile: "config/config.yaml"


include: "rules/common.smk"
include: "rules/scrape.smk"
include: "rules/graph.smk"


rule all:
    default_target: True
    localrule: True
    input:
        rules.graph.input,


rule scrape:
    localrule: True
    input:
        raw_outputs(),
