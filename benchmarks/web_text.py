"""Audit the text the wiki and forum graphs make from real recorded HTML.

    .venv/bin/python benchmarks/web_text.py PATH [--max-answers 3] [--limit N]

PATH is a Discourse dump (topics.jsonl), a MediaWiki dump (pages.jsonl), a folder of Discourse
`/t/{id}.json` answers, or a folder of topic archives rendered as Markdown with each post's cooked
HTML under "## Post #N by @user" (the shape of public forum archives). The graph is built with no
text cap, then each node's text is checked against the HTML it came from. One JSON object on the
last line:
- quoted_passages / quoted_outside_blockquote: Discourse quotes, and how many of them appear in
  the post's text outside a `>` blockquote (should be 0);
- code_blocks / code_fenced_faithful / code_unfenced_copies: the author's `<pre>` blocks, how many
  appear fenced with every line as written, how many also appear outside any fence (should be
  code_blocks and 0); inline_code / inline_code_in_backticks; onebox_code_blocks (excerpts of
  linked files that became code: should be 0);
- limit_reports, language_bars, translate_markers, image_furniture (should all be 0);
- answers, asker_answers, thank_you_answers (the asker's own posts chosen as answers: 0),
  stub_topics, topics, posts, pages, sections, seconds.
Set NANODEX_ROOT to measure another checkout of the package (e.g. the converter before a change).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("NANODEX_ROOT") or str(Path(__file__).resolve().parent.parent))

from bs4 import BeautifulSoup, NavigableString  # noqa: E402

from nanodex.graph.dumps import build_discourse_graph, build_wiki_graph  # noqa: E402

_POST_HEAD = re.compile(r"^## Post #(\d+) by @(\S+)", re.M)
_FURNITURE = re.compile(r"\b\d{2,5}×\d{2,5}\s+\d+(?:\.\d+)?\s*[KMG]?B\b|lightbox-wrapper|class=\"meta\"")
_THANKS = re.compile(r"\b(thanks?|thank you|worked|solved|that was it)\b", re.I)
_FENCE_OPEN = re.compile(r"^([ >]*)(`{3,}|~{3,})[^`]*$")


# -- reading recordings --------------------------------------------------------------------------
def _archive_topic(path: Path) -> dict | None:
    """A topic rendered as Markdown: "# title", "**Topic ID**: n", "**URL**: u", then posts."""
    text = path.read_text(encoding="utf-8", errors="replace")
    title = re.search(r"^# (.+)$", text, re.M)
    tid = re.search(r"^\*\*Topic ID\*\*: (\d+)", text, re.M)
    url = re.search(r"^\*\*URL\*\*: (\S+)", text, re.M)
    heads = list(_POST_HEAD.finditer(text))
    if not (title and tid and heads):
        return None
    posts = []
    for k, m in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(text)
        body = text[m.end():end].split("\n", 1)[-1]
        body = re.sub(r"\n---\s*$", "", body.rstrip())
        posts.append({"post_number": int(m.group(1)), "username": m.group(2), "cooked": body, "post_type": 1,
                      "like_count": 0, "reply_to_post_number": None})
    return {"id": int(tid.group(1)), "title": title.group(1).strip(), "slug": path.stem,
            "url": url.group(1) if url else None, "posts": posts, "accepted_answer": None}


def _api_topic(path: Path) -> dict | None:
    data = json.loads(path.read_text(encoding="utf-8"))
    posts = (data.get("post_stream") or {}).get("posts")
    if not posts or not data.get("id"):
        return None
    acc = data.get("accepted_answer")
    accepted = acc.get("post_number") if isinstance(acc, dict) else next(
        (p["post_number"] for p in posts if p.get("accepted_answer")), None)
    return {"id": data["id"], "title": data.get("title") or f"topic {data['id']}", "slug": data.get("slug"),
            "url": None, "accepted_answer": accepted,
            "posts": [{**p, "like_count": p.get("like_count") or 0} for p in posts]}


def load(path: Path, limit: int) -> tuple[str, list[dict]]:
    """("discourse" | "mediawiki", records) from any of the accepted shapes."""
    if path.is_dir():
        recs = []
        for f in sorted(path.rglob("*")):
            if limit and len(recs) >= limit:
                break
            rec = _archive_topic(f) if f.suffix == ".md" else _api_topic(f) if f.suffix == ".json" else None
            if rec:
                recs.append(rec)
        return "discourse", recs
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    recs = recs[:limit] if limit else recs
    return ("mediawiki" if recs and "html" in recs[0] else "discourse"), recs


# -- checks --------------------------------------------------------------------------------------
def fences(markdown: str) -> tuple[list[str], str]:
    """(contents of fenced blocks, each de-indented by its fence's prefix; the text outside fences)."""
    blocks, outside, lines, i = [], [], markdown.split("\n"), 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            outside.append(lines[i])
            i += 1
            continue
        prefix, fence = m.group(1), m.group(2)
        body, i = [], i + 1
        while i < len(lines) and lines[i].strip(" >") != fence:
            body.append(lines[i][len(prefix):] if lines[i].startswith(prefix) else lines[i].lstrip(" >"))
            i += 1
        blocks.append("\n".join(body))
        i += 1
    return blocks, "\n".join(outside)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _pre_text(pre) -> str:
    lines = pre.get_text().replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines)


