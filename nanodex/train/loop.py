"""The training loop: LoRA on packed rows, eval loss, checkpoints, resume, and a clean stop on
SIGTERM/SIGUSR1 (what SLURM sends before a time limit or preemption).

The batch order is a pure function of (seed, epoch), so a resumed run replays exactly the batches
the first run would have seen, and ends with the same number of optimizer steps.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import NanodexError
from ..io import atomic_dir
from .data import IGNORE, Encoded, Row, collate, flattened, length_grouped, shuffled, trainable_tokens
from .distributed import (
    FSDP_FORWARD,
    barrier,
    current,
    full_adapter,
    full_optimizer_state,
    load_sharded,
    optimizer_state_by,
    rank_share,
    sharded,
    sum_gradients,
    sum_values,
)

log = logging.getLogger(__name__)
STOP_EXIT_CODE = 75   # EX_TEMPFAIL: stopped on request with a checkpoint saved; run again to resume


class Stopped(NanodexError):
    """A stop signal arrived; a checkpoint was saved."""

    exit_code = STOP_EXIT_CODE

    def __init__(self, message: str, signal_name: str):
        super().__init__(message)
        self.signal = signal_name


@dataclass
class LoopConfig:
    lr: float = 2e-4
    schedule: str = "cosine"
    warmup_steps: int = 0
    epochs: int = 1
    max_steps: int = 0
    batch_size: int = 4
    grad_accum: int = 1
    eval_steps: int = 0          # 0: eval only at the end
    save_steps: int = 10
    keep_checkpoints: int = 2
    seed: int = 0
    max_grad_norm: float = 1.0
    # run.batching_mode: pack (several examples per row), group (one per row, batches of similar
    # length) or random (one per row, batches in random order)
    batching: str = "pack"

    @property
    def packed(self) -> bool:
        return self.batching == "pack"


def planned_steps(n_rows: int, cfg: LoopConfig) -> int:
    per_epoch = math.ceil(n_rows / (cfg.batch_size * cfg.grad_accum))
    return cfg.max_steps if cfg.max_steps > 0 else per_epoch * cfg.epochs


def batches_for_step(rows, step: int, cfg: LoopConfig):
    """The micro-batches of optimizer step `step` (0-based): deterministic from (seed, epoch)."""
    per_step = cfg.batch_size * cfg.grad_accum
    per_epoch = max(1, math.ceil(len(rows) / per_step))
    epoch, k = divmod(step, per_epoch)
    if cfg.batching != "group":
        order = shuffled(rows, cfg.seed, f"epoch{epoch}")
        micro = [order[j:j + cfg.batch_size] for j in range(0, len(order), cfg.batch_size)]
    else:
        micro = length_grouped(rows, cfg.batch_size, cfg.seed, f"epoch{epoch}")
    start = (k * cfg.grad_accum) % max(len(micro), 1)
    return micro[start:start + cfg.grad_accum] or micro[:cfg.grad_accum]


def forward_loss(model, b, per_row: bool = False):
    """Sum of token losses over the labelled (assistant) positions and their count; training, its
    eval loss and the eval stage's held-out/control losses all use it. `per_row`: the sums and counts
    of each row instead (tensors, one entry per row).

    The vocabulary projection runs on those positions only: on short Q&A most tokens are prompt, and
    the full-vocabulary logits of every position are most of a small model's memory traffic. A prefix
    that every row of the batch shares and none trains on (the chat template's system prompt;
    b["prefix_len"], see data.shared_prefix) runs once and its keys/values are shared by the rows: the
    same values and gradients as running it per row, for a fraction of the cost."""
    import torch

    logits, target, rows_of, keep = _labelled_logits(model, b)
    if not per_row:
        return torch.nn.functional.cross_entropy(logits, target, ignore_index=IGNORE, reduction="sum"), int(keep.sum())
    losses = torch.nn.functional.cross_entropy(logits, target, ignore_index=IGNORE, reduction="none")
    sums = torch.zeros(keep.shape[0], dtype=losses.dtype, device=losses.device).index_add_(0, rows_of, losses)
    return sums, keep.sum(dim=1)


def base_of(model):
    """The transformers model inside a peft wrapper (or the model itself)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def _labelled_logits(model, b):
    """(float32 logits, targets, the row of each, labelled-position mask) of the batch `b`."""
    fsdp_forward = getattr(model, FSDP_FORWARD, None)   # sharded: the same, with the root's shards gathered
    return fsdp_forward(b) if fsdp_forward is not None else _labelled_logits_local(model, b)


