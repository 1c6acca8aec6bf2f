"""Training throughput, model FLOPs utilisation and peak memory of nanodex's loop on a model made from
its config with random weights (no download): the GPU check of the trainer.

    .venv/bin/python benchmarks/train_mfu.py [--shape qwen2.5-7b|tiny] [--batch-size 8] [--seq-len 2048]
        [--steps 10] [--warmup 2] [--lora-r 16] [--dtype bfloat16] [--attention auto]
        [--gradient-checkpointing auto] [--peak-tflops <from the device name>]

What runs is `nanodex.train.loop.train_loop`, as `snakemake train` runs it: LoRA (r, alpha 2r, dropout
0.05, all-linear) on packed rows of `--seq-len` tokens (synthetic examples of 64-1024 tokens, a third
prompt, padding-free packing), AdamW, clipping, the scheduler. The first `--warmup` steps are not
timed (allocator, kernels); tokens/s is the rows' real tokens (no padding) per second of the timed
steps. MFU counts 4 N FLOPs a token (LoRA: forward 2N, the activations' backward 2N, no gradient for
the frozen weights; N: the parameters a token's matmuls use, all but the input embeddings; attention
scores and recomputation under gradient checkpointing not counted) against the device's dense bf16
peak (`--peak-tflops`, else a table of datacenter GPUs; null on a CPU). Peak memory: the CUDA
allocator's high-water mark (on a CPU: the process's peak RSS).

`--shape tiny` runs the same path on a CPU in seconds (what the test does). Prints one JSON object
on the last line.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from nanodex.train.data import IGNORE, Encoded, pack  # noqa: E402
from nanodex.train.loop import LoopConfig, base_of, train_loop  # noqa: E402
from nanodex.train.run import add_lora, attention_implementation, checked_batching, enable_gradient_checkpointing  # noqa: E402

# Qwen2.5-7B-Instruct's config.json (the architecture of the production config's base model)
SHAPES = {
    "qwen2.5-7b": {"hidden_size": 3584, "intermediate_size": 18944, "num_hidden_layers": 28,
                   "num_attention_heads": 28, "num_key_value_heads": 4, "vocab_size": 152064,
                   "max_position_embeddings": 32768, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6,
                   "tie_word_embeddings": False},
    "tiny": {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "vocab_size": 512, "max_position_embeddings": 4096,
             "tie_word_embeddings": True},
}
# dense bf16 tensor-core peaks (TFLOP/s, no sparsity) from NVIDIA's data sheets; the first match wins
PEAK_BF16_TFLOPS = (("H100 PCIe", 756.0), ("H200", 989.0), ("H100", 989.0), ("GH200", 989.0), ("A100", 312.0),
                    ("L40S", 362.0), ("L4", 121.0))


def peak_tflops(device_name: str) -> float | None:
    return next((v for k, v in PEAK_BF16_TFLOPS if k in device_name), None)


def synthetic_rows(vocab: int, seq_len: int, n_tokens: int, seed: int):
    """Packed rows of random examples (64-1024 tokens, the first third prompt) totalling ~n_tokens."""
    rng = random.Random(seed)
    examples, total = [], 0
    while total < n_tokens:
        n = rng.randint(64, min(1024, seq_len))
        ids = [rng.randrange(vocab) for _ in range(n)]
        prompt = n // 3
        examples.append(Encoded(f"s{len(examples)}", ids, [IGNORE] * prompt + ids[prompt:], prompt))
        total += n
    return pack(examples, seq_len)


def matmul_params(model) -> int:
    base = base_of(model)
    embed = base.get_input_embeddings().weight
    frozen = sum(p.numel() for n, p in base.named_parameters() if "lora_" not in n)
    tied = base.get_output_embeddings() is not None and base.get_output_embeddings().weight is embed
    return frozen if tied else frozen - embed.numel()   # a tied embedding is also the output projection


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shape", choices=sorted(SHAPES), default="qwen2.5-7b")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--seq-len", type=int, default=2048)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--lora-r", type=int, default=16)
    ap.add_argument("--dtype", default="bfloat16")
    ap.add_argument("--attention", default="auto", choices=["auto", "sdpa", "flash_attention_2", "eager"])
    ap.add_argument("--gradient-checkpointing", default="auto", choices=["auto", "true", "false"])
    ap.add_argument("--peak-tflops", type=float, default=None)
    a = ap.parse_args()
    if a.warmup < 1 or a.steps < 1:
        raise SystemExit("--warmup and --steps: expected integers >= 1 (the timer starts when a warm-up step ends)")
    from transformers import AutoModelForCausalLM, Qwen2Config

    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    dtype = getattr(torch, a.dtype)
    cfg = {"method": "lora", "attention": a.attention, "packing": "pack",
           "gradient_checkpointing": {"auto": "auto", "true": True, "false": False}[a.gradient_checkpointing],
           "lora": {"r": a.lora_r, "alpha": 2 * a.lora_r, "dropout": 0.05, "target_modules": "all-linear"}}
    torch.manual_seed(0)
    with device:
        model = AutoModelForCausalLM.from_config(Qwen2Config(**SHAPES[a.shape]), dtype=dtype,
                                                 attn_implementation=attention_implementation(cfg))
    checked_batching(model, cfg, gpu=cuda)   # packing: pack; a model that mixes packed examples stops here
    model = add_lora(model, cfg)
    checkpointing = enable_gradient_checkpointing(cfg, model)
    total_steps = a.warmup + a.steps
    rows = synthetic_rows(SHAPES[a.shape]["vocab_size"], a.seq_len, total_steps * a.batch_size * a.seq_len, 0)
    marks: list[tuple[float, int]] = []

    def on_step(state: dict) -> None:
        if cuda:
            torch.cuda.synchronize()
        marks.append((time.perf_counter(), state["tokens"]))

    if cuda:
        torch.cuda.reset_peak_memory_stats()
    loop = LoopConfig(lr=1e-4, schedule="constant", max_steps=total_steps, batch_size=a.batch_size, save_steps=10**9,
                      batching="pack")
    with tempfile.TemporaryDirectory() as tmp:
        train_loop(model, rows, [], 0, loop, Path(tmp), "bench", on_step=on_step)
    (t0, tok0), (t1, tok1) = marks[a.warmup - 1], marks[-1]   # from the end of the last warm-up step
    tokens_per_s = (tok1 - tok0) / (t1 - t0)
    n = matmul_params(model)
    name = torch.cuda.get_device_name() if cuda else "cpu"
    peak = a.peak_tflops or (peak_tflops(name) if cuda else None)
    mfu = tokens_per_s * 4 * n / (peak * 1e12) if peak else None
    memory = (torch.cuda.max_memory_allocated() if cuda else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    print(json.dumps({"shape": a.shape, "matmul_params": n, "device": name, "dtype": a.dtype,
                      "attention": model.config._attn_implementation, "gradient_checkpointing": checkpointing,
                      "batch_size": a.batch_size, "seq_len": a.seq_len, "lora_r": a.lora_r, "timed_steps": a.steps,
                      "tokens_per_s": round(tokens_per_s, 1), "peak_tflops": peak,
                      "mfu": round(mfu, 4) if mfu is not None else None,
                      "peak_memory_gib": round(memory / 2**30, 2)}))


if __name__ == "__main__":
    main()
