# Sources -> data/raw/<source>/: one dump per source, re-made only when that source changed.
# Web sources re-fetch when their config (url, filters, `refresh`) changes: set `refresh` to a new
# value (e.g. today's date) to pull what is new; the journal under .state/ keeps what was fetched.


rule snapshot_repo:
    output:
        manifest="data/raw/{source}/manifest.json",
    params:
        spec=lambda wc: source_spec(wc.source),
        fingerprint=repo_fingerprint,
    wildcard_constraints:
        source=one_of(sources_of("repo")),
    log:
        "logs/snapshot_repo/{source}.log",
    benchmark:
        "logs/benchmarks/snapshot_repo/{source}.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/snapshot_repo.py"


rule snapshot_nixpkgs:
    output:
        manifest="data/raw/{source}/manifest.json",
    params:
        spec=lambda wc: source_spec(wc.source),
        fingerprint=repo_fingerprint,
        http=untracked(config["http"]),
    wildcard_constraints:
        source=one_of(sources_of("nixpkgs")),
    log:
        "logs/snapshot_nixpkgs/{source}.log",
    benchmark:
        "logs/benchmarks/snapshot_nixpkgs/{source}.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/snapshot_nixpkgs.py"


rule scrape_mediawiki:
    input:
        local_dump,
    output:
        dump="data/raw/{source}/pages.jsonl",
    params:
        spec=lambda wc: source_spec(wc.source),
        http=untracked(config["http"]),
    wildcard_constraints:
        source=one_of(sources_of("mediawiki")),
    log:
        "logs/scrape_mediawiki/{source}.log",
    benchmark:
        "logs/benchmarks/scrape_mediawiki/{source}.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/fetch_source.py"


rule scrape_discourse:
    input:
        local_dump,
    output:
        dump="data/raw/{source}/topics.jsonl",
    params:
        spec=lambda wc: source_spec(wc.source),
        http=untracked(config["http"]),
    wildcard_constraints:
        source=one_of(sources_of("discourse")),
    log:
        "logs/scrape_discourse/{source}.log",
    benchmark:
        "logs/benchmarks/scrape_discourse/{source}.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/fetch_source.py"


rule fetch_options:
    input:
        local_dump,
    output:
        dump="data/raw/{source}/options.json",
    params:
        spec=lambda wc: source_spec(wc.source),
        http=untracked(config["http"]),
    wildcard_constraints:
        source=one_of(sources_of("nixos-options")),
    log:
        "logs/fetch_options/{source}.log",
    benchmark:
        "logs/benchmarks/fetch_options/{source}.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/fetch_source.py"


rule fetch_packages:
    input:
        local_dump,
    output:
        dump="data/raw/{source}/packages.json",
    params:
        spec=lambda wc: source_spec(wc.source),
        http=untracked(config["http"]),
    wildcard_constraints:
        source=one_of(sources_of("nixos-packages")),
    log:
        "logs/fetch_packages/{source}.log",
    benchmark:
        "logs/benchmarks/fetch_packages/{source}.tsv"
    conda:
        "../envs/pipeline.yaml"
    script:
        "../scripts/fetch_source.py"
