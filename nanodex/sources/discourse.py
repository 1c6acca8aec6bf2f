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
from .http import FetchError, PoliteClient
from .journal import Journal

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


def scrape_discourse(source: str, spec: dict, out: str | Path, client: PoliteClient | None = None,
                     progress=None) -> dict:
    """Fetch new and bumped topics into the journal, then publish topics.jsonl. Returns counters."""
    t0 = time.perf_counter()
    out = Path(out)
    base = spec["url"]
    own = client is None
    client = client or PoliteClient(spec.get("rate_limit", 1.0))
    journal = Journal(out.parent / ".state" / "topics.jsonl", key=lambda r: r["id"])
    stats = {"listed": 0, "fetched": 0, "unchanged": 0, "failed": 0, "pages": 0, "resumed_from": len(journal.records),
             "dropped_torn_bytes": journal.dropped_tail}
    max_topics = spec.get("max_topics") or 0
    state_path = out.parent / ".state" / "cursor.json"
    # Bump time of the newest topic of the last run that finished: every topic bumped after it was
    # fetched then, so paging can stop there. A killed run never wrote it, so a resume pages on.
    done_through = _parse_time((read_json(state_path) if state_path.exists() else {}).get("complete_through"))
    newest = done_through
    url = list_url(base, spec.get("category"))
    try:
        while url:
            page = client.get_json(url, fresh=True)
            stats["pages"] += 1
            tl = page.get("topic_list") or {}
            stop = False
            for t in tl.get("topics") or []:
                if max_topics and stats["listed"] >= max_topics:
                    stop = True
                    break
                bumped = _parse_time(t.get("bumped_at"))
                if done_through and bumped and bumped <= done_through and not t.get("pinned"):
                    stop = True   # lists are ordered by bump: everything below is older still
                    break
                stats["listed"] += 1
                if bumped and (newest is None or bumped > newest):
                    newest = bumped
                prev = journal.get(t["id"])
                if prev is not None and (prev.get("error") or prev.get("bumped_at") == t.get("bumped_at")):
                    stats["unchanged"] += 1
                    continue
                try:
                    rec = fetch_topic(client, base, t["id"])
                    rec["bumped_at"] = t.get("bumped_at") or rec.get("bumped_at")
                    stats["fetched"] += 1
                except FetchError as exc:
                    if exc.status not in (403, 404, 410):
                        raise
                    # Gone or private for good: remember it so it is not asked again, and go on.
                    rec = {"id": t["id"], "title": t.get("title"), "bumped_at": t.get("bumped_at"),
                           "error": f"HTTP {exc.status}"}
                    stats["failed"] += 1
                    log.warning("%s", exc)
                journal.append(rec)
                if progress:
                    progress.update(1)
            more = tl.get("more_topics_url")
            url = _json_url(base, more) if more and not stop else None
        n = journal.publish(out, keep=lambda r: "error" not in r)
        if newest is not None:
            write_json_atomic(state_path, {"complete_through": newest.isoformat()})
    finally:
        journal.close()
        if own:
            client.close()
    stats.update(topics=n, requests=client.counter.get("network", 0), seconds=round(time.perf_counter() - t0, 3))
    log.info("discourse %s: %d topics (%d fetched, %d unchanged, %d failed) in %d requests -> %s",
             source, n, stats["fetched"], stats["unchanged"], stats["failed"], stats["requests"], out)
    return stats
