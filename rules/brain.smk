# data/brain/graph.sqlite -> data/brain/nodes/ (typed, summarised nodes in JSONL shards).


rule brain_nodes:
    input:
        graph="data/brain/graph.sqlite",
    output:
        nodes=directory("data/brain/nodes"),
        report="data/brain/brain.report.json",
    log:
        "logs/brain_nodes.log",
    benchmark:
        "logs/benchmarks/brain_nodes.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        summary_tokens=config["brain"]["summary_tokens"],
        shard_size=config["brain"]["shard_size"],
        summarizer=config["brain"]["summarizer"],
        llm=llm_params(),
        llm_run=untracked(llm_run_params()),
    script:
        "../scripts/brain_nodes.py"


rule brain:
    input:
        rules.brain_nodes.output,
    localrule: True
