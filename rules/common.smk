# Config validation first, then path helpers shared by every stage.
import sys
from pathlib import Path

sys.path.insert(0, workflow.basedir)

from snakemake.exceptions import WorkflowError

from nanodex.config import load_schema, validate_config
from nanodex.errors import ConfigError
from nanodex.sources.repo import tree_fingerprint

# The same JSON Schema snakemake.utils.validate() takes, checked by nanodex so that a bad value
# stops the run with one line naming the key, the value and what is allowed.
try:
    validate_config(config, load_schema(Path(workflow.basedir) / "config" / "schema.yaml"))
except ConfigError as exc:
    raise WorkflowError(str(exc)) from None

SOURCES = sorted(config["sources"])
REPO_SOURCES = [s for s in SOURCES if config["sources"][s]["kind"] == "repo"]


def one_of(names):
    """Wildcard constraint matching exactly these names (and nothing when there are none)."""
    return "|".join(names) if names else "(?!x)x"


def source_spec(name):
    return config["sources"][name]


def repo_fingerprint(wildcards):
    # Local trees only: a touched, added or removed file changes this param, so exactly that
    # source's snapshot (and what depends on it) re-runs. A git url is pinned by its rev.
    spec = source_spec(wildcards.source)
    if not spec.get("path"):
        return spec.get("rev", "")
    return tree_fingerprint(spec["path"], spec["include"], spec["exclude"], spec["use_gitignore"])


def raw_outputs():
    return expand("data/raw/{source}/manifest.json", source=SOURCES)


def graph_outputs():
    return expand("data/graph/{source}.sqlite", source=SOURCES)


def graph_threads():
    return config["graph"]["workers"] or workflow.cores
