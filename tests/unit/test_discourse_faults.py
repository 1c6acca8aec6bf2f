"""Discourse scraping under faults: failed topics as state (issue 15 row 2), the paging loop guard
(issue 12), journals with a corrupt line and the shrink guard (issue 15 row 3)."""

import logging

import orjson
import pytest

from nanodex.errors import SourceError
from nanodex.sources.discourse import retry_due, scrape_discourse
from nanodex.sources.http import HttpConfig, PoliteClient
from nanodex.sources.journal import Journal
from nanodex.testing.fakes import FakeDiscourse


def client():
    return PoliteClient(1000, HttpConfig(retries=1, backoff=0.01))


def topics(n):
    return {i: FakeDiscourse.make_topic(i, bumped=f"2026-11-01T00:{i // 60:02d}:{i % 60:02d}.000Z")
            for i in range(1, n + 1)}


def ids(path):
    return [orjson.loads(line)["id"] for line in path.read_bytes().splitlines()]


def topic_hits(site, tid):
    return sum(1 for p in site.paths if p == f"/t/{tid}.json")


def test_failed_topic_is_retried_on_the_next_run_and_published_when_back(tmp_path):
    out = tmp_path / "topics.jsonl"
    with FakeDiscourse(topics(5), gone={3}) as site:
        stats = scrape_discourse("f", {"url": site.url}, out, client=client())
        assert stats["failed"] == 1 and 3 not in ids(out)
        site.gone.clear()   # public again, list entry unchanged
        stats = scrape_discourse("f", {"url": site.url}, out, client=client())
        assert stats["retried"] == 1 and topic_hits(site, 3) == 2
    assert ids(out) == [1, 2, 3, 4, 5]


def test_failures_back_off_on_a_bounded_schedule_and_a_bump_refetches(tmp_path):
    out = tmp_path / "topics.jsonl"
    tried = []
    with FakeDiscourse(topics(4), gone={2}) as site:
        for _ in range(8):
            before = topic_hits(site, 2)
            scrape_discourse("f", {"url": site.url}, out, client=client())
            tried.append(topic_hits(site, 2) - before)
        # failure 1 -> next run; failure 2 -> skip 1 run; failure 3 -> skip 3 runs
        assert tried == [1, 1, 0, 1, 0, 0, 0, 1]
        site.topics[2]["bumped_at"] = "2026-11-30T00:00:00.000Z"   # a new reply: its list entry changed
        before = topic_hits(site, 2)
        scrape_discourse("f", {"url": site.url}, out, client=client())
        assert topic_hits(site, 2) - before == 1
    assert retry_due({"failures": 50, "skipped": 15}, None)   # never more than 15 runs apart


def test_a_topic_that_fails_after_it_was_fetched_keeps_its_content(tmp_path):
    out = tmp_path / "topics.jsonl"
    with FakeDiscourse(topics(3)) as site:
        scrape_discourse("f", {"url": site.url}, out, client=client())
        site.gone.add(2)
        site.topics[2]["bumped_at"] = "2026-11-30T00:00:00.000Z"
        stats = scrape_discourse("f", {"url": site.url}, out, client=client())
    assert stats["failed"] == 1 and ids(out) == [1, 2, 3]
    assert all("fetch_error" not in orjson.loads(line) for line in out.read_bytes().splitlines())


class LoopingDiscourse(FakeDiscourse):
    """An old recording's shape: `more_topics_url` points back at the page just read."""

    def __init__(self, topics, loop_to="/latest?page=0"):
        super().__init__(topics)
        self.loop_to = loop_to

    def route(self, path, query):
        status, body, headers = super().route(path, query)
        if path in ("/latest.json", "/latest"):
            body["topic_list"]["more_topics_url"] = self.loop_to
        return status, body, headers


