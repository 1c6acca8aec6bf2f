# Brain nodes -> data/dataset/: train/val/eval Q&A + recall (held-out phrasings of taught facts), then exports,
# stats and the dataset card.


rule dataset_build:
    input:
        nodes="data/brain/nodes",
        graph="data/brain/graph.sqlite",
        curated=curated_files(),
    output:
        train="data/dataset/train.jsonl",
        eval="data/dataset/eval.jsonl",
        val="data/dataset/val.jsonl",
        recall="data/dataset/recall.jsonl",
        rejects="data/dataset/rejects.jsonl",
        report="data/dataset/dataset.report.json",
    log:
        "logs/dataset_build.log",
    benchmark:
        "logs/benchmarks/dataset_build.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        dataset=dataset_params(),
        # its files are input.curated: a change there re-runs
        curated_dir=untracked(config["dataset"]["curated_dir"]),
    script:
        "../scripts/dataset_build.py"


rule dataset_export:
    input:
        train="data/dataset/train.jsonl",
        eval="data/dataset/eval.jsonl",
    output:
        train="data/dataset/exports/{format}/train.jsonl",
        eval="data/dataset/exports/{format}/eval.jsonl",
    log:
        "logs/dataset_export/{format}.log",
    benchmark:
        "logs/benchmarks/dataset_export/{format}.tsv"
    wildcard_constraints:
        format=one_of(EXPORT_FORMATS),
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/dataset_export.py"


rule dataset_csv:
    input:
        train="data/dataset/train.jsonl",
        eval="data/dataset/eval.jsonl",
    output:
        csv="data/dataset/exports/dataset.csv",
    log:
        "logs/dataset_csv.log",
    benchmark:
        "logs/benchmarks/dataset_csv.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/dataset_csv.py"


rule dataset_parquet:
    input:
        train="data/dataset/train.jsonl",
        eval="data/dataset/eval.jsonl",
    output:
        train="data/dataset/exports/parquet/train.parquet",
        eval="data/dataset/exports/parquet/eval.parquet",
    log:
        "logs/dataset_parquet.log",
    benchmark:
        "logs/benchmarks/dataset_parquet.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/dataset_parquet.py"


rule dataset_stats:
    input:
        train="data/dataset/train.jsonl",
        eval="data/dataset/eval.jsonl",
        report="data/dataset/dataset.report.json",
    output:
        json=report("data/dataset/stats.json", caption="../report/dataset_stats.rst", category="Dataset"),
        md="data/dataset/stats.md",
        categories=report("data/dataset/plots/categories.png", caption="../report/categories.rst", category="Dataset"),
        lengths=report("data/dataset/plots/lengths.png", caption="../report/lengths.rst", category="Dataset"),
    log:
        "logs/dataset_stats.log",
    benchmark:
        "logs/benchmarks/dataset_stats.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/dataset_stats.py"


rule dataset_card:
    input:
        train="data/dataset/train.jsonl",
        eval="data/dataset/eval.jsonl",
        stats="data/dataset/stats.json",
        graph_report="data/brain/graph.report.json",
    output:
        card="data/dataset/README.md",
    log:
        "logs/dataset_card.log",
    benchmark:
        "logs/benchmarks/dataset_card.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        sources=config["sources"],
        dataset=dataset_params(),
    script:
        "../scripts/dataset_card.py"


rule dataset:
    input:
        rules.dataset_build.output,
        expand("data/dataset/exports/{format}/{split}.jsonl", format=EXPORT_FORMATS, split=["train", "eval"]),
        rules.dataset_csv.output,
        rules.dataset_parquet.output,
        rules.dataset_stats.output,
        rules.dataset_card.output,
    localrule: True
