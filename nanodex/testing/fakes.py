"""Fake Discourse and MediaWiki servers (stdlib ThreadingHTTPServer on 127.0.0.1).

They answer in the real APIs' shapes (see the sources' modules), count every request by kind, can
add latency, and can be made to misbehave (404 topics, maxlag answers) to test the scrapers.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeSite:
    def __init__(self, latency: float = 0.0):
        self.latency = latency
        self.counts: Counter = Counter()
        self.paths: list[str] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                if site.latency:
                    time.sleep(site.latency)
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                with site.lock:
                    site.paths.append(self.path)
                status, body, headers = site.route(parts.path, query)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def count(self, kind: str) -> None:
        with self.lock:
            self.counts[kind] += 1

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def route(self, path, query):
        if path == "/robots.txt":
            return 200, b"User-agent: *\nDisallow: /admin\n", {"Content-Type": "text/plain"}
        return 404, {"error": "not found"}, None


class FakeDiscourse(FakeSite):
    """`/latest.json` (30 topics a page, newest bump first), `/t/{id}.json` (first 20 posts + the
    whole stream), `/t/{id}/posts.json?post_ids[]=` (the rest)."""

    PER_PAGE = 30

    def __init__(self, topics: dict[int, dict] | None = None, latency: float = 0.0, gone: set[int] = frozenset()):
        super().__init__(latency)
        self.topics = topics or {}
        self.gone = set(gone)

    @staticmethod
    def make_topic(tid: int, n_posts: int = 3, bumped: str = "2026-11-01T00:00:00.000Z", accepted: int | None = None,
                   likes: dict[int, int] | None = None) -> dict:
        likes = likes or {}
        posts = [{"id": tid * 1000 + n, "post_number": n, "username": f"user{n}", "post_type": 1,
                  "created_at": bumped, "cooked": f"<p>Post {n} of topic {tid}</p><pre><code>pkgs.hello</code></pre>",
                  "actions_summary": [{"id": 2, "count": likes.get(n, 0)}], "accepted_answer": n == accepted,
                  "reply_to_post_number": None if n == 1 else 1}
                 for n in range(1, n_posts + 1)]
        return {"id": tid, "title": f"Topic {tid}", "slug": f"topic-{tid}", "category_id": 1, "tags": ["nix"],
                "bumped_at": bumped, "last_posted_at": bumped, "created_at": bumped, "posts_count": n_posts,
                "posts": posts,
                "accepted_answer": {"post_number": accepted, "username": f"user{accepted}"} if accepted else None}

    def route(self, path, query):
        if path in ("/latest.json", "/latest"):
            self.count("list")
            page = int(query.get("page", ["0"])[0])
            order = sorted(self.topics.values(), key=lambda t: (t["bumped_at"], t["id"]), reverse=True)
            chunk = order[page * self.PER_PAGE:(page + 1) * self.PER_PAGE]
            tl = {"topics": [{k: t[k] for k in ("id", "title", "slug", "bumped_at", "last_posted_at", "category_id",
                                                 "posts_count")} for t in chunk]}
            if (page + 1) * self.PER_PAGE < len(order):
                tl["more_topics_url"] = f"/latest?page={page + 1}"
            return 200, {"users": [], "topic_list": tl}, None
        parts = path.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "t":
            tid = int(parts[1].removesuffix(".json"))
            if tid in self.gone or tid not in self.topics:
                self.count("missing")
                return 404, {"errors": ["not found"]}, None
            t = self.topics[tid]
            if len(parts) == 2:
                self.count("topic")
                body = {k: v for k, v in t.items() if k != "posts"}
                body["post_stream"] = {"posts": t["posts"][:20], "stream": [p["id"] for p in t["posts"]]}
                return 200, body, None
            if parts[2] == "posts.json":
                self.count("posts")
                want = {int(x) for x in query.get("post_ids[]", [])}
                return 200, {"post_stream": {"posts": [p for p in t["posts"] if p["id"] in want]}}, None
        return super().route(path, query)


class FakeMediaWiki(FakeSite):
    """`api.php`: `generator=allpages&prop=info` with `continue` (2 pages a batch), and `action=parse`."""

    BATCH = 2

    def __init__(self, pages: dict[str, dict] | None = None, latency: float = 0.0, maxlag_first: int = 0):
        super().__init__(latency)
        self.pages = pages or {}
        self.redirects: dict[str, str] = {}
        self.unlisted: set[str] = set()
        self.maxlag_left = maxlag_first

    @staticmethod
    def make_page(pageid: int, title: str, revid: int = 1, body: str = "") -> dict:
        html = (f'<div class="mw-parser-output"><p>About {title}. {body}</p>'
                f'<div class="mw-heading mw-heading2"><h2 id="Usage">Usage</h2></div>'
                f'<div class="mw-highlight mw-highlight-lang-nix"><pre>services.{title.lower()}.enable = true;</pre>'
                f'</div></div>')
        return {"pageid": pageid, "title": title, "revid": revid, "html": html, "wikitext": f"About {title}.",
                "sections": [{"index": "1", "level": "2", "line": "Usage", "anchor": "Usage", "number": "1"}]}

    def route(self, path, query):
        if path != "/w/api.php":
            return super().route(path, query)
        q = {k: v[0] for k, v in query.items()}
        if self.maxlag_left > 0 and "maxlag" in q:
            self.maxlag_left -= 1
            self.count("maxlag")
            return 200, {"error": {"code": "maxlag", "info": "Waiting for db: 3 seconds lagged", "lag": 3}}, \
                {"Retry-After": "1"}
        if q.get("action") == "query" and q.get("generator") == "allpages":
            self.count("list")
            titles = sorted(set(self.pages) - self.unlisted)
            start = q.get("gapcontinue")
            if start:
                titles = [t for t in titles if t >= start]
            batch, rest = titles[:self.BATCH], titles[self.BATCH:]
            body = {"batchcomplete": True, "query": {"pages": [
                {"pageid": self.pages[t]["pageid"], "ns": 0, "title": t, "lastrevid": self.pages[t]["revid"]}
                for t in batch]}}
            if rest:
                body["continue"] = {"gapcontinue": rest[0], "continue": "gapcontinue||"}
            return 200, body, None
        if q.get("action") == "parse":
            self.count("parse")
            title = q.get("page", "")
            redirects = []
            if title in self.redirects:
                redirects = [{"from": title, "to": self.redirects[title]}]
                title = self.redirects[title]
            p = self.pages.get(title)
            if p is None:
                return 200, {"error": {"code": "missingtitle", "info": "The page you specified doesn't exist."}}, None
            return 200, {"parse": {"title": title, "pageid": p["pageid"], "revid": p["revid"], "text": p["html"],
                                   "wikitext": p["wikitext"], "sections": p["sections"], "redirects": redirects}}, None
        return 400, {"error": {"code": "badrequest"}}, None


class FakeOpenAI(FakeSite):
    """An OpenAI-compatible server: `GET /health`, `GET /v1/models`, `POST /v1/chat/completions`
    (streaming too), answering with a deterministic text derived from the prompt; an unknown model
    gets a 404 with a message, as vLLM answers."""

    MODELS = ("base", "nanodex")

    def __init__(self, latency: float = 0.0):
        super().__init__(latency)
        handler = self.server.RequestHandlerClass
        site = self

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            site.count("chat")
            site.last_body = body      # tests read what the client sent (e.g. its system prompt)
            model = body.get("model")
            if model not in site.MODELS:
                return site._json(self, 404, {"object": "error", "code": 404,
                                              "message": f"The model `{model}` does not exist."})
            prompt = body["messages"][-1]["content"]
            name = next((line[6:] for line in prompt.splitlines() if line.startswith("name: ")), None)
            text = f"LLM summary of {name}." if name else f"[{model}] You asked: {prompt}"
            if not body.get("stream"):
                return site._json(self, 200, {"id": "x", "object": "chat.completion", "model": model,
                                              "choices": [{"index": 0, "finish_reason": "stop",
                                                           "message": {"role": "assistant", "content": text}}]})
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for word in text.split(" "):
                chunk = {"id": "x", "object": "chat.completion.chunk", "model": model,
                         "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")

        handler.do_POST = do_POST

    @staticmethod
    def _json(handler, status, body):
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def route(self, path, query):
        if path == "/health":
            return 200, b"", None
        if path == "/v1/models":
            return 200, {"object": "list", "data": [{"id": m, "object": "model"} for m in self.MODELS]}, None
        return super().route(path, query)
