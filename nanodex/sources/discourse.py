"""Discourse forum (discourse.nixos.org) -> data/raw/<source>/topics.jsonl.

`/latest.json` (or a category's list) paged through `more_topics_url`; each new or bumped topic from
`/t/{id}.json`, the rest of a long topic from `/t/{id}/posts.json?post_ids[]=...`. Incremental: a
topic whose `bumped_at` is unchanged since the last run is not fetched again, and paging stops at
the first such topic (lists are ordered by bump). Resumable: every topic is journaled as it arrives.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..io import read_json, write_json_atomic
from .http import FetchError, PoliteClient, redact
from .journal import Journal, retry_due

log = logging.getLogger(__name__)
POSTS_PER_REQUEST = 20
POST_FIELDS = ("id", "post_number", "username", "created_at", "updated_at", "cooked", "reply_to_post_number",
               "post_type", "accepted_answer", "like_count")
TOPIC_FIELDS = ("id", "title", "slug", "category_id", "tags", "created_at", "last_posted_at", "bumped_at",
                "posts_count", "views", "like_count", "has_accepted_answer", "accepted_answer", "closed",
                "archived")


def _parse_time(value):
    if not value:
        return None
    try:
        t = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _json_url(base: str, path_or_url: str) -> str:
    """`/latest?page=1` or `/latest.json?page=1` -> an absolute .json URL."""
    url = urljoin(base.rstrip("/") + "/", path_or_url.lstrip("/"))
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith(".json") else parts.path + ".json"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def list_url(base: str, category: str | int | None) -> str:
    if category in (None, ""):
        return _json_url(base, "/latest")
    return _json_url(base, f"/c/{category}")


def _likes(post: dict) -> int:
    if isinstance(post.get("like_count"), int):
        return post["like_count"]
    for action in post.get("actions_summary") or ():
        if action.get("id") == 2:
            return int(action.get("count") or 0)
    return 0


def _post(p: dict) -> dict:
    out = {k: p.get(k) for k in POST_FIELDS}
    out["like_count"] = _likes(p)
    out["accepted_answer"] = bool(p.get("accepted_answer"))
    return out


def _tags(topic: dict) -> list[str]:
    tags = topic.get("tags") or []
    # Newer Discourse sends tags as objects ({id, name, slug}), older as strings.
    return [t.get("name") if isinstance(t, dict) else t for t in tags]


def fetch_topic(client: PoliteClient, base: str, topic_id: int) -> dict:
    data = client.get_json(_json_url(base, f"/t/{topic_id}"), fresh=True)
    stream = data.get("post_stream") or {}
    posts = {p["id"]: p for p in stream.get("posts") or []}
    missing = [pid for pid in stream.get("stream") or [] if pid not in posts]
    for i in range(0, len(missing), POSTS_PER_REQUEST):
        chunk = missing[i:i + POSTS_PER_REQUEST]
        more = client.get_json(_json_url(base, f"/t/{topic_id}/posts"), params=[("post_ids[]", pid) for pid in chunk],
                               fresh=True)
        for p in (more.get("post_stream") or {}).get("posts") or []:
            posts[p["id"]] = p
    rec = {k: data.get(k) for k in TOPIC_FIELDS}
    rec["tags"] = _tags(data)
    acc = data.get("accepted_answer")
    accepted_number = acc.get("post_number") if isinstance(acc, dict) else None
    if accepted_number is None:
        accepted_number = next((p["post_number"] for p in posts.values() if p.get("accepted_answer")), None)
    rec["accepted_answer"] = accepted_number
    rec["has_accepted_answer"] = accepted_number is not None or bool(data.get("has_accepted_answer"))
    order = {pid: i for i, pid in enumerate(stream.get("stream") or [])}
    rec["posts"] = [_post(p) for p in sorted(posts.values(), key=lambda p: (order.get(p["id"], 1 << 30),
                                                                             p.get("post_number") or 0))]
    rec["url"] = urljoin(base.rstrip("/") + "/", f"t/{data.get('slug') or 'topic'}/{topic_id}")
    return rec


RETRY_STATUS = (403, 404, 410)   # gone or private: recorded as state and retried on a schedule
RETRY_STATUS = (403, 404, 410)   # gone or private: recorded as state and retried on a schedule


def _failure(rec: dict | None) -> dict | None:
    """The fetch-failure state of a journal record (old journals wrote a bare `error`)."""
    if rec is None:
        return None
    if isinstance(rec.get("fetch_error"), dict):
        return rec["fetch_error"]
    if rec.get("error"):
        return {"status": rec["error"], "failures": 1, "skipped": 0, "bumped_at": rec.get("bumped_at")}
    return None


def _has_content(rec: dict) -> bool:
    return "posts" in rec and "error" not in rec


def _public(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k != "fetch_error"}


def scrape_discourse(source: str, spec: dict, out: str | Path, client: PoliteClient | None = None,
                     progress=None) -> dict:
    """Fetch new and bumped topics into the journal, then publish topics.jsonl. Returns counters."""
    t0 = time.perf_counter()
    out = Path(out)
    base = spec["url"]
    own = client is None
    client = client or PoliteClient(spec.get("rate_limit", 1.0))
    journal = Journal(out.parent / ".state" / "topics.jsonl", key=lambda r: r["id"])
    stats = {"listed": 0, "fetched": 0, "unchanged": 0, "failed": 0, "retried": 0, "retry_later": 0, "pages": 0,
             "resumed_from": len(journal.records), "dropped_torn_bytes": journal.dropped_tail,
             "corrupt_journal_lines": journal.corrupt_lines, "paging_stopped": ""}
    max_topics = spec.get("max_topics") or 0
    state_path = out.parent / ".state" / "cursor.json"
    # Bump time of the newest topic of the last run that finished: every topic bumped after it was
    # fetched then, so paging can stop there. A killed run never wrote it, so a resume pages on.
    done_through = _parse_time((read_json(state_path) if state_path.exists() else {}).get("complete_through"))
    if journal.corrupt_lines and done_through is not None:
        # records were lost with the corrupt lines: page through everything to fetch them again
        log.warning("discourse %s: %d corrupt journal lines; paging past the incremental cut to re-fetch them",
                    source, journal.corrupt_lines)
        done_through = None
    newest = done_through
    url = list_url(base, spec.get("category"))
    visited: set[str] = set()
    seen: set[int] = set()

    def fetch(tid: int, entry: dict) -> None:
        prev = journal.get(tid)
        fail = _failure(prev)
        try:
            rec = fetch_topic(client, base, tid)
            rec["bumped_at"] = entry.get("bumped_at") or rec.get("bumped_at")
            stats["fetched"] += 1
            if fail:
                stats["retried"] += 1
        except FetchError as exc:
            if exc.status not in RETRY_STATUS:
                raise
            # Gone or private now: state, not forever. Kept content stays published.
            failures = (fail or {}).get("failures", 0) + 1
            keep = prev if prev is not None and _has_content(prev) else {"id": tid, "title": entry.get("title")}
            rec = {**keep, "fetch_error": {"status": exc.status, "failures": failures, "skipped": 0,
                                           "bumped_at": entry.get("bumped_at")}}
            if "posts" not in rec:
                rec["bumped_at"] = entry.get("bumped_at")
            stats["failed"] += 1
            log.warning("%s (failure %d; tried again on a later run)", exc, failures)
        journal.append(rec)
        if progress:
            progress.update(1)

    def postpone(tid: int, fail: dict) -> None:
        rec = {k: v for k, v in journal.get(tid).items() if k != "error"}
        rec["fetch_error"] = {**fail, "skipped": int(fail.get("skipped") or 0) + 1}
        journal.append(rec)
        stats["retry_later"] += 1

    try:
        while url:
            if url in visited:
                stats["paging_stopped"] = f"more_topics_url points at a page already read ({redact(url)})"
                log.warning("discourse %s: paging stopped: %s", source, stats["paging_stopped"])
                break
            visited.add(url)
            page = client.get_json(url, fresh=True)
            stats["pages"] += 1
            tl = page.get("topic_list") or {}
            stop = False
            listed = tl.get("topics") or []
            if listed and all(t.get("id") in seen for t in listed):
                stats["paging_stopped"] = f"page {redact(url)} lists no topic not seen already"
                log.warning("discourse %s: paging stopped: %s", source, stats["paging_stopped"])
                break
            for t in listed:
                if t.get("id") in seen:
                    continue
                if max_topics and stats["listed"] >= max_topics:
                    stop = True
                    break
                bumped = _parse_time(t.get("bumped_at"))
                if done_through and bumped and bumped <= done_through and not t.get("pinned"):
                    stop = True   # lists are ordered by bump: everything below is older still
                    break
                seen.add(t["id"])
                stats["listed"] += 1
                if bumped and (newest is None or bumped > newest):
                    newest = bumped
                prev = journal.get(t["id"])
                fail = _failure(prev)
                if fail is not None:
                    if retry_due(fail, t.get("bumped_at")):
                        fetch(t["id"], t)
                    else:
                        postpone(t["id"], fail)
                    continue
                if prev is not None and prev.get("bumped_at") == t.get("bumped_at"):
                    stats["unchanged"] += 1
                    continue
                fetch(t["id"], t)
            more = tl.get("more_topics_url")
            url = _json_url(base, more) if more and not stop else None
        # Failed topics below the incremental cut are not listed again: their schedule runs here.
        for tid in sorted(k for k, r in list(journal.records.items()) if _failure(r) and k not in seen):
            fail = _failure(journal.get(tid))
            if retry_due(fail, None):
                fetch(tid, {"bumped_at": fail.get("bumped_at"), "title": journal.get(tid).get("title")})
            else:
                postpone(tid, fail)
        n = journal.publish(out, keep=_has_content, transform=_public)
        if newest is not None:
            write_json_atomic(state_path, {"complete_through": newest.isoformat()})
    finally:
        journal.close()
        if own:
            client.close()
    stats.update(topics=n, requests=client.counter.get("network", 0), retries=client.counter.get("retries", 0),
                 seconds=round(time.perf_counter() - t0, 3))
    log.info("discourse %s: %d topics (%d fetched, %d unchanged, %d failed, %d retried, %d to retry later) "
             "in %d requests (%d retries) -> %s", source, n, stats["fetched"], stats["unchanged"], stats["failed"],
             stats["retried"], stats["retry_later"], stats["requests"], stats["retries"], out)
    return stats
