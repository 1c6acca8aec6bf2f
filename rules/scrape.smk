# Sources -> data/raw/<source>/: one dump per source, re-made only when that source changed.
# Web sources re-fetch when their config (url, filters, `refresh`) changes: set `refresh` to a new
# value (e.g. today's date) to pull what is new; the journal under .state/ keeps what was fetched.


rule snapshot_repo:
    output:
        manifest="data/raw/{source}/manifest.json",
    log:
        "logs/snapshot_repo/{source}.log",
    benchmark:
        "logs/benchmarks/snapshot_repo/{source}.tsv"
    wildcard_constraints:
        source=one_of(sources_of("repo")),
    conda:
        "../envs/pipeline.yaml"
    params:
        spec=lambda wc: source_spec(wc.source),
        fingerprint=repo_fingerprint,
    script:
        "../scripts/snapshot_repo.py"


rule snapshot_nixpkgs:
    output:
        manifest="data/raw/{source}/manifest.json",
    log:
        "logs/snapshot_nixpkgs/{source}.log",
    benchmark:
        "logs/benchmarks/snapshot_nixpkgs/{source}.tsv"
    wildcard_constraints:
        source=one_of(sources_of("nixpkgs")),
    conda:
        "../envs/pipeline.yaml"
    params:
        spec=lambda wc: source_spec(wc.source),
        fingerprint=repo_fingerprint,
        http=untracked(config["http"]),
    script:
        "../scripts/snapshot_nixpkgs.py"


rule scrape_mediawiki:
    input:
        local_dump,
    output:
        dump="data/raw/{source}/pages.jsonl",
    log:
        "logs/scrape_mediawiki/{source}.log",
    benchmark:
        "logs/benchmarks/scrape_mediawiki/{source}.tsv"
    wildcard_constraints:
        source=one_of(sources_of("mediawiki")),
    conda:
        "../envs/pipeline.yaml"
    params:
        spec=lambda wc: source_spec(wc.source),
        http=untracked(config["http"]),
    script:
        "../scripts/fetch_source.py"


rule scrape_discourse:
    input:
        local_dump,
    output:
        dump="data/raw/{source}/topics.jsonl",
    log:
        "logs/scrape_discourse/{source}.log",
    benchmark:
        "logs/benchmarks/scrape_discourse/{source}.tsv"
    wildcard_constraints:
        source=one_of(sources_of("discourse")),
    conda:
        "../envs/pipeline.yaml"
    params:
        spec=lambda wc: source_spec(wc.source),
        http=untracked(config["http"]),
    script:
        "../scripts/fetch_source.py"


rule fetch_options:
    input:
        local_dump,
    output:
        dump="data/raw/{source}/options.json",
    log:
        "logs/fetch_options/{source}.log",
    benchmark:
        "logs/benchmarks/fetch_options/{source}.tsv"
    wildcard_constraints:
        source=one_of(sources_of("nixos-options")),
    conda:
        "../envs/pipeline.yaml"
    params:
        spec=lambda wc: source_spec(wc.source),
        http=untracked(config["http"]),
    script:
        "../scripts/fetch_source.py"


rule fetch_packages:
    input:
        local_dump,
    output:
        dump="data/raw/{source}/packages.json",
    log:
        "logs/fetch_packages/{source}.log",
    benchmark:
        "logs/benchmarks/fetch_packages/{source}.tsv"
    wildcard_constraints:
        source=one_of(sources_of("nixos-packages")),
    conda:
        "../envs/pipeline.yaml"
    params:
        spec=lambda wc: source_spec(wc.source),
        http=untracked(config["http"]),
    script:
        "../scripts/fetch_source.py"
