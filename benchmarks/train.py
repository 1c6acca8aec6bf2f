"""Training throughput: nanodex's packed LoRA loop vs a baseline in the same process (plain
transformers Trainer + peft, padded batches, no packing), on the same examples.

    .venv/bin/python benchmarks/train.py [--data data/dataset/train.jsonl] [--model tiny|<model dir or hub id>]
                                         [--steps 20] [--batch 4] [--max-seq-len 512] [--dtype float32]
                                         [--repeats 1] [--no-share-prefix]

Both sides train on the same random sample of steps x batch examples (nanodex length-groups or packs
them; the baseline pads them in Trainer's order), each after an untimed warm-up step.

Prints one JSON object on the last line: tokens_per_s (non-padding tokens/s, nanodex), baseline_tokens_per_s,
speedup, step_s, peak_mem_mb, mfu (null on CPU), device.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from nanodex.train.data import IGNORE, collate, encode, length_grouped, one_per_row, pack, read_examples, shuffled  # noqa: E402
from nanodex.train.loop import forward_loss  # noqa: E402
from nanodex.train.run import add_lora, batching_mode  # noqa: E402


def lora_cfg():
    return {"method": "lora", "lora": {"r": 16, "alpha": 32, "dropout": 0.0, "target_modules": "all-linear"}}


def load(model_path, dtype):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_path)
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=dtype, attn_implementation="sdpa")
    return tok, model


def flops_per_token(model) -> float:
    n = sum(p.numel() for p in model.parameters())
    return 6.0 * n   # forward + backward, dense; LoRA's frozen base still costs ~4n, kept simple and stated


def run_nanodex(model_path, sample, warmup, batch, max_len, dtype, device, mode, share_prefix=True):
    """nanodex's loop on `sample` (one optimizer step per batch), after one untimed step on `warmup`."""
    tok, model = load(model_path, dtype)
    model = add_lora(model, lora_cfg()).to(device)
    packed = mode == "pack"
    if packed:
        rows = pack(sample, max_len)
        batches = [rows[i:i + batch] for i in range(0, len(rows), batch)]
    else:
        batches = length_grouped(one_per_row(sample), batch, 0, "bench")
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    model.train()
    step_times = []
    for i, chunk in enumerate([one_per_row(warmup)] + batches):
        b = collate(chunk, tok.pad_token_id, dtype, packed=packed, share_prefix=share_prefix)  # moved by forward_loss
        ts = time.perf_counter()
        loss_sum, n = forward_loss(model, b)
        (loss_sum / max(n, 1)).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        if device == "cuda":
            torch.cuda.synchronize()
        if i:
            step_times.append(time.perf_counter() - ts)
    real = sum(len(e.input_ids) for e in sample)
    return real / sum(step_times), sum(step_times) / len(step_times), flops_per_token(model)


def run_baseline(model_path, sample, warmup, batch, dtype, device):
    """transformers' Trainer + peft on the same `sample`, padded batches in Trainer's shuffled order,
    after an untimed warm-up run on `warmup`."""
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments

    tok, model = load(model_path, dtype)
    model = add_lora(model, lora_cfg())
    elapsed = 0.0
    for part, timed in ((warmup, False), (sample, True)):
        data = [{"input_ids": e.input_ids, "labels": e.labels} for e in part]
        with tempfile.TemporaryDirectory() as tmp:
            args = TrainingArguments(output_dir=tmp, per_device_train_batch_size=batch,
                                     max_steps=math.ceil(len(data) / batch), learning_rate=1e-4, report_to=[],
                                     save_strategy="no", logging_strategy="no", use_cpu=device == "cpu",
                                     bf16=dtype == torch.bfloat16, fp16=False, seed=0, disable_tqdm=True)
            trainer = Trainer(model=model, args=args, train_dataset=data,
                              data_collator=DataCollatorForSeq2Seq(tok, padding=True, label_pad_token_id=IGNORE))
            t0 = time.perf_counter()
            trainer.train()
            if timed:
                elapsed = time.perf_counter() - t0
    return sum(len(e.input_ids) for e in sample) / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="data/dataset/train.jsonl")
    ap.add_argument("--model", default="tiny")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--max-seq-len", type=int, default=512)
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--packing", default="auto", choices=["auto", "pack", "group"])
    ap.add_argument("--repeats", type=int, default=1, help="alternate the two arms this many times; medians")
    ap.add_argument("--no-share-prefix", action="store_true", help="run the shared system prompt per row (A/B)")
    args = ap.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    dtype = getattr(torch, args.dtype)
    examples = read_examples(args.data)
    tmp = tempfile.TemporaryDirectory()
    model_path = args.model
    if args.model == "tiny":
        from nanodex.train.tiny import make_tiny_model

        texts = [m["content"] for e in examples[:500] for m in e["messages"]]
        model_path = str(make_tiny_model(Path(tmp.name) / "tiny", texts, vocab_size=2000, hidden=256, layers=4))
    tok, _ = load(model_path, dtype)
    encoded = [encode(tok, e, args.max_seq_len) for e in examples]
    mode = batching_mode({"packing": args.packing})
    # Both sides train on the same examples: a random sample of steps x batch, plus one batch to warm up.
    order = shuffled(encoded, 0, "bench")
    warmup, sample = order[:args.batch], order[args.batch:args.batch * (args.steps + 1)]
    # The arms alternate, `repeats` times each, and the medians are compared: on a shared VM the
    # machine's speed drifts by tens of percent between minutes.
    runs, base_runs = [], []
    for _ in range(args.repeats):
        runs.append(run_nanodex(model_path, sample, warmup, args.batch, args.max_seq_len, dtype, device, mode,
                                share_prefix=not args.no_share_prefix))
        base_runs.append(run_baseline(model_path, sample, warmup, args.batch, dtype, device))
    tps, step_s, fpt = sorted(runs)[len(runs) // 2]
    base_tps = sorted(base_runs)[len(base_runs) // 2]
    peak = (torch.cuda.max_memory_allocated() / 2**20 if device == "cuda"
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    mfu = None
    if device == "cuda":
        peak_flops = 989e12 if "H100" in torch.cuda.get_device_name() else None
        mfu = round(tps * fpt / peak_flops, 4) if peak_flops else None
    lengths = sorted(len(e.input_ids) for e in encoded)
    print(json.dumps({"tokens_per_s": round(tps, 1), "baseline_tokens_per_s": round(base_tps, 1),
                      "speedup": round(tps / base_tps, 2), "step_s": round(step_s, 3), "peak_mem_mb": round(peak, 1),
                      "mfu": mfu, "device": torch.cuda.get_device_name() if device == "cuda" else "cpu",
                      "model": args.model, "examples": len(encoded),
                      "median_example_tokens": lengths[len(lengths) // 2],
                      "sample_examples": len(sample), "sample_tokens": sum(len(e.input_ids) for e in sample),
                      "max_seq_len": args.max_seq_len, "batch": args.batch, "steps": args.steps, "batching": mode,
                      "share_prefix": not args.no_share_prefix, "repeats": args.repeats,
                      "runs_tokens_per_s": [round(r[0], 1) for r in runs],
                      "baseline_runs_tokens_per_s": [round(b, 1) for b in base_runs],
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
