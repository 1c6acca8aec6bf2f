"""Several processes, one training run (one per GPU; gloo ranks on a CPU), in one of two ways
(`train.distributed`, chosen by `strategy`):

ddp: every rank holds the whole model, takes every world-th micro-batch of each optimizer step, and
the LoRA gradients are summed across ranks before the step. LoRA gradients are small, so one
all-reduce per parameter is no bottleneck.

fsdp: for base models that do not fit one GPU, every decoder layer and then the root are sharded
across ranks (FSDP2's fully_shard); the gradient reduce-scatter sums (FSDP averages by default), so
the update is the same as ddp's. Every forward pass is collective there, so each rank runs the same
number of passes (the short ones pad with a weight-0 pass, `rank_share`), and gathering the adapter
to save it is collective too (`full_adapter`). Only rank 0 reads the base, into host memory; the
others build it on the meta device and rank 0 broadcasts the weights into their shards
(`broadcast_weights`), so the node holds one copy, not one per GPU.

Either way every rank holds all rows (the batch order is a pure function of seed and step), the
loss is normalised by the step's global token count, so W ranks compute the same update as one
process with the same global batch (the tests check the loss history), and only rank 0 writes
files."""

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


def strategy(setting: str, param_bytes: int, gpu_bytes: int, world: int) -> str:
    """`train.distributed` resolved: none (one process), ddp or fsdp. auto: fsdp when the base's
    weights take more than half of one GPU (the rest is for activations, the adapter and its optimizer
    state), else ddp; a CPU (gpu_bytes 0) has no GPU memory to run out of, so ddp."""
    if world <= 1:
        return "none"
    if setting != "auto":
        return setting
    return "fsdp" if gpu_bytes and param_bytes > gpu_bytes // 2 else "ddp"


def rank_share(items: list, ranks: Ranks, even: bool = False) -> list[tuple]:
    """(item, weight) for this rank's every world-th item, weight 1. `even` (fsdp, where every forward
    is collective): as many as the busiest rank has, the missing ones a repeat of one item with weight
    0, so no rank waits in a collective that another never enters."""
    mine = [(x, 1.0) for x in items[ranks.rank::ranks.world]]
    if not even or not items:
        return mine
    busiest = -(-len(items) // ranks.world)
    return mine + [(items[0], 0.0)] * (busiest - len(mine))


FSDP_FORWARD = "nanodex_fsdp_labelled_logits"   # the root's forward under fsdp (see shard)


def sharded(model) -> bool:
    return getattr(model, FSDP_FORWARD, None) is not None


def shard(model, layers, ranks: Ranks, weights: dict | None = None) -> None:
    """fsdp: fully_shard every decoder layer, then the root (embeddings, norm, head), over all ranks.
    Gradients are summed, not averaged: the loss is already divided by the step's global token count.
    The loop computes the loss from the backbone and head directly (loop._labelled_logits), not the
    root's forward, so that computation is registered as a root forward: FSDP gathers the root's
    shards around it. `weights`: rank 0's full state dict, taken before sharding, when the other
    ranks built the model on the meta device (`broadcast_weights`)."""
    import functools

    import torch
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.fsdp import FSDPModule, fully_shard, register_fsdp_forward_method

    from .loop import _labelled_logits_local

    mesh = init_device_mesh("cuda" if torch.cuda.is_available() else "cpu", (ranks.world,))
    for layer in layers:
        fully_shard(layer, mesh=mesh)
    fully_shard(model, mesh=mesh)
    for module in model.modules():
        if isinstance(module, FSDPModule):
            module.set_gradient_divide_factor(1.0)
            # a plain SUM: the factor alone is a PREMUL_SUM, which gloo (CPU ranks) does not have
            module.set_force_sum_reduction_for_comms(True)
    setattr(model, FSDP_FORWARD, functools.partial(_labelled_logits_local, model))
    register_fsdp_forward_method(model, FSDP_FORWARD)
    if weights is not None:
        broadcast_weights(model, weights, mesh.device_type)


def broadcast_weights(model, weights: dict, device_type: str) -> None:
    """Only rank 0 read the base (one copy in host memory, not one per process); the others built it
    on the meta device. Their shards get storage, rank 0 sends every weight into every rank's shards,
    and then its buffers, which no state dict holds (rotary frequency tables and the like)."""
    import torch
    import torch.distributed as dist
    from torch.distributed.checkpoint.state_dict import StateDictOptions, set_model_state_dict

    device = torch.device(device_type, torch.cuda.current_device()) if device_type == "cuda" else torch.device("cpu")
    if any(t.is_meta for t in [*model.parameters(), *model.buffers()]):
        model.to_empty(device=device)
    set_model_state_dict(model, weights, options=StateDictOptions(full_state_dict=True, broadcast_from_rank0=True))
    for buf in model.buffers():
        dist.broadcast(buf, src=0)


def full_adapter(model) -> dict | None:
    """fsdp: the whole adapter (name -> CPU tensor) gathered from the shards; a collective, so every
    rank calls it (rank 0 writes it). The trainable (LoRA) parameters only: get_model_state_dict's
    ignore_frozen_params still gathers a tied output head. None when the model is not sharded."""
    if not sharded(model):
        return None
    return {n: p.full_tensor().cpu() for n, p in model.named_parameters() if p.requires_grad}


def full_optimizer_state(model, optimizer) -> dict:
    """fsdp: the optimizer state gathered (parameter names as keys) on rank 0; a collective."""
    from torch.distributed.checkpoint.state_dict import StateDictOptions, get_optimizer_state_dict

    return get_optimizer_state_dict(model, optimizer, options=StateDictOptions(full_state_dict=True,
                                                                               cpu_offload=True))


def load_sharded(model, optimizer, adapter: dict, optim_state: dict) -> None:
    """fsdp resume: every rank reads the saved adapter (PEFT's names) and the gathered optimizer
    state, and keeps its own shards."""
    import torch
    from peft import get_peft_model_state_dict
    from torch.distributed.checkpoint.state_dict import StateDictOptions, set_model_state_dict, set_optimizer_state_dict

    names = [n for n, p in model.named_parameters() if p.requires_grad]
    # PEFT's file names -> parameter names, by PEFT's own renaming of an index per parameter
    saved_as = get_peft_model_state_dict(model, state_dict={n: torch.tensor(i) for i, n in enumerate(names)})
    full = {names[int(i)]: adapter[k] for k, i in saved_as.items()}
    options = StateDictOptions(full_state_dict=True, strict=False)
    set_model_state_dict(model, full, options=options)
    set_optimizer_state_dict(model, optimizer, optim_state, options=StateDictOptions(full_state_dict=True))


def optimizer_state_by(model, state: dict, names: bool) -> dict:
    """An optimizer state_dict with its parameters named (fsdp's gathered form) or numbered (torch's own:
    one process, ddp), whichever it was saved with: a run may resume under the other strategy (e.g.
    train.gpus: auto, requeued on a node with another GPU count)."""
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]   # the optimizer's order
    index = {n: i for i, n in enumerate(trainable)}

    def key(k):
        return (trainable[k] if isinstance(k, int) else k) if names else (index[k] if isinstance(k, str) else k)

    return {"state": {key(k): v for k, v in state["state"].items()},
            "param_groups": [{**g, "params": [key(k) for k in g["params"]]} for g in state["param_groups"]]}


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
