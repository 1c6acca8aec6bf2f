# data/dataset/{train,val}.jsonl -> models/<run>/adapter/ (+ metrics.json, loss.png).


rule base_model:
    output:
        model=directory("resources/models/{name}"),
    log:
        "logs/base_model/{name}.log",
    benchmark:
        "logs/benchmarks/base_model/{name}.tsv"
    wildcard_constraints:
        name=one_of(SHIPPED_MODELS),
    conda:
        "../envs/train.yaml"
    script:
        "../scripts/base_model.py"


rule train_adapter:
    input:
        train="data/dataset/train.jsonl",
        # checkpoint selection: the val split, disjoint from every reported eval set
        eval="data/dataset/val.jsonl",
        base=base_model_input(),
    output:
        # train.merge: the published adapter merged into the unquantised base, a declared output
        **({"merged": directory(f"models/{TRAIN_RUN}/merged")} if config["train"]["merge"] else {}),
        adapter=directory(f"models/{TRAIN_RUN}/adapter"),
        metrics=f"models/{TRAIN_RUN}/metrics.json",
        loss_png=report(f"models/{TRAIN_RUN}/loss.png", caption="../report/loss.rst", category="Training"),
    log:
        f"logs/train/{TRAIN_RUN}.log",
    benchmark:
        f"logs/benchmarks/train/{TRAIN_RUN}.tsv"
    conda:
        "../envs/train.yaml"
    threads: workflow.cores
    params:
        train=train_params(),
    script:
        "../scripts/train_adapter.py"


rule train:
    input:
        rules.train_adapter.output,
    localrule: True


if config["train"]["merge"]:

    rule export_gguf:
        input:
            merged=f"models/{TRAIN_RUN}/merged",
            adapter=f"models/{TRAIN_RUN}/adapter",
        output:
            gguf=directory(f"models/{TRAIN_RUN}/gguf"),
        log:
            f"logs/export_gguf/{TRAIN_RUN}.log",
        benchmark:
            f"logs/benchmarks/export_gguf/{TRAIN_RUN}.tsv"
        conda:
            "../envs/train.yaml"
        script:
            "../scripts/export_gguf.py"