def audit(html: str, text: str, c: dict) -> None:
    raw = BeautifulSoup(html or "", "html.parser")
    code_blocks, outside = fences(text)
    unquoted = _norm("\n".join(line for line in outside.split("\n") if not line.lstrip().startswith(">")))
    own = BeautifulSoup(html or "", "html.parser")
    for aside in own.find_all("aside", class_="quote"):
        aside.decompose()
    own_words = _norm(own.get_text(" "))       # words the author also wrote outside the quote don't count
    for aside in raw.find_all("aside", class_="quote"):
        bq = aside.find("blockquote")
        strings = [_norm(s) for s in (bq.find_all(string=True) if bq else [])
                   if isinstance(s, NavigableString) and s.find_parent("aside") is aside]
        probe = max(strings, key=len, default="")
        if len(probe) >= 20 and probe not in own_words:
            c["quoted_passages"] += 1
            c["quoted_outside_blockquote"] += probe in unquoted
    for pre in raw.find_all("pre"):
        code = _pre_text(pre)
        if not code.strip():
            continue
        if pre.find_parent(class_=re.compile(r"\bonebox\b")) is not None:
            c["onebox_code_blocks"] += any(code.strip() == b.strip() for b in code_blocks)
            continue
        if pre.find_parent("aside", class_="quote") is not None:
            continue
        c["code_blocks"] += 1
        c["code_fenced_faithful"] += code in code_blocks
        longest = max((ln.strip() for ln in code.split("\n")), key=len)
        c["code_unfenced_copies"] += len(longest) >= 8 and _norm(longest) in unquoted
    flat = _norm(text)
    for code in raw.find_all("code"):
        if code.find_parent("pre") is None and code.find_parent("aside") is None and code.get_text().strip():
            c["inline_code"] += 1
            inline = _norm(code.get_text())          # HTML collapses runs of spaces in inline code too
            c["inline_code_in_backticks"] += f"`{inline}`" in flat or f"`` {inline} ``" in flat
    c["limit_reports"] += text.count("NewPP limit report")
    c["language_bars"] += text.count("Other languages:")
    c["translate_markers"] += len(re.findall(r"</?translate>|<!--T:\d+-->", text))
    c["image_furniture"] += len(_FURNITURE.findall(text))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--max-answers", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="read at most this many topics/pages (0 = all)")
    args = ap.parse_args()
    kind, recs = load(args.path, args.limit)
    c = dict.fromkeys(("quoted_passages", "quoted_outside_blockquote", "code_blocks", "code_fenced_faithful",
                       "code_unfenced_copies", "inline_code", "inline_code_in_backticks", "onebox_code_blocks",
                       "limit_reports", "language_bars", "translate_markers", "image_furniture", "answers",
                       "asker_answers", "thank_you_answers", "stub_topics", "topics", "posts", "pages", "sections"), 0)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        dump, db = Path(tmp) / "dump.jsonl", Path(tmp) / "g.sqlite"
        dump.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        if kind == "discourse":
            report = build_discourse_graph(dump, db, None, "forum", args.max_answers, max_chars=10 ** 9)
            c["stub_topics"] = (report.get("reasons") or {}).get("stub_topic", 0)
        else:
            build_wiki_graph(dump, db, None, "wiki", 10 ** 9)
        con = sqlite3.connect(db)
        nodes = con.execute("SELECT kind, path, docstring, meta_json FROM nodes").fetchall()
        con.close()
    seconds = time.perf_counter() - t0
    if kind == "discourse":
        by_path = {f"t/{r.get('slug') or 'topic'}/{r['id']}": r for r in recs}
        for nk, path, doc, meta in nodes:
            rec = by_path.get(path)
            if rec is None:
                continue
            meta = json.loads(meta) if meta else {}
            posts = {p.get("post_number"): p for p in rec["posts"]}
            if nk == "topic":
                c["topics"] += 1
                audit(posts.get(1, {}).get("cooked", ""), doc or "", c)
            elif nk == "post":
                c["posts"] += 1
                c["answers"] += 1
                raw = posts.get(meta.get("post_number"), {})
                audit(raw.get("cooked", ""), doc or "", c)
                if raw.get("username") and raw.get("username") == posts.get(1, {}).get("username"):
                    c["asker_answers"] += 1
                    c["thank_you_answers"] += len(doc or "") < 200 and bool(_THANKS.search(doc or ""))
    else:
        by_title = {r["title"]: r for r in recs if r.get("title")}
        texts: dict[str, list[str]] = {}
        for nk, path, doc, _ in nodes:
            c["pages" if nk == "page" else "sections"] += 1
            texts.setdefault(path, []).append(doc or "")
        for title, docs in texts.items():
            if title in by_title:
                audit(by_title[title]["html"], "\n\n".join(docs), c)
    print(json.dumps({"input": str(args.path), "kind": kind, **c, "seconds": round(seconds, 2)}))


if __name__ == "__main__":
    main()
