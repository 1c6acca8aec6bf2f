"""The MediaWiki scraper against a fake MediaWiki on localhost, and the wiki graph."""

import sqlite3
import time

import orjson

from nanodex.graph.dumps import build_wiki_graph, split_sections
from nanodex.sources.http import HttpConfig, PoliteClient
from nanodex.sources.mediawiki import page_language, scrape_mediawiki
from nanodex.testing.fakes import FakeMediaWiki


def client():
    return PoliteClient(1000, HttpConfig(retries=2, backoff=0.01))


def wiki(titles):
    return {t: FakeMediaWiki.make_page(i, t) for i, t in enumerate(titles, 1)}


def dump(path):
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_all_pages_with_continue_and_language_filter(tmp_path):
    pages = wiki(["Nginx", "Nginx/ja", "Flakes", "Flakes/de", "Docker", "Home Manager", "Foo/Bar"])
    with FakeMediaWiki(pages) as site:
        stats = scrape_mediawiki("wiki", {"url": site.url + "/w/api.php"}, tmp_path / "pages.jsonl", client=client())
        assert site.counts["list"] == 4                      # 7 titles, 2 per batch, `continue` until done
        assert site.counts["parse"] == 5
    assert stats["skipped_language"] == 2
    assert [r["title"] for r in dump(tmp_path / "pages.jsonl")] == ["Docker", "Flakes", "Foo/Bar", "Home Manager",
                                                                     "Nginx"]
    with FakeMediaWiki(pages) as site:
        scrape_mediawiki("wiki-ja", {"url": site.url + "/w/api.php", "language": "ja"}, tmp_path / "ja/pages.jsonl",
                         client=client())
    assert [r["title"] for r in dump(tmp_path / "ja/pages.jsonl")] == ["Nginx/ja"]
    assert page_language("Foo/Bar") == "en" and page_language("Flakes/zh-hans") == "zh-hans"


def test_rerun_parses_only_changed_pages(tmp_path):
    pages = wiki(["A", "B", "C"])
    spec_out = tmp_path / "pages.jsonl"
    with FakeMediaWiki(pages) as site:
        spec = {"url": site.url + "/w/api.php"}
        scrape_mediawiki("wiki", spec, spec_out, client=client())
        assert site.counts["parse"] == 3
        stats = scrape_mediawiki("wiki", spec, spec_out, client=client())
        assert site.counts["parse"] == 3 and stats["unchanged"] == 3   # 0 content requests
        site.pages["B"]["revid"] = 2
        site.pages["B"]["html"] = "<p>new text</p>"
        scrape_mediawiki("wiki", spec, spec_out, client=client())
        assert site.counts["parse"] == 4
    assert next(r for r in dump(spec_out) if r["title"] == "B")["html"] == "<p>new text</p>"


def test_redirect_followed_once_and_missing_page_recorded(tmp_path):
    pages = wiki(["Target"])
    with FakeMediaWiki(pages) as site:
        site.pages["Old name"] = {**FakeMediaWiki.make_page(9, "Old name"), "revid": 1}
        site.redirects["Old name"] = "Target"
        site.unlisted.add("Target")
        site.pages["Deleted"] = FakeMediaWiki.make_page(10, "Deleted")
        real = site.route

        def route(path, query):   # "Deleted" is listed but gone by the time it is parsed
            if query.get("page") == ["Deleted"]:
                site.count("parse")
                return 200, {"error": {"code": "missingtitle", "info": "The page you specified doesn't exist."}}, None
            return real(path, query)

        site.route = route
        stats = scrape_mediawiki("wiki", {"url": site.url + "/w/api.php"}, tmp_path / "pages.jsonl", client=client())
    recs = {r["title"]: r for r in dump(tmp_path / "pages.jsonl")}
    assert recs["Target"]["redirected_from"] == "Old name" and recs["Target"]["listed_as"] == "Old name"
    assert "Deleted" not in recs and stats["failed"] == 1


def test_maxlag_answers_are_waited_out(tmp_path):
    with FakeMediaWiki(wiki(["A"]), maxlag_first=1) as site:
        t0 = time.monotonic()
        scrape_mediawiki("wiki", {"url": site.url + "/w/api.php"}, tmp_path / "pages.jsonl", client=client())
        assert time.monotonic() - t0 >= 0.95 and site.counts["maxlag"] == 1
        assert all("maxlag=5" in p for p in site.paths if p.startswith("/w/api.php"))
    assert len(dump(tmp_path / "pages.jsonl")) == 1


HTML = """<div class="mw-parser-output"><p>Intro with <a href="/wiki/Other_page">a link</a>.</p>
<div class="mw-heading mw-heading2"><h2 id="Setup">Setup</h2></div><p>Set it up:</p>
<div class="mw-highlight mw-highlight-lang-nix"><pre>services.foo.enable = true;</pre></div>
<h3><span class="mw-headline" id="Details">Details</span><span class="mw-editsection">[edit]</span></h3>
<pre>plain block</pre>
<div class="mw-heading mw-heading2"><h2 id="FAQ">FAQ</h2></div><ul><li>one</li></ul></div>"""


def test_sections_code_blocks_and_nesting(tmp_path):
    secs = split_sections(HTML)
    assert [(s["level"], s["title"], s["anchor"]) for s in secs] == [
        (1, None, None), (2, "Setup", "Setup"), (3, "Details", "Details"), (2, "FAQ", "FAQ")]
    assert secs[1]["code"] == [{"lang": "nix", "text": "services.foo.enable = true;"}]
    assert secs[2]["code"] == [{"lang": None, "text": "plain block"}]
    assert "edit" not in secs[2]["text"]
    assert secs[0]["links"] == ["Other page"]
    p = tmp_path / "pages.jsonl"
    p.write_bytes(orjson.dumps({"title": "Foo", "html": HTML}) + b"\n" + b'{"title": "Broken", "ht\n'
                  + orjson.dumps({"title": "Other page", "html": "<p>x</p>"}) + b"\n")
    report = build_wiki_graph(p, tmp_path / "g.sqlite", None, "wiki", base_url="https://wiki.example.org")
    assert report["reasons"] == {"invalid_json": 1}
    assert report["problems"][0]["path"] == "pages.jsonl:2"
    con = sqlite3.connect(tmp_path / "g.sqlite")
    edges = set(con.execute("SELECT src, dst, kind FROM edges"))
    assert ("wiki:Foo", "wiki:Foo#Setup", "contains") in edges
    assert ("wiki:Foo#Setup", "wiki:Foo#Details", "contains") in edges   # h3 nests under its h2
    assert ("wiki:Foo", "wiki:Foo#FAQ", "contains") in edges
    assert ("wiki:Foo", "wiki:Other page", "links_to") in edges
    url = con.execute("SELECT json_extract(meta_json, '$.url') FROM nodes WHERE id = 'wiki:Foo#Setup'").fetchone()[0]
    assert url == "https://wiki.example.org/wiki/Foo#Setup"
