"""MediaWiki (wiki.nixos.org) through the Action API -> data/raw/<source>/pages.jsonl.

`generator=allpages` + `prop=info` lists every page with its latest revision id (`continue` until
done); only pages whose revision changed since the last dump are parsed again with
`action=parse&prop=text|sections|wikitext|revid&redirects=1&disablelimitreport=1&disableeditsection=1`
(a redirect is followed once; the flags keep the parser report and edit links out). Every
request carries `maxlag`. Translation subpages (`Page/ja`) are kept only for the configured
language. Resumable: every page is journaled as it arrives.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from .http import FetchError, PoliteClient
from .journal import Journal, retry_due

log = logging.getLogger(__name__)

# ISO 639-1 codes and the variants MediaWiki's Translate extension uses for subpages.
LANG_CODES = set("""aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da
de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms
mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm
sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
zh-hans zh-hant zh-cn zh-tw pt-br sr-ec sr-el""".split())
_LANG_SUFFIX = re.compile(r"/([a-z]{2,3}(?:-[a-z]{2,4})?)$")


def page_language(title: str, default: str = "en") -> str:
    m = _LANG_SUFFIX.search(title)
    return m.group(1) if m and m.group(1) in LANG_CODES else default


def wanted(title: str, language: str) -> bool:
    """Keep pages in `language`: base pages for the wiki's source language, `Page/xx` otherwise."""
    return page_language(title) == language


def _text(value):
    """formatversion=2 gives strings; formatversion=1 gives {"*": ...}."""
    if isinstance(value, dict):
        return value.get("*")
    return value


def list_pages(client: PoliteClient, api: str, namespaces: list[int], maxlag: int):
    """Yield (pageid, title, lastrevid) for every page (redirect pages are left out)."""
    for ns in namespaces:
        params = {"action": "query", "generator": "allpages", "gapnamespace": ns, "gaplimit": "max",
                  "gapfilterredir": "nonredirects", "prop": "info", "format": "json", "formatversion": "2",
                  "maxlag": maxlag}
        cont: dict = {}
        while True:
            data = client.get_json(api, {**params, **cont}, fresh=True)
            pages = (data.get("query") or {}).get("pages") or []
            if isinstance(pages, dict):   # formatversion=1
                pages = list(pages.values())
            for p in sorted(pages, key=lambda p: p.get("title", "")):
                if "missing" in p:
                    continue
                yield p["pageid"], p["title"], p.get("lastrevid")
            if "continue" not in data:
                break
            cont = data["continue"]


def fetch_page(client: PoliteClient, api: str, title: str, maxlag: int) -> dict:
    data = client.get_json(api, {"action": "parse", "page": title, "prop": "text|sections|wikitext|revid",
                                 "redirects": 1, "format": "json", "formatversion": "2", "maxlag": maxlag,
                                 "disablelimitreport": 1, "disableeditsection": 1, "disabletoc": 1}, fresh=True)
    if "error" in data:
        err = data["error"]
        raise FetchError(f"{api}?action=parse&page={title}", f"API error {err.get('code')}: {err.get('info')}",
                         404 if err.get("code") in ("missingtitle", "invalidtitle") else None)
    parse = data["parse"]
    redirects = parse.get("redirects") or []
    return {
        "pageid": parse.get("pageid"),
        "title": parse.get("title", title),
        "revid": parse.get("revid"),
        "redirected_from": redirects[0].get("from") if redirects else None,
        "html": _text(parse.get("text")) or "",
        "wikitext": _text(parse.get("wikitext")) or "",
        "sections": [{k: s.get(k) for k in ("index", "level", "line", "anchor", "number")}
                     for s in parse.get("sections") or []],
    }


def scrape_mediawiki(source: str, spec: dict, out: str | Path, client: PoliteClient | None = None,
                     progress=None) -> dict:
    t0 = time.perf_counter()
    out = Path(out)
    api = spec["url"]
    language = spec.get("language") or "en"
    maxlag = int(spec.get("maxlag") or 5)
    own = client is None
    client = client or PoliteClient(spec.get("rate_limit", 1.0))
    # Keyed by the title as listed: a listed redirect resolves to another page's content.
    journal = Journal(out.parent / ".state" / "pages.jsonl", key=lambda r: r.get("listed_as") or r["title"])
    stats = {"listed": 0, "skipped_language": 0, "fetched": 0, "unchanged": 0, "failed": 0,
             "resumed_from": len(journal.records), "dropped_torn_bytes": journal.dropped_tail}
    max_pages = spec.get("max_pages") or 0
    live: set[str] = set()
    try:
        for pageid, title, lastrev in list_pages(client, api, spec.get("namespaces") or [0], maxlag):
            if not wanted(title, language):
                stats["skipped_language"] += 1
                continue
            if max_pages and stats["listed"] >= max_pages:
                break
            stats["listed"] += 1
            live.add(title)
            prev = journal.get(title)
            if prev is not None and prev.get("lastrevid") == lastrev:
                if not prev.get("error"):
                    stats["unchanged"] += 1
                    continue
                # a failed page is state, not forever: retried on a bounded schedule (a new revision
                # changes its list entry and is fetched at once)
                if not retry_due({"failures": prev.get("failures", 1), "skipped": prev.get("skipped", 0)}):
                    journal.append({**prev, "skipped": prev.get("skipped", 0) + 1})
                    stats["retry_later"] = stats.get("retry_later", 0) + 1
                    continue
            try:
                rec = fetch_page(client, api, title, maxlag)
                stats["fetched"] += 1
            except FetchError as exc:
                if exc.status not in (403, 404, 410):
                    raise
                rec = {"title": title, "pageid": pageid, "error": str(exc), "skipped": 0,
                       "failures": (prev.get("failures", 1) + 1) if prev is not None and prev.get("error") else 1}
                stats["failed"] += 1
                log.warning("%s", exc)
            rec["lastrevid"] = lastrev
            rec["lang"] = language
            rec["listed_as"] = title
            journal.append(rec)
            if progress:
                progress.update(1)
        # Pages deleted upstream since the last dump drop out of the published dump.
        n = journal.publish(out, keep=lambda r: "error" not in r and (r.get("listed_as") or r["title"]) in live)
    finally:
        journal.close()
        if own:
            client.close()
    stats.update(pages=n, requests=client.counter.get("network", 0), seconds=round(time.perf_counter() - t0, 3))
    log.info("mediawiki %s: %d pages (%d fetched, %d unchanged, %d failed, %d other languages) in %d requests",
             source, n, stats["fetched"], stats["unchanged"], stats["failed"], stats["skipped_language"],
             stats["requests"])
    return stats
