"""profiles/slurm against a real single-node SLURM cluster on localhost (tests/slurm/local-cluster.sh).

Only the training and eval rules go to SLURM (gpu partition, one fake gres GPU); every other rule
runs where snakemake runs. A training job that gets SIGUSR1 (what --signal=USR1@300 sends before the
time limit) requeues itself and resumes; one that SLURM requeues (SIGTERM) resumes too.
profiles/slurm-cpu submits every rule (to the cpu partition).
Needs root the first time (apt-get install of Debian's SLURM); skipped when that is impossible.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project, use_tiny_model

pytestmark = [pytest.mark.integration, pytest.mark.slurm]

SCRIPT = ROOT / "tests/slurm/local-cluster.sh"
CLUSTER_ROOT = Path(os.environ.get("NANODEX_SLURM_ROOT", "/tmp/nanodex-slurm"))
BIN = str(Path(sys.executable).parent)


def cluster_env() -> dict:
    return {**os.environ, "SLURM_CONF": str(CLUSTER_ROOT / "etc/slurm.conf"),
            "PATH": os.pathsep.join([str(CLUSTER_ROOT / "bin"), BIN, os.environ["PATH"]])}


def slurm(*args) -> str:
    return subprocess.run(list(args), env=cluster_env(), check=True, capture_output=True, text=True,
                          timeout=60).stdout


def controller_running() -> bool:
    pid_file = CLUSTER_ROOT / "run/slurmctld.pid"
    try:
        return Path(f"/proc/{int(pid_file.read_text())}/comm").read_text().strip() == "slurmctld"
    except (OSError, ValueError):
        return False


@pytest.fixture(scope="module")
def cluster():
    if not shutil.which("slurmctld") and os.geteuid() != 0:
        pytest.skip("SLURM is not installed and installing it needs root")
    was_running = controller_running()
    subprocess.run([str(SCRIPT), "start"], check=True, timeout=600)
    yield
    if not was_running:  # stop only what this test started
        subprocess.run([str(SCRIPT), "stop"], check=True, timeout=120)


def site_profile(work: Path, name: str = "slurm") -> str:
    """profiles/<name> edited as its SITE comments tell a user to, for this one small node."""
    profile = yaml.safe_load((work / f"profiles/{name}/config.yaml").read_text())
    for res in profile["set-resources"].values():
        res.update(mem_mb=2000, cpus_per_task=2, runtime=30)
    profile["set-threads"] = {rule: 2 for rule in profile["set-threads"]}
    profile["default-resources"].update(mem_mb=1000, cpus_per_task=1)
    profile["local-cores"] = 2
    profile["slurm-init-seconds-before-status-checks"] = 3
    profile["latency-wait"] = 5
    (work / f"profiles/site-{name}").mkdir()
    (work / f"profiles/site-{name}/config.yaml").write_text(yaml.safe_dump(profile))
    return f"profiles/site-{name}"


@pytest.fixture(scope="module")
def project(cluster, tmp_path_factory):
    work = copy_project(tmp_path_factory.mktemp("slurm"))
    use_tiny_model(work)
    return work


def jobs_since(first_id: int) -> list[dict]:
    """This cluster's jobs with an id >= first_id (squeue keeps finished ones for MinJobAge)."""
    out = slurm("squeue", "-h", "-t", "all", "-o", "%i|%k|%T|%P|%b")
    rows = [dict(zip(["id", "comment", "state", "partition", "tres"], line.split("|"), strict=True))
            for line in out.splitlines()]
    return [r for r in rows if int(r["id"]) >= first_id]


def next_job_id() -> int:
    return max([int(r["id"]) for r in jobs_since(0)] or [0]) + 1


