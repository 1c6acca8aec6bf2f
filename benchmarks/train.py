"""Training speed at equal loss: nanodex's loop against TRL's SFTTrainer, on the same examples, the same
LoRA and the same optimizer settings, each arm timed the same way.

    .venv/bin/python benchmarks/train.py [--config config/config.yaml] [--data data/dataset/train.jsonl]
        [--val data/dataset/val.jsonl] [--model <model dir>] [--steps 20] [--repeats 3]
        [--arms nanodex,trl-group,trl-pack] [--eval-examples 64]

Arms (all from the config's train section: lr, schedule, warm-up, batch, LoRA, dtype, max_seq_len):
- `nanodex`: `nanodex.train.loop.train_loop`, what `snakemake train` runs, with `train.packing: group`
  (length-grouped batches, the shared system-prompt prefix run once per batch, loss on the labelled
  positions only).
- `nanodex-random`: the same loop with `train.packing: random` (batches in random order, more padding;
  what `packing: auto` picks on a CPU).
- `nanodex-pack`: the same loop with `train.packing: pack` (several examples per row, position ids
  restarting at each; what a GPU run uses), in fewer, fuller steps like `trl-pack`.
- `trl-group`: TRL `SFTTrainer` on the same tokenized examples (`input_ids` + `labels`, the labels
  nanodex's `encode` makes), `train_sampling_strategy="group_by_length"` (transformers 5's name for
  `group_by_length=True`): TRL's best plain setting on this data.
- `trl-random`: the same in random order (transformers' default sampler).
- `trl-pack`: TRL with BFD packing + `padding_free` (position ids; `use_cache=False`, without which
  transformers does not detect the packed sequences and examples attend across each other).
Every arm trains one pass over the same sample of steps x batch examples (the packed arm in fewer,
fuller steps), after a one-batch warm-up pass in the same process. Timing: the wall clock of the
whole training call (every step: collate, forward, backward, clipping, optimizer, scheduler); model
loading and eval excluded. Equal loss: after training, every arm's eval loss on the same validation
examples with one function (nanodex.train.loop.loss_on). Arms alternate and each repeat uses its own
sample and seed, so a drifting machine slows them alike; medians are reported.

Prints one JSON object on the last line: per arm tokens_per_s (the sample's tokens, padding not
counted, per second of training) and eval_loss (medians and every repeat); speedup_vs_best_trl (the
nanodex arm the config's `train.packing` picks on this device, against the fastest TRL arm run) and
its mfu (4 N FLOPs a token against the device's dense bf16 peak, benchmarks/train_mfu.py; null on a
CPU); plus the setting.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from nanodex.config import load_config  # noqa: E402
from nanodex.train.data import encode, one_per_row, pack, read_examples, shuffled  # noqa: E402
from nanodex.train.loop import LoopConfig, loss_on, train_loop  # noqa: E402
from nanodex.train.run import add_lora, batching_mode, load_model, resolve_dtype  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_mfu import matmul_params, peak_tflops  # noqa: E402

ARMS = ("nanodex", "nanodex-random", "nanodex-pack", "trl-group", "trl-random", "trl-pack")


def run_nanodex(cfg, warm, sample, seed, dtype, batching: str = "group"):
    """One pass over `sample` with nanodex's loop, after one over `warm`; (model, seconds)."""
    tok, model = load_model(cfg)
    model = add_lora(model, cfg)

    def call(examples):
        loop = LoopConfig(lr=cfg["lr"], schedule=cfg["schedule"], warmup_steps=cfg["warmup_steps"], epochs=1,
                          batch_size=cfg["batch_size"], grad_accum=cfg["grad_accum"], save_steps=10**9, seed=seed,
                          max_grad_norm=LoopConfig.max_grad_norm, batching=batching)
        rows = pack(examples, cfg["max_seq_len"]) if batching == "pack" else one_per_row(examples)
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            train_loop(model, rows, [], tok.pad_token_id, loop, Path(tmp), "bench")
            return time.perf_counter() - t0

    call(warm)
    return model, call(sample)