def _labelled_logits_local(model, b):
    import torch

    base = base_of(model)
    if b["attention_mask"] is None and varlen_attention(base):
        b = flattened(b)
    device = base.get_input_embeddings().weight.device
    b = {k: v.to(device, non_blocking=True) if torch.is_tensor(v) else v for k, v in b.items()}
    labels = b["labels"][:, 1:]
    keep = labels != IGNORE
    head = base.get_output_embeddings()
    backbone = getattr(base, "model", None)
    # No shared prefix under gradient checkpointing in training (the layers drop a passed cache; the
    # backbone's own flag: is_activation_checkpointing walks every module on each call), when sharded
    # (every rank must gather each layer as often as the others, and a prefix runs the backbone twice,
    # on some batches only; a layer's second call also reshards what the prefix's backward needs), or
    # under flash attention (its kernels are not checked here with a cache and padding).
    checkpointing = getattr(backbone, "gradient_checkpointing", False)
    prefix = 0 if (checkpointing and model.training) or sharded(model) or varlen_attention(base) \
        else b.get("prefix_len", 0)
    if backbone is not None and head is not None:
        if prefix:   # hidden states of positions prefix.. only; none before it is labelled
            hidden = _shared_prefix_hidden(backbone, b, prefix)[:, :-1]
        else:
            # no cache: with one, transformers does not read packed rows' position ids as sequence
            # boundaries and every token would attend to the earlier examples of its row
            hidden = backbone(input_ids=b["input_ids"], attention_mask=b["attention_mask"],
                              position_ids=b["position_ids"], use_cache=False).last_hidden_state[:, :-1]
        logits = head(hidden[keep[:, prefix:]]).float()
        return logits, labels[keep], keep.nonzero()[:, 0], keep
    out = model(input_ids=b["input_ids"], attention_mask=b["attention_mask"], position_ids=b["position_ids"],
                use_cache=False)
    logits = out.logits[:, :-1].float().reshape(-1, out.logits.shape[-1])
    rows_of = torch.arange(labels.shape[0], device=labels.device).repeat_interleave(labels.shape[1])
    return logits, labels.reshape(-1), rows_of, keep


def packed_attention_error(model, n: int = 8) -> tuple[float, float]:
    """How much a packed example's logits differ from the same example alone, and how much they differ
    when nothing marks the boundary (one long sequence): packing is only sound where the model's
    attention reads restarting position ids as sequence boundaries, and a model that does not (a
    recurrent one, or attention code that ignores them) would let examples see each other silently.
    Two random `n`-token examples, through the same forward pass as training."""
    import torch

    base = base_of(model)
    vocab = base.get_input_embeddings().weight.shape[0]
    gen = torch.Generator().manual_seed(0)
    first, second = (Encoded(name, ids, ids, 0) for name, ids in
                     (("a", torch.randint(vocab, (n,), generator=gen).tolist()),
                      ("b", torch.randint(vocab, (n,), generator=gen).tolist())))
    packed, alone = Row(), Row()
    packed.add(first)
    packed.add(second)
    alone.add(second)
    joined = Row(packed.input_ids, packed.labels, list(range(2 * n)))
    was_training = model.training
    model.eval()
    with torch.no_grad():   # logits of predictions made inside the second example
        logits = [_labelled_logits(model, collate([r], 0))[0][-(n - 1):] for r in (packed, alone, joined)]
    model.train(was_training)
    return float((logits[0] - logits[1]).abs().max()), float((logits[2] - logits[1]).abs().max())


def varlen_attention(model) -> bool:
    """Does the model run flash attention, whose variable-length kernel takes packed sequences only
    as one flattened row?"""
    return "flash" in str(getattr(model.config, "_attn_implementation", ""))


def _shared_prefix_hidden(backbone, b, prefix: int):
    """Hidden states of positions prefix.. of every row: the prefix runs once (batch 1), its per-layer
    keys/values are expanded to the batch (a view; autograd sums the rows' gradients into it), and
    the rest of each row attends to them as to a cache."""
    ids, pos = b["input_ids"], b["position_ids"]
    rows = ids.shape[0]
    cache = backbone(input_ids=ids[:1, :prefix], position_ids=pos[:1, :prefix], use_cache=True).past_key_values
    for layer in cache.layers:
        layer.keys = layer.keys.expand(rows, -1, -1, -1)
        layer.values = layer.values.expand(rows, -1, -1, -1)
    return backbone(input_ids=ids[:, prefix:], attention_mask=b["attention_mask"], position_ids=pos[:, prefix:],
                    past_key_values=cache, use_cache=True).last_hidden_state


