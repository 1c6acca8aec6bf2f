# models/<run>/adapter + eval.jsonl, recall.jsonl, the fixed Nix set -> reports/<run>/eval.{json,md}: base vs adapter;
# + models/<run>/release/ (the adapter with a card that carries those results).


rule eval_adapter:
    input:
        adapter=f"models/{TRAIN_RUN}/adapter",
        eval="data/dataset/eval.jsonl",
        recall="data/dataset/recall.jsonl",
        graph="data/brain/graph.sqlite",
        nix_set=nix_set_input(),
        control=config["eval"]["control"],
        base=base_model_input(),
    output:
        json=report(f"reports/{TRAIN_RUN}/eval.json", caption="../report/eval.rst", category="Eval"),
        md=f"reports/{TRAIN_RUN}/eval.md",
    log:
        f"logs/eval/{TRAIN_RUN}.log",
    benchmark:
        f"logs/benchmarks/eval/{TRAIN_RUN}.tsv"
    conda:
        "../envs/train.yaml"
    threads: workflow.cores
    params:
        eval=config["eval"],
        base_model=lambda wildcards, input: input.base[0] if input.base else config["train"]["base_model"],
        max_seq_len=config["train"]["max_seq_len"],
        dtype=config["train"]["dtype"],
    script:
        "../scripts/eval_adapter.py"


rule release_adapter:
    input:
        adapter=f"models/{TRAIN_RUN}/adapter",
        eval=rules.eval_adapter.output.json,
    output:
        directory(f"models/{TRAIN_RUN}/release"),
    log:
        f"logs/release/{TRAIN_RUN}.log",
    benchmark:
        f"logs/benchmarks/release/{TRAIN_RUN}.tsv"
    localrule: True
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/release_adapter.py"


rule eval:
    input:
        rules.eval_adapter.output,
        rules.release_adapter.output,
    localrule: True
