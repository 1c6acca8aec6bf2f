"""Serving throughput: N concurrent chat clients against a running OpenAI-compatible server, for the
base model and for the adapter.

    nanodex serve --python .venv-serve/bin/python &     # in another shell
    .venv/bin/python benchmarks/serve.py [--url http://127.0.0.1:8000/v1] [--clients 32] [--seconds 60]

Prints one JSON object on the last line: requests_per_s, output_tokens_per_s, p50_ms, p95_ms, errors,
clients, seconds (for the adapter), the same under "base", and lora_cost (1 - adapter/base tokens/s).
"""

from __future__ import annotations

import argparse
import json
import threading
import time

import requests

QUESTIONS = ["How do I enable nginx on NixOS?", "What is a flake?", "How do I pin a package version?",
             "What does lib.mkIf do?", "Does `pantry::Inventory` have a method called `add`?",
             "How is the pantry package defined in nixpkgs?", "What is an overlay?", "How do I add a package?"]


def run(url: str, model: str, clients: int, seconds: float, max_tokens: int) -> dict:
    latencies, tokens, errors = [], [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(i: int):
        s = requests.Session()
        k = i
        while time.monotonic() < deadline:
            body = {"model": model, "max_tokens": max_tokens, "temperature": 0,
                    "messages": [{"role": "user", "content": QUESTIONS[k % len(QUESTIONS)]}]}
            k += 1
            t0 = time.monotonic()
            try:
                r = s.post(f"{url}/chat/completions", json=body, timeout=120)
                ok = r.status_code == 200
                n = r.json().get("usage", {}).get("completion_tokens", 0) if ok else 0
            except (requests.RequestException, ValueError):
                ok, n = False, 0
            with lock:
                if ok:
                    latencies.append(time.monotonic() - t0)
                    tokens[0] += n
                else:
                    errors[0] += 1

    t0 = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    lat = sorted(latencies)
    pct = (lambda p: round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else None)
    return {"requests_per_s": round(len(lat) / elapsed, 3), "output_tokens_per_s": round(tokens[0] / elapsed, 1),
            "p50_ms": pct(0.5), "p95_ms": pct(0.95), "errors": errors[0], "requests": len(lat), "clients": clients,
            "seconds": round(elapsed, 1), "model": model}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000/v1")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-tokens", type=int, default=32)
    ap.add_argument("--adapter", default="nanodex")
    args = ap.parse_args()
    base = run(args.url, "base", args.clients, args.seconds, args.max_tokens)
    print(json.dumps({"base": base}), flush=True)
    adapter = run(args.url, args.adapter, args.clients, args.seconds, args.max_tokens)
    cost = round(1 - adapter["output_tokens_per_s"] / base["output_tokens_per_s"], 3) \
        if base["output_tokens_per_s"] else None
    print(json.dumps({**adapter, "base": base, "lora_cost": cost}))


if __name__ == "__main__":
    main()