def run_trl(cfg, warm, sample, seed, dtype, packing: bool, sampling: str = "group_by_length"):
    """One pass over `sample` with TRL's SFTTrainer, after one over `warm`; (model, seconds)."""
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    tok, model = load_model(cfg)
    model = add_lora(model, cfg)
    if packing:
        model.config.use_cache = False   # else packed sequences are not detected from position_ids

    def call(examples):
        data = Dataset.from_list([{"input_ids": e.input_ids, "labels": e.labels} for e in examples])
        with tempfile.TemporaryDirectory() as tmp:
            args = SFTConfig(output_dir=tmp, num_train_epochs=1, per_device_train_batch_size=cfg["batch_size"],
                             gradient_accumulation_steps=cfg["grad_accum"], learning_rate=cfg["lr"],
                             lr_scheduler_type=cfg["schedule"], warmup_steps=cfg["warmup_steps"], weight_decay=0.0,
                             max_grad_norm=LoopConfig.max_grad_norm, optim="adamw_torch", seed=seed, data_seed=seed,
                             bf16=dtype == torch.bfloat16, fp16=False, use_cpu=not torch.cuda.is_available(),
                             report_to=[], save_strategy="no", logging_strategy="no", disable_tqdm=True,
                             max_length=cfg["max_seq_len"], packing=packing,
                             train_sampling_strategy="random" if packing else sampling,
                             packing_strategy="bfd", padding_free=packing, dataloader_num_workers=0)
            trainer = SFTTrainer(model=model, args=args, train_dataset=data, processing_class=tok)
            t0 = time.perf_counter()
            trainer.train()
            return time.perf_counter() - t0

    call(warm)
    return model, call(sample)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default="config/config.yaml")
    ap.add_argument("--data", default="data/dataset/train.jsonl")
    ap.add_argument("--val", default="data/dataset/val.jsonl")
    ap.add_argument("--model", default=None, help="a local model directory (default: the config's base_model)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--arms", default=",".join(ARMS))
    ap.add_argument("--eval-examples", type=int, default=64)
    a = ap.parse_args()
    cfg = copy.deepcopy(load_config(a.config)["train"])
    if a.model:
        cfg["base_model"] = a.model
    arms = [x for x in a.arms.split(",") if x]
    for x in arms:
        if x not in ARMS:
            raise SystemExit(f"--arms: {x!r} is not an arm; expected some of {', '.join(ARMS)}")
    dtype = getattr(torch, resolve_dtype(cfg["dtype"]))
    tok, _ = load_model(cfg)
    examples = [encode(tok, e, cfg["max_seq_len"]) for e in read_examples(a.data)]
    val = one_per_row([encode(tok, e, cfg["max_seq_len"]) for e in read_examples(a.val)][: a.eval_examples])
    per_step = cfg["batch_size"] * cfg["grad_accum"]
    results: dict[str, list[dict]] = {x: [] for x in arms}
    params = None
    for rep in range(a.repeats):
        # each repeat: its own sample; every arm trains one pass over the same `steps x batch` examples
        # (the packed arm in fewer, fuller steps) after a one-batch warm-up pass
        order = shuffled(examples, rep, "bench")
        warm, sample = order[:per_step], order[per_step: per_step * (a.steps + 1)]
        tokens = sum(len(e.input_ids) for e in sample)
        for arm in arms:
            torch.manual_seed(rep)
            if arm.startswith("nanodex"):
                batching = {"nanodex": "group", "nanodex-random": "random", "nanodex-pack": "pack"}[arm]
                model, seconds = run_nanodex(cfg, warm, sample, rep, dtype, batching)
            else:
                model, seconds = run_trl(cfg, warm, sample, rep, dtype, packing=arm == "trl-pack",
                                         sampling="random" if arm == "trl-random" else "group_by_length")
            loss = loss_on(model, val, tok.pad_token_id, cfg["batch_size"], packed=False)
            params = params or matmul_params(model)
            results[arm].append({"seconds": round(seconds, 2), "tokens_per_s": round(tokens / seconds, 1),
                                 "eval_loss": round(loss, 4)})
            print(arm, rep, results[arm][-1], flush=True)
            del model
    medians = {arm: {"tokens_per_s": statistics.median(r["tokens_per_s"] for r in runs),
                     "eval_loss": statistics.median(r["eval_loss"] for r in runs), "runs": runs}
               for arm, runs in results.items()}
    ours = {"group": "nanodex", "random": "nanodex-random", "pack": "nanodex-pack"}[batching_mode(cfg)]
    trl = [m["tokens_per_s"] for arm, m in medians.items() if arm.startswith("trl")]
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu"
    peak = peak_tflops(device) if torch.cuda.is_available() else None
    rate = medians[ours]["tokens_per_s"] if ours in medians else None
    out = {"arms": medians, "nanodex_arm": ours,
           "speedup_vs_best_trl": round(rate / max(trl), 3) if rate and trl else None,
           "mfu": round(rate * 4 * params / (peak * 1e12), 4) if rate and peak else None,
           "base_model": cfg["base_model"], "steps": a.steps, "batch_size": cfg["batch_size"],
           "grad_accum": cfg["grad_accum"], "lr": cfg["lr"], "schedule": cfg["schedule"],
           "lora": cfg.get("lora"), "dtype": str(dtype).removeprefix("torch."), "repeats": a.repeats,
           "eval_examples": len(val), "device": device, "threads": torch.get_num_threads()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
