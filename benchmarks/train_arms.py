"""Training throughput of config variants, interleaved: every arm's model is loaded once, then the arms
take optimizer steps in turn (round-robin), so a noisy shared machine slows them alike; the median of
each arm's per-step tokens/s is reported.

    .venv/bin/python benchmarks/train_arms.py --config config/config.yaml [--data data/dataset/train.jsonl]
        [--rounds 10] [--examples 600] \
        --arm '{"lora": {"dropout": 0.05}}' --arm '{"lora": {"dropout": 0.0}}' --arm '{"lora": {"layers": 10}}'

An arm is a JSON object merged into the config's `train` section. Prints one JSON object on the last
line: {"arms": [{"arm", "median_tokens_per_s", "tokens_per_s"}...], "rounds", "examples", "threads"}.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from nanodex.config import load_config  # noqa: E402
from nanodex.train.data import collate, encode, length_grouped, one_per_row, read_examples, shuffled  # noqa: E402
from nanodex.train.loop import forward_loss  # noqa: E402
from nanodex.train.run import add_lora, load_model  # noqa: E402


def merged(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = merged(out.get(k, {}), v) if isinstance(v, dict) else v
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="config/config.yaml")
    ap.add_argument("--data", default="data/dataset/train.jsonl")
    ap.add_argument("--arm", action="append", required=True, help="JSON merged into config.train")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--examples", type=int, default=600)
    args = ap.parse_args()
    base = load_config(args.config)["train"]
    examples = shuffled(read_examples(args.data), 0, "bench")[: args.examples]
    arms = []
    for spec in args.arm:
        cfg = merged(base, json.loads(spec))
        tok, model = load_model(cfg)
        rows = one_per_row([encode(tok, e, cfg["max_seq_len"]) for e in examples])
        model = add_lora(model, cfg)
        model.train()
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=cfg["lr"])
        arms.append({"arm": json.loads(spec), "model": model, "opt": opt, "pad": tok.pad_token_id,
                     "batches": length_grouped(rows, cfg["batch_size"], 0, "bench"), "rates": []})

    def step(a: dict, i: int) -> float:
        mb = a["batches"][i % len(a["batches"])]
        t = time.perf_counter()
        b = collate(mb, a["pad"], packed=False)
        loss, n = forward_loss(a["model"], b)
        (loss / max(n, 1)).backward()
        a["opt"].step()
        a["opt"].zero_grad(set_to_none=True)
        return sum(len(r) for r in mb) / (time.perf_counter() - t)

    for a in arms:   # warm-up step, untimed
        step(a, 0)
    for i in range(1, args.rounds + 1):
        for a in arms:
            a["rates"].append(step(a, i))
    out = {"arms": [{"arm": a["arm"], "median_tokens_per_s": round(statistics.median(a["rates"]), 1),
                     "tokens_per_s": [round(r) for r in a["rates"]]} for a in arms],
           "rounds": args.rounds, "examples": len(examples), "threads": torch.get_num_threads()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
