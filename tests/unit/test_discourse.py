"""The Discourse scraper against a fake Discourse on localhost."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import orjson

from nanodex.graph.dumps import build_discourse_graph, choose_answers
from nanodex.sources.discourse import scrape_discourse
from nanodex.sources.http import HttpConfig, PoliteClient
from nanodex.testing.fakes import FakeDiscourse


def client(cache=""):
    return PoliteClient(1000, HttpConfig(retries=1, backoff=0.01, cache=str(cache) if cache else ""))


def topics(n, start=1, bumped="2026-11-01T00:00:{:02d}.000Z"):
    return {i: FakeDiscourse.make_topic(i, bumped=bumped.format(i % 60)) for i in range(start, start + n)}


def dump(path):
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def topic_requests(site):
    return Counter(p.split("/")[2].removesuffix(".json") for p in site.paths
                   if p.startswith("/t/") and p.count("/") == 2)


def test_pagination_long_topics_and_404(tmp_path):
    t = topics(70)
    t[5] = FakeDiscourse.make_topic(5, n_posts=45, bumped=t[5]["bumped_at"])
    with FakeDiscourse(t, gone={7}) as site:
        stats = scrape_discourse("forum", {"url": site.url}, tmp_path / "topics.jsonl", client=client())
        assert site.counts["list"] == 3                     # 30 + 30 + 10
        assert site.counts["posts"] == 2                    # 25 missing posts of topic 5, 20 at a time
        assert stats["failed"] == 1 and stats["fetched"] == 69
    recs = dump(tmp_path / "topics.jsonl")
    assert [r["id"] for r in recs] == sorted(set(range(1, 71)) - {7})
    long = next(r for r in recs if r["id"] == 5)
    assert [p["post_number"] for p in long["posts"]] == list(range(1, 46))
    assert long["tags"] == ["nix"] and long["url"].endswith("/t/topic-5/5")


def test_incremental_rerun_fetches_only_new_or_bumped(tmp_path):
    t = topics(40)
    cache = tmp_path / "http.sqlite"   # with the HTTP cache on: lists and topics are revalidated, not trusted
    with FakeDiscourse(t) as site:
        scrape_discourse("forum", {"url": site.url}, tmp_path / "topics.jsonl", client=client(cache))
        first = sum(topic_requests(site).values())
        assert first == 40
        stats = scrape_discourse("forum", {"url": site.url}, tmp_path / "topics.jsonl", client=client(cache))
        assert sum(topic_requests(site).values()) == first   # nothing new: no topic fetched
        assert stats["fetched"] == 0 and stats["pages"] == 1
        site.topics[3]["bumped_at"] = "2026-11-20T00:00:00.000Z"
        site.topics[41] = FakeDiscourse.make_topic(41, bumped="2026-11-21T00:00:00.000Z")
        stats = scrape_discourse("forum", {"url": site.url}, tmp_path / "topics.jsonl", client=client(cache))
        assert stats["fetched"] == 2
        assert topic_requests(site)["3"] == 2 and topic_requests(site)["41"] == 1
    recs = dump(tmp_path / "topics.jsonl")
    assert len(recs) == 41
    assert next(r for r in recs if r["id"] == 3)["bumped_at"] == "2026-11-20T00:00:00.000Z"


def test_killed_run_resumes_without_loss_or_duplicates(tmp_path):
    out = tmp_path / "topics.jsonl"
    journal = tmp_path / ".state" / "topics.jsonl"
    with FakeDiscourse(topics(40), latency=0.03) as site:
        code = (f"from nanodex.sources.discourse import scrape_discourse;"
                f"from nanodex.sources.http import PoliteClient, HttpConfig;"
                f"scrape_discourse('forum', {{'url': {site.url!r}}}, {str(out)!r},"
                f" client=PoliteClient(1000, HttpConfig(retries=1)))")
        proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": os.getcwd()})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if journal.exists() and journal.read_bytes().count(b"\n") >= 10:
                break
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert not out.exists()                              # nothing published by the killed run
        kept = {orjson.loads(line)["id"] for line in journal.read_bytes().splitlines() if line.endswith(b"}")}
        assert 10 <= len(kept) < 40
        stats = scrape_discourse("forum", {"url": site.url}, out, client=client())
        assert stats["resumed_from"] >= 10
        counts = topic_requests(site)
    assert all(counts[str(i)] == 1 for i in kept)            # what the journal had is not fetched again
    recs = dump(out)
    assert sorted(r["id"] for r in recs) == list(range(1, 41))   # complete, no duplicate


def test_torn_last_line_is_cut(tmp_path):
    from nanodex.sources.journal import Journal

    p = tmp_path / "j.jsonl"
    p.write_bytes(b'{"id": 1}\n{"id": 2}\n{"id": 3, "tit')
    j = Journal(p, key=lambda r: r["id"])
    assert set(j.records) == {1, 2} and j.dropped_tail == len(b'{"id": 3, "tit')
    j.append({"id": 3})
    j.close()
    assert p.read_bytes() == b'{"id": 1}\n{"id": 2}\n{"id":3}\n'


def test_answers_accepted_first_else_by_likes(tmp_path):
    accepted = FakeDiscourse.make_topic(1, n_posts=4, accepted=3, likes={2: 10, 3: 1})
    liked = FakeDiscourse.make_topic(2, n_posts=4, likes={2: 1, 3: 5, 4: 5})
    with FakeDiscourse({1: accepted, 2: liked}) as site:
        scrape_discourse("forum", {"url": site.url}, tmp_path / "topics.jsonl", client=client())
    recs = {r["id"]: r for r in dump(tmp_path / "topics.jsonl")}
    assert recs[1]["accepted_answer"] == 3 and recs[1]["has_accepted_answer"]
    assert [(p["post_number"], role) for p, role in choose_answers(recs[1], 3)] == [(3, "accepted_answer")]
    assert [(p["post_number"], role) for p, role in choose_answers(recs[2], 2)] == [(3, "reply"), (4, "reply")]
    report = build_discourse_graph(tmp_path / "topics.jsonl", tmp_path / "g.sqlite", None, "forum", max_answers=2)
    assert report["nodes"]["by_kind_lang"] == {"post": {"discourse": 3}, "topic": {"discourse": 2}}
    assert report["edges"]["by_kind_resolution"]["answers"] == {"exact": 3}
