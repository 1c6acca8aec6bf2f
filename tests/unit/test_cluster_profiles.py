"""The SLURM profiles name real rules and the settings resume depends on; config.cluster.jobs is checked.
(tests/slurm runs profiles/slurm against a real cluster.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from nanodex.train.slurm import requeue_on_usr1, slurm_job_id

BIN = str(Path(sys.executable).parent)


def rule_names() -> set[str]:
    out = subprocess.run([f"{BIN}/snakemake", "--list-rules"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return {line.strip() for line in out.splitlines() if line.strip()}


@pytest.mark.parametrize("name", ["slurm", "slurm-cpu"])
def test_profile_names_real_rules_and_resumable_training(name):
    profile = yaml.safe_load((ROOT / f"profiles/{name}/config.yaml").read_text())
    rules = rule_names()
    assert profile["executor"] == "slurm"
    assert set(profile["set-resources"]) <= rules and set(profile["set-threads"]) <= rules
    train = profile["set-resources"]["train_adapter"]
    # the training loop checkpoints + requeues on USR1; without --requeue SLURM refuses a requeue
    assert "--signal=USR1@" in train["slurm_extra"] and "--requeue" in train["slurm_extra"]
    lead = int(train["slurm_extra"].split("--signal=USR1@")[1].split()[0].strip("'"))
    assert 60 <= lead < train["runtime"] * 60
    # without accounting the plugin needs squeue, and squeue forgets jobs after MinJobAge
    assert profile["slurm-status-command"] == "squeue"
    assert "executor" not in yaml.safe_load((ROOT / "profiles/default/config.yaml").read_text())


def test_gpu_profile_sends_training_to_the_gpu_partition():
    profile = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
    for rule in ("train_adapter", "eval_adapter"):
        res = profile["set-resources"][rule]
        assert res["slurm_partition"] == "gpu" and res["gres"].startswith("gpu:")
    assert profile["default-resources"]["slurm_partition"] == "cpu"


def test_unknown_rule_in_cluster_jobs_is_one_clear_line(tmp_path):
    proc = subprocess.run([f"{BIN}/snakemake", "-n", "train", "--config", "cluster={'jobs': ['trian']}"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    expected = "config.cluster.jobs: trian is unknown; expected '*' or some of the workflow's rules: snapshot_repo,"
    assert expected in proc.stdout + proc.stderr


def test_slurm_job_id_from_the_environment():
    assert slurm_job_id({}) is None
    assert slurm_job_id({"SLURM_JOB_ID": "42"}) == "42"
    assert slurm_job_id({"SLURM_JOB_ID": "43", "SLURM_ARRAY_JOB_ID": "40", "SLURM_ARRAY_TASK_ID": "3"}) == "40_3"


def test_requeue_only_on_usr1_inside_a_slurm_job(tmp_path):
    assert requeue_on_usr1("SIGTERM", {"SLURM_JOB_ID": "42"}) == ""   # preempted/cancelled: SLURM decides
    assert requeue_on_usr1("SIGUSR1", {}) == ""                       # not in a SLURM job
    path = os.environ["PATH"]
    try:
        os.environ["PATH"] = str(tmp_path)   # no scontrol here
        msg = requeue_on_usr1("SIGUSR1", {"SLURM_JOB_ID": "42"})
    finally:
        os.environ["PATH"] = path
    assert msg == "SLURM job 42: scontrol not on PATH, so the job was not requeued; submit it again to resume"
