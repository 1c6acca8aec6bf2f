"""A run killed with SIGKILL, started again with the documented command (`make run`, what `make train`
runs after making the venv), finishes; a plain re-run would stop on the stale lock."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from nanodex.recover import live_snakemake, lock_files, recover

BIN = str(Path(sys.executable).parent)

SNAKEFILE = """
rule all:
    input: "out.txt"

rule slow:
    output: "out.txt"
    shell: "echo start > {output}; sleep ${{SLEEP:-0}}; echo done >> {output}"
"""


def _env(sleep: int) -> dict:
    return {**os.environ, "SLEEP": str(sleep), "PYTHONPATH": str(ROOT),
            "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}


def _make_run(workdir, sleep, **kw):
    # BIN: this interpreter's environment (the Makefile's default is ./.venv/bin of the checkout)
    cmd = ["make", "-f", str(ROOT / "Makefile"), "--no-print-directory", "run", f"BIN={BIN}", "CORES=1",
           "TARGET=all"]
    return subprocess.Popen(cmd, cwd=workdir, env=_env(sleep), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True, **kw)


def _wait_for(cond, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.integration   # five Snakemake starts: about a minute on 2 cores
def test_kill_then_documented_command_recovers(tmp_path):
    (tmp_path / "Snakefile").write_text(SNAKEFILE)
    first = _make_run(tmp_path, sleep=120)
    try:
        assert _wait_for(lambda: lock_files(tmp_path) and (tmp_path / "out.txt").exists()), "run never started"
        # a live run's lock is never taken away
        assert live_snakemake(tmp_path)
        again = _make_run(tmp_path, sleep=0)
        out, _ = again.communicate(timeout=120)
        assert again.returncode != 0 and "a Snakemake run (pid" in out and "works here" in out
        assert lock_files(tmp_path)
    finally:
        os.killpg(first.pid, signal.SIGKILL)   # make, snakemake and the job's shell, at once
        first.communicate()
    assert _wait_for(lambda: not live_snakemake(tmp_path), 30)
    assert lock_files(tmp_path)                               # the dead run's lock stays behind
    assert (tmp_path / "out.txt").read_text() == "start\n"   # and its half-written output
    # started again by hand, Snakemake stops twice: on the incomplete output, then on the lock
    plain = subprocess.run([f"{BIN}/snakemake", "-c1", "all"], cwd=tmp_path, env=_env(0), capture_output=True,
                           text=True, timeout=120)
    assert plain.returncode != 0 and "--rerun-incomplete" in plain.stderr and "out.txt" in plain.stderr
    plain = subprocess.run([f"{BIN}/snakemake", "-c1", "--rerun-incomplete", "all"], cwd=tmp_path, env=_env(0),
                           capture_output=True, text=True, timeout=120)
    assert plain.returncode != 0 and "cannot be locked" in plain.stderr
    rerun = _make_run(tmp_path, sleep=0)
    out, _ = rerun.communicate(timeout=180)
    assert rerun.returncode == 0, out
    assert "removed the stale lock" in out
    assert (tmp_path / "out.txt").read_text() == "start\ndone\n"
    assert not lock_files(tmp_path)


def test_recover_without_a_lock_does_nothing(tmp_path):
    assert recover(tmp_path) == []
