"""Resuming across SLURM jobs.

profiles/slurm asks SLURM for SIGUSR1 five minutes before a training job's time limit. The training
loop then saves a checkpoint and stops; `requeue_on_usr1` puts the same job back in the queue, where
it runs the rule again and resumes from that checkpoint. SIGTERM (preemption, `scontrol requeue`, a
node going down) only saves and stops: whoever sent it decides whether the job comes back.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess

log = logging.getLogger(__name__)


def slurm_job_id(env=None) -> str | None:
    """The id `scontrol requeue` takes for the job this process runs in (None outside SLURM)."""
    env = os.environ if env is None else env
    if env.get("SLURM_ARRAY_JOB_ID") and env.get("SLURM_ARRAY_TASK_ID"):
        return f"{env['SLURM_ARRAY_JOB_ID']}_{env['SLURM_ARRAY_TASK_ID']}"
    return env.get("SLURM_JOB_ID") or None


def requeue_on_usr1(signal_name: str | None, env=None) -> str:
    """What was done about the stop, as a phrase for the log line ('' when nothing)."""
    job = slurm_job_id(env)
    if signal_name != "SIGUSR1" or not job:
        return ""
    scontrol = shutil.which("scontrol")
    if not scontrol:
        return f"SLURM job {job}: scontrol not on PATH, so the job was not requeued; submit it again to resume"
    proc = subprocess.run([scontrol, "requeue", job], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        return (f"SLURM job {job}: 'scontrol requeue {job}' failed ({proc.stderr.strip() or proc.returncode}); "
                "submit it again to resume")
    log.info("asked SLURM to requeue job %s; it resumes from the checkpoint", job)
    return f"SLURM job {job} requeued to resume from it"
