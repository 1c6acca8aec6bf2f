"""Several processes, one training run: data parallel over ranks (one per GPU; gloo ranks on a CPU).

Every rank holds all rows (the batch order is a pure function of seed and step), takes every
world-th micro-batch of each optimizer step, and the LoRA gradients are summed across ranks before
the step. The loss is normalised by the step's global token count, so W ranks compute the same
update as one process with the same global batch (the test checks the loss history). Only rank 0
writes files. LoRA gradients are small, so one all-reduce per parameter is no bottleneck; models
that do not fit one GPU need sharding (FSDP), which this does not do."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import NanodexError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ranks:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0


def current() -> Ranks:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return Ranks(dist.get_rank(), dist.get_world_size(), int(os.environ.get("LOCAL_RANK", 0)))
    return Ranks()


def init_from_env() -> Ranks:
    """Join the process group torchrun describes in the environment (WORLD_SIZE > 1), else one rank."""
    import torch
    import torch.distributed as dist

    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return Ranks()
    if not dist.is_initialized():
        local = int(os.environ.get("LOCAL_RANK", 0))
        if torch.cuda.is_available():
            torch.cuda.set_device(local)
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return current()


def sum_gradients(params, ranks: Ranks) -> None:
    import torch
    import torch.distributed as dist

    if ranks.world <= 1:
        return
    for p in params:
        if p.grad is None:   # a rank without a micro-batch this step still takes part in the sum
            p.grad = torch.zeros_like(p)
        dist.all_reduce(p.grad)


def sum_values(values: list[float], ranks: Ranks) -> list[float]:
    import torch
    import torch.distributed as dist

    if ranks.world <= 1:
        return values
    t = torch.tensor(values, dtype=torch.float64,
                     device="cuda" if torch.cuda.is_available() else "cpu")
    dist.all_reduce(t)
    return t.tolist()


def barrier(ranks: Ranks) -> None:
    import torch.distributed as dist

    if ranks.world > 1:
        dist.barrier()


def process_count(gpus, cuda_devices: int) -> int:
    """`train.gpus`: auto = every GPU the job sees (one process each); 0 or 1 = one process."""
    if gpus == "auto":
        return max(cuda_devices, 1)
    if gpus > max(cuda_devices, 1):
        raise NanodexError(f"train.gpus: {gpus} GPUs asked for but {cuda_devices} visible; expected at most "
                           f"{cuda_devices} (or auto), or a job with that many (gres: gpu:{gpus})")
    return max(gpus, 1)


def launch(n: int, job: dict, run_dir: Path, stream=None) -> dict:
    """Run the training job in `n` processes under torchrun; relay their output; return rank 0's report."""
    run_dir.mkdir(parents=True, exist_ok=True)
    job_path, report_path = run_dir / "launch.json", run_dir / "launch.report.json"
    report_path.unlink(missing_ok=True)
    job_path.write_text(json.dumps({**job, "report": str(report_path)}))
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={n}",
           "-m", "nanodex.train.worker", str(job_path)]
    log.info("training in %d processes: %s", n, " ".join(cmd))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in proc.stdout:
        log.info("%s", line.rstrip())
        if stream is not None:
            stream.write(line)
    code = proc.wait()
    if code == 75:
        from .loop import Stopped

        raise Stopped(f"the {n} training processes stopped with a checkpoint; run again to resume", "SIGTERM")
    if code != 0 or not report_path.exists():
        raise NanodexError(f"torchrun with {n} processes exited with status {code}; see the lines above in this log")
    return json.loads(report_path.read_text())