@pytest.mark.parametrize("loop_to", ["/latest?page=0", "/latest?page=0&x=1"])
def test_paging_stops_on_a_page_already_read_or_without_new_topics(tmp_path, caplog, loop_to):
    with LoopingDiscourse(topics(10), loop_to) as site, caplog.at_level(logging.WARNING):
        stats = scrape_discourse("f", {"url": site.url, "max_topics": 0}, tmp_path / "t.jsonl", client=client())
    assert site.counts["list"] <= 2 and stats["listed"] == 10
    assert "paging stopped" in caplog.text
    assert "already read" in stats["paging_stopped"] or "no topic not seen" in stats["paging_stopped"]


def test_corrupt_journal_line_is_skipped_and_the_rest_kept(tmp_path):
    path = tmp_path / "j.jsonl"
    lines = [orjson.dumps({"id": i}) for i in range(60)]
    lines[10] = b'{"id": 10, "tit'   # a corrupt line in the middle, newline-terminated
    path.write_bytes(b"\n".join(lines) + b"\n")
    j = Journal(path, key=lambda r: r["id"])
    assert j.corrupt_lines == 1 and len(j.records) == 59
    j.close()
    assert path.read_bytes().count(b"\n") == 60   # nothing cut on disk


def test_shrunken_dump_fails_loudly_unless_allowed(tmp_path, monkeypatch):
    path, out = tmp_path / "j.jsonl", tmp_path / "out.jsonl"
    with Journal(path, key=lambda r: r["id"]) as j:
        for i in range(60):
            j.append({"id": i})
        assert j.publish(out) == 60
    data = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(data[:10]) + b"garbage\n")   # 50 records lost on disk
    with Journal(path, key=lambda r: r["id"]) as j:
        with pytest.raises(SourceError, match=r"would publish 10 records, fewer than the 60 of the last complete "
                                              r"run \(1 corrupt journal lines.*NANODEX_ALLOW_SHRINK=1"):
            j.publish(out)
        assert len(out.read_bytes().splitlines()) == 60   # the last good dump is untouched
        monkeypatch.setenv("NANODEX_ALLOW_SHRINK", "1")
        assert j.publish(out) == 10


def test_corrupt_journal_rerun_refetches_what_was_lost(tmp_path):
    out = tmp_path / "topics.jsonl"
    with FakeDiscourse(topics(60)) as site:
        scrape_discourse("f", {"url": site.url}, out, client=client())
        journal = tmp_path / ".state" / "topics.jsonl"
        lines = journal.read_bytes().splitlines(keepends=True)
        lines[10] = b"{not json\n"
        journal.write_bytes(b"".join(lines))
        stats = scrape_discourse("f", {"url": site.url}, out, client=client())
    assert stats["corrupt_journal_lines"] == 1 and stats["fetched"] == 1
    assert len(ids(out)) == 60


def test_failed_wiki_page_is_retried_on_the_schedule(tmp_path):
    from nanodex.sources.mediawiki import scrape_mediawiki
    from nanodex.testing.fakes import FakeMediaWiki

    pages = {t: FakeMediaWiki.make_page(i, t) for i, t in enumerate(["A", "B"], 1)}
    with FakeMediaWiki(pages) as site:
        real, gone = site.route, {"B"}

        def route(path, query):
            if query.get("page") and query["page"][0] in gone:
                site.count("parse")
                return 200, {"error": {"code": "missingtitle", "info": "The page doesn't exist."}}, None
            return real(path, query)

        site.route = route
        parses = []
        for _ in range(4):
            before = site.counts["parse"]
            scrape_mediawiki("wiki", {"url": site.url + "/w/api.php"}, tmp_path / "pages.jsonl", client=client())
            parses.append(site.counts["parse"] - before)
        assert parses == [2, 1, 0, 1]   # B: failed, retried next run, then after 1 skipped run
        gone.clear()
        site.pages["B"]["revid"] = 2   # restored: a new revision, its list entry changed: fetched at once
        before = site.counts["parse"]
        scrape_mediawiki("wiki", {"url": site.url + "/w/api.php"}, tmp_path / "pages.jsonl", client=client())
        assert site.counts["parse"] - before == 1
    titles = [orjson.loads(line)["title"] for line in (tmp_path / "pages.jsonl").read_bytes().splitlines()]
    assert titles == ["A", "B"]