def progress_line(step: int, total: int, loss: float, eval_loss: float | None, tokens: int, steps_done: int,
                  elapsed: float) -> str:
    """`step 5/20 (25%) loss 2.1234 eval 1.9876 | 312 tokens/s | ETA 0:00:37`: this attempt's throughput
    (non-padding tokens) and the time left at its pace."""
    rate = tokens / elapsed if elapsed > 0 else 0.0
    eta = (total - step) * elapsed / steps_done if steps_done else 0.0
    m, s = divmod(int(round(eta)), 60)
    h, m = divmod(m, 60)
    return (f"step {step}/{total} ({100 * step // max(total, 1)}%) loss {loss:.4f}"
            + (f" eval {eval_loss:.4f}" if eval_loss is not None else "")
            + f" | {rate:,.0f} tokens/s | ETA {h}:{m:02d}:{s:02d}")


class StopFlag:
    def __init__(self):
        self.signal = None

    def __call__(self, signum, frame):
        self.signal = signal.Signals(signum).name

    def install(self):
        for s in (signal.SIGTERM, signal.SIGUSR1):
            signal.signal(s, self)


def loss_on(model, rows, pad_id, batch_size, packed=True):
    """Token-weighted loss over `rows`; with several ranks each takes every world-th batch."""
    import torch

    ranks = current()
    model.eval()
    total, count = 0.0, 0
    rows = rows if packed else sorted(rows, key=len)
    starts = rank_share(list(range(0, len(rows), batch_size)), ranks, even=sharded(model))
    with torch.no_grad():
        for i, weight in starts:
            loss, n = forward_loss(model, collate(rows[i:i + batch_size], pad_id, packed=packed))
            total += weight * loss.item()
            count += int(weight * n)
    model.train()
    total, count = sum_values([total, count], ranks)
    return total / max(count, 1)


def _save_checkpoint(model, optimizer, scheduler, state: dict, ckpt_dir: Path, keep: int,
                     gathered: tuple | None = None) -> Path:
    """`gathered`: fsdp's (adapter, optimizer state), gathered by every rank (`_gather`)."""
    import torch

    adapter, optim_state = gathered or (None, optimizer.state_dict())
    final = ckpt_dir / f"step-{state['step']:07d}"
    with atomic_dir(final, partial=ckpt_dir / f".{final.name}.partial") as tmp:   # hidden: not a step-* to resume
        model.save_pretrained(tmp / "adapter", state_dict=adapter)
        torch.save({"optimizer": optim_state, "scheduler": scheduler.state_dict(),
                    "rng": torch.get_rng_state()}, tmp / "trainer.pt")
        (tmp / "state.json").write_text(json.dumps(state, indent=1, sort_keys=True))
    for old in sorted(ckpt_dir.glob("step-*"))[:-keep]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _gather(model, optimizer) -> tuple | None:
    """fsdp: the adapter and optimizer state for a checkpoint; collective, so every rank calls it."""
    return (full_adapter(model), full_optimizer_state(model, optimizer)) if sharded(model) else None


def _resume(model, optimizer, ckpt: Path, saved: dict) -> None:
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    adapter = load_file(ckpt / "adapter" / "adapter_model.safetensors")
    if sharded(model):
        load_sharded(model, optimizer, adapter, optimizer_state_by(model, saved["optimizer"], names=True))
    else:
        set_peft_model_state_dict(model, adapter)
        optimizer.load_state_dict(optimizer_state_by(model, saved["optimizer"], names=False))


def latest_checkpoint(ckpt_dir: Path, config_hash: str) -> Path | None:
    for cand in sorted(ckpt_dir.glob("step-*"), reverse=True):
        try:
            state = json.loads((cand / "state.json").read_text())
        except (OSError, ValueError):
            continue
        if state.get("config_hash") == config_hash and (cand / "trainer.pt").exists():
            return cand
    return None


