# Sources -> data/raw/<source>/: one dump per source, re-made only when that source changed.


rule snapshot_repo:
    output:
        manifest="data/raw/{source}/manifest.json",
    params:
        spec=lambda wc: source_spec(wc.source),
        fingerprint=repo_fingerprint,
    wildcard_constraints:
        source=one_of(REPO_SOURCES),
    log:
        "logs/snapshot_repo/{source}.log",
    benchmark:
        "logs/benchmarks/snapshot_repo/{source}.tsv"
    conda:
        "../envs/graph.yaml"
    script:
        "../scripts/snapshot_repo.py"
