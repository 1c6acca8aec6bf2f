"""tests/slurm/local-cluster.sh stop against stand-in daemons that, like munged, delete their own
pid file as they exit: stop must succeed whenever the file vanishes (CI once failed the SLURM tests'
teardown on `$(<munged.pid)` after munged had removed it), and must stop only live daemons of the
expected name."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from conftest import ROOT

SCRIPT = ROOT / "tests/slurm/local-cluster.sh"
DAEMONS = ("slurmd", "slurmctld", "munged")

# Exits on SIGTERM after removing its pid file, as munged does; the short sleep widens the window
# in which the pid file is gone but the process is not.
STAND_IN = """#!/bin/bash
trap 'rm -f "$1"; sleep 0.1; exit 0' TERM
echo $$ >"$1"
while :; do sleep 0.05; done
"""


def start_stand_ins(tmp_path: Path) -> dict[str, subprocess.Popen]:
    (tmp_path / "run").mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    procs = {}
    for name in DAEMONS:
        exe = bin_dir / name  # /proc/<pid>/comm of a script is its file name: what the script checks
        exe.write_text(STAND_IN)
        exe.chmod(0o755)
        procs[name] = subprocess.Popen([str(exe), str(tmp_path / "run" / f"{name}.pid")])
    deadline = time.monotonic() + 10
    while not all((tmp_path / "run" / f"{n}.pid").exists() for n in DAEMONS):
        assert time.monotonic() < deadline, "stand-in daemons did not write their pid files"
        time.sleep(0.02)
    return procs


def stop(tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), "stop"], env={**os.environ, "NANODEX_SLURM_ROOT": str(tmp_path)},
                          capture_output=True, text=True, timeout=60)


def test_stop_ends_daemons_that_delete_their_own_pid_files(tmp_path):
    procs = start_stand_ins(tmp_path)
    try:
        done = stop(tmp_path)
        assert done.returncode == 0, done.stderr
        for name, proc in procs.items():
            assert proc.wait(timeout=10) == 0, f"{name} was not stopped by SIGTERM"
            assert f"stopping {name} (pid {proc.pid})" in done.stderr
        assert not list((tmp_path / "run").glob("*.pid"))
        assert "[local-cluster] stopped" in done.stderr
    finally:
        for proc in procs.values():
            proc.kill()


def test_stop_leaves_a_recycled_pid_alone(tmp_path):
    """A pid file naming a live process that is not the daemon (its pid was reused) is not killed."""
    (tmp_path / "run").mkdir()
    other = subprocess.Popen(["sleep", "30"])
    try:
        for name in DAEMONS:
            (tmp_path / "run" / f"{name}.pid").write_text(f"{other.pid}\n")
        done = stop(tmp_path)
        assert done.returncode == 0, done.stderr
        assert other.poll() is None, "stop killed a process that was not its daemon"
        assert "stopping" not in done.stderr
        assert not list((tmp_path / "run").glob("*.pid"))
    finally:
        other.kill()


def test_stop_with_nothing_running_succeeds(tmp_path):
    done = stop(tmp_path)
    assert done.returncode == 0, done.stderr