def train_loop(model, train_rows, eval_rows, pad_id, cfg: LoopConfig, run_dir: Path, config_hash: str,
               on_step=None) -> dict:
    import torch
    from transformers import get_scheduler

    ranks = current()   # several ranks: each runs every world-th micro-batch; rank 0 alone writes
    fsdp = sharded(model)
    ckpt_dir = run_dir / "checkpoints"
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    if ranks.main:
        for stale in ckpt_dir.iterdir():          # a checkpoint of another config is no base to resume from
            if stale.name.startswith("step-") and (stale / "state.json").exists():
                if json.loads((stale / "state.json").read_text()).get("config_hash") != config_hash:
                    shutil.rmtree(stale, ignore_errors=True)
    barrier(ranks)
    total = planned_steps(len(train_rows), cfg)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.0)
    scheduler = get_scheduler(cfg.schedule, optimizer, num_warmup_steps=cfg.warmup_steps, num_training_steps=total)
    state = {"step": 0, "history": [], "best_eval": None, "best_step": None, "config_hash": config_hash,
             "planned_steps": total, "resumed_from": None, "tokens": 0}
    ckpt = latest_checkpoint(ckpt_dir, config_hash)
    if ckpt is not None:
        saved = torch.load(ckpt / "trainer.pt", weights_only=False)
        _resume(model, optimizer, ckpt, saved)
        scheduler.load_state_dict(saved["scheduler"])
        torch.set_rng_state(saved["rng"])
        state = json.loads((ckpt / "state.json").read_text())
        state["resumed_from"] = state["step"]
        log.info("resuming from %s (step %d of %d)", ckpt.name, state["step"], total)
    stop = StopFlag()
    stop.install()
    model.train()
    t0 = time.perf_counter()
    first_step, first_tokens = state["step"], state["tokens"]   # this attempt's progress (after a resume)
    eval_every = cfg.eval_steps or total
    while state["step"] < total:
        optimizer.zero_grad(set_to_none=True)
        micro = batches_for_step(train_rows, state["step"], cfg)
        n_tokens = sum(trainable_tokens(mb) for mb in micro)
        step_loss = 0.0
        for mb, weight in rank_share(micro, ranks, even=fsdp):
            loss_sum, _ = forward_loss(model, collate(mb, pad_id, packed=cfg.packed))
            loss = weight * loss_sum / max(n_tokens, 1)   # token-weighted over the step, whatever the split
            loss.backward()
            step_loss += loss.item()
        if not fsdp:   # fsdp's backward already summed them (reduce-scatter)
            sum_gradients(params, ranks)
        torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm)
        optimizer.step()
        scheduler.step()
        state["step"] += 1
        state["tokens"] += sum(len(r) for mb in micro for r in mb)
        step_loss, stopping = sum_values([step_loss, float(stop.signal is not None)], ranks)
        entry = {"step": state["step"], "loss": round(step_loss, 6), "lr": scheduler.get_last_lr()[0],
                 "trainable_tokens": n_tokens}
        if eval_rows and (state["step"] % eval_every == 0 or state["step"] == total):
            entry["eval_loss"] = round(loss_on(model, eval_rows, pad_id, cfg.batch_size, cfg.packed), 6)
            if state["best_eval"] is None or entry["eval_loss"] < state["best_eval"]:
                state["best_eval"], state["best_step"] = entry["eval_loss"], state["step"]
                adapter = full_adapter(model)   # fsdp: a collective, on every rank
                if ranks.main:
                    model.save_pretrained(run_dir / "best", state_dict=adapter)
        state["history"].append(entry)
        done, session_tokens = state["step"] - first_step, state["tokens"] - first_tokens
        log.info("%s", progress_line(state["step"], total, step_loss, entry.get("eval_loss"),
                                     session_tokens, done, time.perf_counter() - t0))
        if on_step and ranks.main:
            on_step(state)
        if state["step"] % cfg.save_steps == 0 or state["step"] == total or stopping:
            gathered = _gather(model, optimizer)
            if ranks.main:
                _save_checkpoint(model, optimizer, scheduler, state, ckpt_dir, cfg.keep_checkpoints, gathered)
            barrier(ranks)
        if stopping and state["step"] < total:
            name = stop.signal or "a stop signal on another rank"
            raise Stopped(f"stopped by {name} at step {state['step']} of {total}; checkpoint saved in "
                          f"{ckpt_dir}; run again to resume", stop.signal or "SIGTERM")
    state["seconds"] = round(time.perf_counter() - t0, 3)
    return state
