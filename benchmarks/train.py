"""Training throughput: nanodex's packed LoRA loop vs a baseline in the same process (plain
transformers Trainer + peft, padded batches, no packing), on the same examples.

    .venv/bin/python benchmarks/train.py [--data data/dataset/train.jsonl] [--model tiny|<model dir or hub id>]
                                         [--steps 20] [--batch 4] [--max-seq-len 512]

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


def run_nanodex(model_path, encoded, steps, batch, max_len, dtype, device, mode):
    tok, model = load(model_path, dtype)
    model = add_lora(model, lora_cfg()).to(device)
    packed = mode == "pack"
    if packed:
        rows = pack(shuffled(encoded, 0, "pack"), max_len)
        batches = [rows[i:i + batch] for i in range(0, len(rows), batch)]
    else:
        batches = length_grouped(one_per_row(encoded), batch, 0, "bench")
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    model.train()
    real, t0, step_times = 0, None, []
    for step in range(steps + 1):   # step 0 warms up and is not timed
        chunk = batches[step % len(batches)]
        b = {k: v.to(device) for k, v in collate(chunk, tok.pad_token_id, dtype, packed=packed).items()}
        ts = time.perf_counter()
        loss_sum, n = forward_loss(model, b)
        (loss_sum / max(n, 1)).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        if device == "cuda":
            torch.cuda.synchronize()
        if step == 0:
            t0 = time.perf_counter()
            continue
        step_times.append(time.perf_counter() - ts)
        real += sum(len(r) for r in chunk)
    elapsed = time.perf_counter() - t0
    return real / elapsed, sum(step_times) / len(step_times), flops_per_token(model), real


def run_baseline(model_path, encoded, examples_needed, batch, dtype, device):
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments

    tok, model = load(model_path, dtype)
    model = add_lora(model, lora_cfg())
    data = [{"input_ids": e.input_ids, "labels": e.labels} for e in encoded]
    data = (data * math.ceil(examples_needed / len(data)))[:examples_needed]
    with tempfile.TemporaryDirectory() as tmp:
        args = TrainingArguments(output_dir=tmp, per_device_train_batch_size=batch, max_steps=len(data) // batch,
                                 learning_rate=1e-4, report_to=[], save_strategy="no", logging_strategy="no",
                                 use_cpu=device == "cpu", bf16=dtype == torch.bfloat16, fp16=False,
                                 dataloader_drop_last=True, seed=0, disable_tqdm=True)
        trainer = Trainer(model=model, args=args, train_dataset=data,
                          data_collator=DataCollatorForSeq2Seq(tok, padding=True, label_pad_token_id=IGNORE))
        t0 = time.perf_counter()
        trainer.train()
        elapsed = time.perf_counter() - t0
    real = sum(len(d["input_ids"]) for d in data[: (len(data) // batch) * batch])
    return real / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="data/dataset/train.jsonl")
    ap.add_argument("--model", default="tiny")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--max-seq-len", type=int, default=512)
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--packing", default="auto", choices=["auto", "pack", "group"])
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
    tps, step_s, fpt, real = run_nanodex(model_path, encoded, args.steps, args.batch, args.max_seq_len, dtype, device,
                                         mode)
    examples_seen = int(real / (sum(len(e.input_ids) for e in encoded) / len(encoded)))
    base_tps = run_baseline(model_path, encoded, max(examples_seen, args.batch * 4), args.batch, dtype, device)
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
                      "max_seq_len": args.max_seq_len, "batch": args.batch, "steps": args.steps, "batching": mode,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
