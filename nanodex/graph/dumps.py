"""Raw web dumps -> one source's graph (same schema as code graphs).

- mediawiki pages.jsonl: `page` nodes, `section` nodes (nested by heading level, with their text and
  code blocks), `links_to` edges between pages of the dump;
- discourse topics.jsonl: `topic` nodes (the question: first post), `post` nodes for the answers
  (the accepted answer when there is one, else replies ranked by likes), `answers` edges;
- nixos-options options.json: `option` nodes (type, default, example, description, declarations).

A record that cannot be read (broken JSON line, missing fields) is counted and listed, never fatal.
"""

from __future__ import annotations

import logging
import re
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import orjson
from bs4 import Tag

from ..errors import NanodexError
from .markdown import cap, clean, code_blocks, own_text, soup, to_markdown
from .store import create_indexes, new_graph, write_report

log = logging.getLogger(__name__)
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _meta(d: dict) -> str:
    return orjson.dumps({k: v for k, v in d.items() if v not in (None, [], {}, "")},
                        option=orjson.OPT_SORT_KEYS).decode()


class _Graph:
    """Collects rows for one dump and writes them in one go at the end (dumps are small)."""

    def __init__(self, source: str, kind: str):
        self.source, self.kind = source, kind
        self.nodes, self.edges, self.files = [], [], []
        self.ids: set[str] = set()
        self.problems: list[dict] = []
        self.reasons: Counter = Counter()

    def node(self, nid, kind, name, qual, path, lang, doc=None, sig=None, meta=None, line=None):
        base, n = nid, 1
        while nid in self.ids:
            n += 1
            nid = f"{base}@{n}"
        self.ids.add(nid)
        self.nodes.append((nid, self.source, kind, name, qual, path, lang, line, line, sig, doc,
                           _meta(meta) if meta else None))
        return nid

    def edge(self, src, dst, kind, how="exact"):
        self.edges.append((src, dst, kind, how))

    def problem(self, where, reason):
        self.reasons[reason.split(":", 1)[0]] += 1
        if len(self.problems) < 1000:
            self.problems.append({"path": where, "status": "skipped", "reason": reason, "line": None})

    def write(self, out_db, report_path, t0, extra=None) -> dict:
        with new_graph(out_db) as graph:
            con = graph.con
            con.execute("BEGIN")
            con.executemany("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?)", self.files)
            con.executemany("INSERT INTO nodes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self.nodes)
            con.executemany("INSERT OR IGNORE INTO edges VALUES (?,?,?,?)", self.edges)
            con.executemany("INSERT INTO meta VALUES (?, ?)", [("source", self.source), ("rev", ""),
                                                               ("source_kind", self.kind)])
            con.execute("COMMIT")
            create_indexes(con)
        stats = graph.stats
        report = write_report(report_path, {
            "source": self.source, "kind": self.kind, "reasons": dict(sorted(self.reasons.items())),
            "problems": self.problems, **stats, **(extra or {}),
            "timing": {"seconds": round(time.perf_counter() - t0, 3)}})
        log.info("graph %s (%s): %d nodes, %d edges, %d bad records -> %s", self.source, self.kind,
                 stats["nodes"]["total"], stats["edges"]["total"], sum(self.reasons.values()), out_db)
        return report


def _records(path: str | Path, g: _Graph):
    """JSONL records; a line that does not parse is reported with its line number and skipped."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise NanodexError(f"{path}: cannot read the dump ({exc.strerror})") from None
    with fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                g.problem(f"{Path(path).name}:{i}", f"invalid_json: {exc}")
                continue
            if not isinstance(rec, dict):
                g.problem(f"{Path(path).name}:{i}", "invalid_record: expected a JSON object")
                continue
            yield i, rec


def _cap(text: str | None, n: int) -> str | None:
    """Markdown kept whole block by block (a code fence is never cut open)."""
    return cap(text, n)


# -- MediaWiki ------------------------------------------------------------------------------------
def _heading(el: Tag):
    """(level, title, anchor) when `el` is a heading (old and new MediaWiki markup), else None."""
    h = el if el.name in HEADINGS else None
    if h is None and el.name == "div" and "mw-heading" in (el.get("class") or []):
        h = el.find(list(HEADINGS))
    if h is None:
        return None
    span = h.find(class_="mw-headline")
    anchor = (span.get("id") if span else None) or h.get("id")
    title = (span or h).get_text(" ", strip=True)
    return HEADINGS[h.name], title, anchor or title.replace(" ", "_")


def split_sections(html: str, base_url: str = "") -> list[dict]:
    """The page's intro and each headed section: level, title, anchor, Markdown text, code blocks, links."""
    s = soup(html)
    clean(s, base_url)
    root = s.find(class_="mw-parser-output") or s
    sections = [{"level": 1, "title": None, "anchor": None, "els": []}]
    for el in root.children:
        if not isinstance(el, Tag):
            if str(el).strip():
                sections[-1]["els"].append(el)
            continue
        h = _heading(el)
        if h:
            sections.append({"level": h[0], "title": h[1], "anchor": h[2], "els": []})
        else:
            sections[-1]["els"].append(el)
    out = []
    for sec in sections:
        frag = soup("")
        holder = frag.new_tag("div")
        for el in sec.pop("els"):
            holder.append(el.extract() if isinstance(el, Tag) else frag.new_string(str(el)))
        sec["text"] = to_markdown(holder)
        sec["code"] = code_blocks(holder)
        sec["links"] = sorted({_wiki_title(a["href"], base_url) for a in holder.find_all("a", href=True)} - {None})
        out.append(sec)
    return out


def _wiki_title(href: str, base_url: str = "") -> str | None:
    parts = urllib.parse.urlsplit(href)
    own = urllib.parse.urlsplit(base_url).netloc if base_url else ""
    if (parts.netloc and parts.netloc != own) or not parts.path.startswith("/wiki/"):
        return None
    title = urllib.parse.unquote(parts.path[len("/wiki/"):]).replace("_", " ")
    return None if ":" in title.split("/")[0] and title.split(":")[0] in ("File", "Special", "Category") else title


def build_wiki_graph(dump, out_db, report_path=None, source="wiki", max_chars: int = 4000, base_url: str = ""):
    t0 = time.perf_counter()
    g = _Graph(source, "mediawiki")
    pages, links = {}, []
    for i, rec in _records(dump, g):
        title = rec.get("title")
        if not title or not isinstance(rec.get("html"), str):
            g.problem(f"{Path(dump).name}:{i}", "missing_field: a page needs title and html")
            continue
        sections = split_sections(rec["html"], base_url)
        intro = sections[0]
        url = f"{base_url.rstrip('/')}/wiki/{urllib.parse.quote(title.replace(' ', '_'))}" if base_url else None
        pid = g.node(f"{source}:{title}", "page", title, title, title, "wiki", doc=_cap(intro["text"], max_chars),
                     meta={"revid": rec.get("revid"), "url": url, "lang": rec.get("lang"),
                           "redirected_from": rec.get("redirected_from"), "code": intro["code"]})
        pages[title] = pid
        g.files.append((source, title, "wiki", len(rec["html"]), None, "ok", None, None, len(sections)))
        stack = [(1, pid)]
        for sec in sections[1:]:
            while stack and stack[-1][0] >= sec["level"]:
                stack.pop()
            parent = stack[-1][1] if stack else pid
            sid = g.node(f"{source}:{title}#{sec['anchor']}", "section", sec["title"], f"{title} > {sec['title']}",
                         title, "wiki", doc=_cap(sec["text"], max_chars),
                         meta={"level": sec["level"], "anchor": sec["anchor"], "code": sec["code"],
                               "url": f"{url}#{sec['anchor']}" if url else None})
            g.edge(parent, sid, "contains")
            stack.append((sec["level"], sid))
            links.extend((pid, t) for t in sec["links"])
        links.extend((pid, t) for t in intro["links"])
    for src, target in links:
        dst = pages.get(target) or pages.get(target.split("#")[0])
        if dst and dst != src:
            g.edge(src, dst, "links_to")
    return g.write(out_db, report_path, t0)


# -- Discourse ------------------------------------------------------------------------------------
# Below this many characters of its own words (quotes, links and images left out, code counted) a
# post is "short": an accepted answer that short is followed by the best substantive reply.
MIN_ANSWER_CHARS = 80
_LINKS = re.compile(r"!?\[[^\]]*\]\([^)]*\)|<https?://[^>\s]+>|https?://\S+")
_STUB = re.compile(r"^\s*This is a companion discussion topic for\b", re.I)


class Post:
    """One post's cooked HTML, converted once: Markdown, the author's own part, code, substance."""

    def __init__(self, raw: dict, base_url: str = ""):
        self.raw = raw
        self.number = raw.get("post_number") or 0
        tree = clean(soup(raw.get("cooked") or ""), base_url)
        self.markdown = to_markdown(tree)
        self.code = code_blocks(tree)
        own = own_text(self.markdown)
        self.chars = len(" ".join(_LINKS.sub(" ", own).split()))     # the author's words, links left out
        self.substantive = bool(self.code) or self.chars >= MIN_ANSWER_CHARS

    def __getitem__(self, key):          # read like the raw post record
        return self.raw[key]

    @property
    def likes(self) -> int:
        return self.raw.get("like_count") or 0


def _base(url: str | None) -> str:
    parts = urllib.parse.urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def is_stub(question_markdown: str) -> bool:
    """Discourse's "This is a companion discussion topic for the original entry at …" (blog comments)."""
    return bool(_STUB.match(question_markdown))


def choose_answers(rec: dict, max_answers: int, base_url: str = "") -> list[tuple[Post, str]]:
    """The answers of one topic, by the rule in docs/web-text.md:

    1. candidates: regular posts after the first, with some text of their own, that answer the topic
       (a reply to the topic, or to one of the asker's posts; a reply to another helper's reply is
       discussion); the asker's own posts never, unless accepted and substantive;
    2. the accepted answer first; when the asker accepted their own short post ("That was it,
       thanks!"), the post it replies to stands in for it; an accepted answer that is short or only a
       link is followed by the best substantive candidate;
    3. else the candidates ranked by likes, substantive posts before others on a tie, then by order.
    """
    posts = [Post(p, base_url) for p in rec.get("posts") or []
             if (p.get("post_number") or 0) > 1 and p.get("post_type", 1) == 1]
    by_number = {p.number: p for p in posts}
    first = next((p for p in rec.get("posts") or [] if p.get("post_number") == 1), {})
    asker = first.get("username")

    def answers_topic(p: Post) -> bool:
        to = p.raw.get("reply_to_post_number")
        return to in (None, 1) or (to in by_number and by_number[to].raw.get("username") == asker)

    candidates = [p for p in posts if p.chars > 0 or p.code]
    candidates = [p for p in candidates if p.raw.get("username") != asker and answers_topic(p)]
    ranked = sorted(candidates, key=lambda p: (-p.likes, not p.substantive, p.number))

    accepted = by_number.get(rec.get("accepted_answer"))
    if accepted is not None and accepted.raw.get("username") == asker and not accepted.substantive:
        accepted = by_number.get(accepted.raw.get("reply_to_post_number"))   # the asker's thanks point at it
        if accepted is not None and (accepted.raw.get("username") == asker or accepted not in candidates):
            accepted = None
    if accepted is not None:
        chosen = [(accepted, "accepted_answer")]
        if not accepted.substantive:
            best = next((p for p in ranked if p is not accepted and p.substantive), None)
            if best is not None:
                chosen.append((best, "reply"))
        return chosen
    return [(p, "reply") for p in ranked[:max_answers]]


def build_discourse_graph(dump, out_db, report_path=None, source="discourse", max_answers: int = 3,
                          max_chars: int = 4000):
    t0 = time.perf_counter()
    g = _Graph(source, "discourse")
    roles: Counter = Counter()
    for i, rec in _records(dump, g):
        posts = rec.get("posts") or []
        if not rec.get("id") or not rec.get("title") or not posts:
            g.problem(f"{Path(dump).name}:{i}", "missing_field: a topic needs id, title and posts")
            continue
        base = _base(rec.get("url"))
        first = next((p for p in posts if p.get("post_number") == 1), posts[0])
        question = Post(first, base)
        path = f"t/{rec.get('slug') or 'topic'}/{rec['id']}"
        if is_stub(question.markdown):
            g.problem(path, "stub_topic: a companion discussion topic (a link to a blog post, no question)")
            continue
        tid = g.node(f"{source}:{path}", "topic", rec["title"], rec["title"], path, "discourse",
                     doc=_cap(question.markdown, max_chars),
                     meta={"url": rec.get("url"), "tags": rec.get("tags"), "category_id": rec.get("category_id"),
                           "created_at": rec.get("created_at"), "bumped_at": rec.get("bumped_at"),
                           "views": rec.get("views"), "posts_count": rec.get("posts_count") or len(posts),
                           "accepted_answer": rec.get("accepted_answer"), "username": first.get("username"),
                           "code": question.code})
        g.files.append((source, path, "discourse", sum(len(p.get("cooked") or "") for p in posts), None, "ok",
                        None, None, 1))
        for post, role in choose_answers(rec, max_answers, base):
            n = post.number
            roles[role] += 1
            pid = g.node(f"{source}:{path}#post-{n}", "post", f"{rec['title']} #{n}", f"{rec['title']} #{n}", path,
                         "discourse", doc=_cap(post.markdown, max_chars),
                         meta={"post_number": n, "username": post.raw.get("username"), "likes": post.likes,
                               "role": role, "code": post.code, "own_chars": post.chars,
                               "url": f"{rec['url']}/{n}" if rec.get("url") else None})
            g.edge(tid, pid, "contains")
            g.edge(pid, tid, "answers")
    return g.write(out_db, report_path, t0, extra={"answers": dict(sorted(roles.items()))})


# -- NixOS options --------------------------------------------------------------------------------
def module_path(declaration: str) -> str:
    """A declaration (store path, URL or repo path) -> its path inside nixpkgs."""
    for marker in ("nixos/modules/", "pkgs/", "lib/"):
        k = declaration.find(marker)
        if k >= 0:
            return declaration[k:]
    return declaration


def build_options_graph(dump, out_db, report_path=None, source="options", max_chars: int = 4000):
    t0 = time.perf_counter()
    g = _Graph(source, "nixos-options")
    try:
        options = orjson.loads(Path(dump).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise NanodexError(f"{dump}: not a readable options dump ({exc}); expected the fetch_options output") from None
    for name, opt in options.items():
        if not isinstance(opt, dict) or not name:
            g.problem(str(name), "invalid_record: expected an object of option attributes")
            continue
        decls = [module_path(d) for d in opt.get("declarations") or [] if isinstance(d, str)]
        desc = opt.get("description")
        g.node(f"{source}:option:{name}", "option", name.rsplit(".", 1)[-1], name, decls[0] if decls else "",
               "nix", doc=_cap(desc if isinstance(desc, str) else None, max_chars),
               sig=f"{name} : {opt.get('type') or '?'}",
               meta={"type": opt.get("type"), "default": _short(opt.get("default")),
                     "example": _short(opt.get("example")), "declarations": decls, "readOnly": opt.get("readOnly")})
    g.files.append((source, Path(dump).name, "json", Path(dump).stat().st_size, None, "ok", None, None, len(g.nodes)))
    return g.write(out_db, report_path, t0)


def _short(value, n: int = 500):
    text = value if value is None or isinstance(value, str) else \
        orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return text[:n] if text and len(text) > n else text


def build_dump_graph(params: dict, source: str, dump, out_db, report_path=None, max_text_chars: int = 4000):
    """Dispatch on the source kind (the pipeline's one entry point for web dumps)."""
    kind = params["kind"]
    if kind == "mediawiki":
        base = params.get("url", "").rsplit("/", 2)[0] if params.get("url", "").endswith("api.php") else ""
        return build_wiki_graph(dump, out_db, report_path, source, max_text_chars, base_url=base)
    if kind == "discourse":
        return build_discourse_graph(dump, out_db, report_path, source, params.get("max_answers", 3), max_text_chars)
    if kind == "nixos-options":
        return build_options_graph(dump, out_db, report_path, source, max_text_chars)
    raise NanodexError(f"no graph builder for source kind {kind!r}; expected mediawiki, discourse or nixos-options")
