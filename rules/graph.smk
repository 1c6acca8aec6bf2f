# Raw dumps -> data/graph/<source>.sqlite (one per source, in parallel) -> data/brain/graph.sqlite.


rule graph_source:
    input:
        manifest="data/raw/{source}/manifest.json",
    output:
        db="data/graph/{source}.sqlite",
        report="data/graph/{source}.report.json",
    log:
        "logs/graph_source/{source}.log",
    benchmark:
        "logs/benchmarks/graph_source/{source}.tsv"
    wildcard_constraints:
        source=one_of(TREE_SOURCES),
    conda:
        "../envs/pipeline.yaml"
    threads: graph_threads()
    params:
        languages=config["graph"]["languages"],
        max_file_bytes=config["graph"]["max_file_bytes"],
        max_docstring_chars=config["graph"]["max_docstring_chars"],
    script:
        "../scripts/graph_source.py"


rule graph_dump:
    input:
        dump=lambda wc: raw_path(wc.source),
    output:
        db="data/graph/{source}.sqlite",
        report="data/graph/{source}.report.json",
    log:
        "logs/graph_dump/{source}.log",
    benchmark:
        "logs/benchmarks/graph_dump/{source}.tsv"
    wildcard_constraints:
        source=one_of(DUMP_SOURCES),
    conda:
        "../envs/pipeline.yaml"
    params:
        source=dump_params,
        max_text_chars=config["graph"]["max_text_chars"],
    script:
        "../scripts/graph_dump.py"


rule graph_channel:
    input:
        dump="data/raw/{source}/packages.json",
    output:
        db="data/graph/{source}.sqlite",
        report="data/graph/{source}.report.json",
    log:
        "logs/graph_channel/{source}.log",
    benchmark:
        "logs/benchmarks/graph_channel/{source}.tsv"
    wildcard_constraints:
        source=one_of(CHANNEL_SOURCES),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/graph_channel.py"


rule graph_merge:
    input:
        dbs=graph_outputs(),
    output:
        db="data/brain/graph.sqlite",
        report=report("data/brain/graph.report.json", caption="../report/graph.rst", category="Graph"),
    log:
        "logs/graph_merge.log",
    benchmark:
        "logs/benchmarks/graph_merge.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/graph_merge.py"


rule graph:
    input:
        rules.graph_merge.output,
    localrule: True
