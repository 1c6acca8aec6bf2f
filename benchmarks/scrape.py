"""Scraper politeness and incrementality against a local fake Discourse that adds latency.

    .venv/bin/python benchmarks/scrape.py [--rate 5] [--topics 60] [--latency 0.05]

Runs a full scrape with a rate limit of R requests/s, then a re-run with nothing new, and prints
one JSON object on the last line: limit_rps, achieved_rps, rate_ratio (achieved/limit, should be
>= 0.9 and never above ~1), rerun_requests (content requests of the re-run: should be 0), ...
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nanodex.sources.discourse import scrape_discourse  # noqa: E402
from nanodex.sources.http import HttpConfig, PoliteClient  # noqa: E402
from nanodex.testing.fakes import FakeDiscourse  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rate", type=float, default=5.0, help="rate limit, requests/s")
    ap.add_argument("--topics", type=int, default=60)
    ap.add_argument("--latency", type=float, default=0.05, help="seconds the server waits before answering")
    args = ap.parse_args()

    topics = {i: FakeDiscourse.make_topic(i, n_posts=3 if i % 10 else 30, bumped=f"2026-11-01T00:{i // 60:02d}:"
                                          f"{i % 60:02d}.000Z") for i in range(1, args.topics + 1)}
    with FakeDiscourse(topics, latency=args.latency) as site, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "topics.jsonl"
        client = PoliteClient(args.rate, HttpConfig(retries=2))
        t0 = time.perf_counter()
        stats = scrape_discourse("bench", {"url": site.url}, out, client=client)
        elapsed = time.perf_counter() - t0
        first = dict(site.counts)
        requests = client.counter["network"]
        # The first request starts at t=0, so N requests span (N-1) intervals plus one answer.
        achieved = (requests - 1) / max(elapsed - args.latency, 1e-9)
        before = dict(site.counts)
        rerun_client = PoliteClient(args.rate, HttpConfig(retries=2))
        t1 = time.perf_counter()
        scrape_discourse("bench", {"url": site.url}, out, client=rerun_client)
        rerun_s = time.perf_counter() - t1
        rerun = {k: site.counts[k] - before.get(k, 0) for k in site.counts}
    result = {
        "limit_rps": args.rate,
        "achieved_rps": round(achieved, 3),
        "rate_ratio": round(achieved / args.rate, 3),
        "requests": requests,
        "topics": stats["topics"],
        "seconds": round(elapsed, 2),
        "latency_s": args.latency,
        "server_counts": first,
        "rerun_requests": rerun.get("topic", 0) + rerun.get("posts", 0),
        "rerun_list_requests": rerun.get("list", 0),
        "rerun_s": round(rerun_s, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
