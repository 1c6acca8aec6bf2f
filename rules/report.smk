# Eval + dataset + graph numbers -> reports/<run>/summary.rst: the first page of `snakemake --report`.


rule report_summary:
    input:
        eval=f"reports/{TRAIN_RUN}/eval.json",
        stats="data/dataset/stats.json",
        graph="data/brain/graph.report.json",
        train="data/dataset/train.jsonl",
        eval_split="data/dataset/eval.jsonl",
    output:
        rst=report(f"reports/{TRAIN_RUN}/summary.rst", caption="../report/summary.rst", category="Summary"),
    log:
        f"logs/report_summary/{TRAIN_RUN}.log",
    benchmark:
        f"logs/benchmarks/report_summary/{TRAIN_RUN}.tsv"
    conda:
        "../envs/pipeline.yaml"
    params:
        per_category=3,
    script:
        "../scripts/report_summary.py"