def start_snakemake(work: Path, profile: str, target: str) -> subprocess.Popen:
    return subprocess.Popen([f"{BIN}/snakemake", "--profile", profile, target], cwd=work, env=cluster_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def finish(proc: subprocess.Popen, timeout: float) -> str:
    """Wait for snakemake; on a hang send SIGINT (it ignores SIGTERM while polling SLURM)."""
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        raise AssertionError(f"snakemake did not finish in {timeout} s:\n{out[-4000:]}") from None
    assert proc.returncode == 0, out[-4000:]
    return out


def wait_for(what: str, check, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def test_only_train_and_eval_run_as_slurm_jobs(project):
    first = next_job_id()
    out = finish(start_snakemake(project, site_profile(project), "eval"), timeout=420)

    jobs = jobs_since(first)
    assert sorted(j["comment"] for j in jobs) == ["rule_eval_adapter", "rule_train_adapter"], jobs
    for job in jobs:
        assert (job["state"], job["partition"], job["tres"]) == ("COMPLETED", "gpu", "gres:gpu:1"), job
        log = project / f".snakemake/slurm_logs/{job['comment']}/{job['id']}.log"
        assert f"rule {job['comment'].removeprefix('rule_')}:" in log.read_text()
    # everything else ran here, as local rules of this snakemake process
    for rule in ("snapshot_repo", "graph_source", "graph_merge", "brain_nodes", "dataset_build"):
        assert re.search(rf"^localrule {rule}:", out, re.M), rule
    assert not re.search(r"^localrule (train_adapter|eval_adapter):", out, re.M)
    assert (project / "models/demo/adapter/adapter_model.safetensors").is_file()
    assert json.loads((project / "reports/demo/eval.json").read_text())


def checkpoints(work: Path) -> list[int]:
    return sorted(int(p.name.split("-")[1]) for p in (work / "models/demo/checkpoints").glob("step-*"))


def job_state(job_id: str) -> dict:
    out = slurm("scontrol", "show", "job", job_id)
    return dict(re.findall(r"(JobState|Restarts|Reason)=(\S+)", out))


def wait_requeued(job_id: str) -> None:
    wait_for(f"job {job_id} to be pending again", lambda: job_state(job_id)["JobState"] == "PENDING")


def start_now(job_id: str) -> None:
    """SLURM holds a requeued job for two minutes (BeginTime); a test need not wait."""
    slurm("scontrol", "update", f"jobid={job_id}", "StartTime=now")


def test_training_job_resumes_after_usr1_and_requeue(project):
    cfg = project / "config/config.yaml"
    cfg.write_text(cfg.read_text().replace("max_steps: 3", "max_steps: 400").replace("save_steps: 2", "save_steps: 20"))
    shutil.rmtree(project / "models/demo/checkpoints", ignore_errors=True)
    first = next_job_id()
    proc = start_snakemake(project, "profiles/site-slurm", "train")

    # 1. the time-limit warning: USR1 to the job's steps -> checkpoint, the job requeues itself
    job = wait_for("the training job", lambda: [j for j in jobs_since(first) if j["state"] == "RUNNING"])[0]["id"]
    wait_for("a first checkpoint", lambda: checkpoints(project))
    slurm("scancel", "--signal=USR1", job)
    wait_requeued(job)
    first_stop = checkpoints(project)[-1]
    log = (project / "models/demo/train.log").read_text()
    assert f"stopped by SIGUSR1 at step {first_stop} of 400" in log and f"SLURM job {job} requeued" in log
    start_now(job)

    # 2. preemption / an admin's requeue: SIGTERM -> checkpoint, SLURM runs the job again
    wait_for("training to go past the first stop", lambda: checkpoints(project)[-1] > first_stop)
    slurm("scontrol", "requeue", job)
    wait_requeued(job)
    start_now(job)

    finish(proc, timeout=420)
    meta = json.loads((project / "models/demo/adapter/nanodex_train.json").read_text())
    assert meta["steps"] == 400
    assert first_stop < meta["resumed_from"] < 400
    history = json.loads((project / "models/demo/metrics.json").read_text())["history"]
    assert [h["step"] for h in history] == list(range(1, 401))
    log = (project / "models/demo/train.log").read_text()
    assert f"resuming from step-{first_stop:07d}" in log and "stopped by SIGTERM" in log
    assert log.count(f"---- training -> models/demo/adapter in SLURM job {job}") == 3
    assert job_state(job)["Restarts"] == "2" and job_state(job)["JobState"] == "COMPLETED"
    assert [j["comment"] for j in jobs_since(first)] == ["rule_train_adapter"]


def test_cpu_profile_submits_every_rule(cluster, tmp_path):
    work = copy_project(tmp_path)
    use_tiny_model(work)
    first = next_job_id()
    out = finish(start_snakemake(work, site_profile(work, "slurm-cpu"), "train"), timeout=600)

    jobs = jobs_since(first)
    rules = {j["comment"].split("_wildcards_")[0].removeprefix("rule_") for j in jobs}
    assert {"snapshot_repo", "scrape_mediawiki", "graph_source", "graph_merge", "brain_nodes", "dataset_build",
            "train_adapter"} <= rules, rules
    assert {(j["state"], j["partition"]) for j in jobs} == {("COMPLETED", "cpu")}
    # only the aggregate target (localrule: True in the Snakefile) ran here
    assert re.findall(r"^localrule (\w+):", out, re.M) == ["train"]
    assert (work / "models/demo/adapter/adapter_model.safetensors").is_file()
