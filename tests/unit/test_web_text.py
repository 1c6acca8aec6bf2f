"""Faithful text from the forum and the wiki: the exact Markdown each piece of HTML becomes, the answer
choice rule, the MediaWiki request flags and page intros as examples."""

import sqlite3

import orjson
import web_fixtures as fx

from nanodex.brain.build import build_brain, iter_nodes
from nanodex.dataset.generate import Generator
from nanodex.graph.dumps import build_discourse_graph, build_wiki_graph, choose_answers, split_sections
from nanodex.graph.markdown import cap, html_to_markdown
from nanodex.sources.http import HttpConfig, PoliteClient
from nanodex.sources.mediawiki import scrape_mediawiki
from nanodex.testing.fakes import FakeMediaWiki

BASE = "https://discourse.example"


def md(html):
    return html_to_markdown(html, BASE)[0]


# -- Discourse cooked HTML -------------------------------------------------------------------------
def test_quoted_reply_is_a_marked_blockquote():
    assert md(fx.QUOTED_REPLY) == ("> Quoting @alice (post 1):\n>\n> nginx says `bind() failed`\n\n"
                                   "Port 80 is taken by another service; stop it first.")


def test_nested_quotes_nest():
    assert md(fx.NESTED) == ("> Quoting @bob (post 4):\n>\n> > Quoting @alice (post 2):\n> >\n> > Is it the firewall?\n"
                             ">\n> No, the port.\n\nAgreed with both.")


def test_onebox_is_a_link_with_its_title_not_a_code_block():
    url = "https://github.com/NixOS/nixpkgs/blob/master/nixos/modules/services/web-servers/nginx/default.nix"
    text, code = html_to_markdown(fx.ONEBOX, BASE)
    title = "NixOS/nixpkgs/blob/master/nixos/modules/services/web-servers/nginx/default.nix"
    assert text == f"The module is here:\n\n[{title}]({url})"
    assert code == []


def test_lightbox_is_a_link_without_its_metadata():
    assert md(fx.LIGHTBOX) == ("It looks like this:\n\n"
                               "[image](https://discourse.example/uploads/default/original/2X/a/abc.png)")


def test_nix_block_fenced_once_with_indentation_and_inline_code():
    text, code = html_to_markdown(fx.NIX_BLOCK, BASE)
    nix = ('{ pkgs, ... }:\n{\n  services.nginx = {\n    enable = true;\n'
           '    virtualHosts."example.org".root = "/srv/www";\n  };\n}')
    assert text == (f"Put this in `configuration.nix`:\n\n```nix\n{nix}\n```\n\n"
                    "then run `nixos-rebuild switch` :+1:, thanks @bob.")
    assert code == [{"lang": "nix", "text": nix}]
    assert text.count("enable = true;") == 1


def test_details_kept_as_text():
    assert md(fx.DETAILS) == ("Full error\n\n```\nerror: builder for '/nix/store/abc-hello.drv' failed\n"
                              "       last 3 log lines:\n       > make: *** No rule\n```")


def test_code_fence_longer_than_backticks_inside():
    assert md("<pre><code>a\n```\nb</code></pre>") == "````\na\n```\nb\n````"


def test_cap_never_cuts_a_fence_open():
    text = "Intro.\n\n```nix\n{\n  a = 1;\n\n  b = 2;\n}\n```\n\nAfter."
    assert cap(text, 45) == "Intro.\n\n```nix\n{\n  a = 1;\n\n  b = 2;\n}\n```"
    assert cap(text, 20) == "Intro."
    assert cap("```\n" + "x = 1;\n" * 20 + "```", 30) == "```\nx = 1;\nx = 1;\nx = 1;\n```"


# -- answer choice -----------------------------------------------------------------------------------
FIX = ("<p>The unit runs as the <code>pantry</code> user, which cannot write there. Set "
       "<code>services.pantry.dataDir</code> to a directory it owns:</p>\n<pre><code class=\"lang-nix\">"
       "services.pantry.dataDir = \"/var/lib/pantry\";\n</code></pre>")


def post(n, user, cooked, likes=0, reply_to=None, **kw):
    return {"post_number": n, "username": user, "cooked": cooked, "like_count": likes, "post_type": 1,
            "reply_to_post_number": reply_to, **kw}


def topic(tid, posts, accepted=None, title="pantry fails to start"):
    return {"id": tid, "title": title, "slug": f"t{tid}", "url": f"{BASE}/t/t{tid}/{tid}",
            "accepted_answer": accepted, "posts": posts}


def chosen(rec, n=3):
    return [(p["post_number"], role) for p, role in choose_answers(rec, n)]


ASKER_Q = post(1, "asker", "<p>pantry exits with code 1 after <code>nixos-rebuild switch</code>.</p>")


def test_link_only_accepted_answer_is_followed_by_the_fix():
    rec = topic(1, [ASKER_Q, post(2, "helper", '<p><a href="https://wiki.example/wiki/Pantry">https://wiki.example/'
                                               'wiki/Pantry</a></p>', likes=1),
                    post(3, "expert", FIX, likes=11), post(4, "other", "<p>Reboot.</p>", likes=2)], accepted=2)
    assert chosen(rec) == [(2, "accepted_answer"), (3, "reply")]


def test_askers_thank_you_is_never_an_answer():
    thanks = post(3, "asker", "<p>That was it, thanks!</p>", likes=3, reply_to=2)
    rec = topic(2, [ASKER_Q, post(2, "expert", FIX, likes=1), thanks])
    assert chosen(rec) == [(2, "reply")]
    accepted_thanks = topic(3, [ASKER_Q, post(2, "expert", FIX, likes=1), thanks], accepted=3)
    assert chosen(accepted_thanks) == [(2, "accepted_answer")]     # the thanks point at the fix


def test_replies_to_replies_and_textless_posts():
    image_only = post(4, "shower", '<p><div class="lightbox-wrapper"><a class="lightbox" href="/u/x.png" title="">'
                                   '<img src="/u/x.png" alt=""></a></div></p>', likes=5)
    rec = topic(4, [ASKER_Q, post(2, "expert", FIX, likes=5),
                    post(3, "chatty", "<p>I disagree with the quoting style of that answer, but fine.</p>", likes=9,
                         reply_to=2),
                    image_only,
                    post(5, "asker", "<p>Still failing: <code>permission denied</code>.</p>", reply_to=2),
                    post(6, "expert", "<p>Then the directory exists already with the wrong owner; run "
                                      "<code>chown -R pantry /var/lib/pantry</code> once.</p>", likes=1, reply_to=5)])
    # 3 answers another helper, not the topic; 4 has no text (and the tie with 2 goes to the text);
    # 5 is the asker's; 6 answers the asker's follow-up.
    assert chosen(rec) == [(2, "reply"), (6, "reply")]


def test_stub_topics_are_skipped_and_counted(tmp_path):
    stub = topic(5, [post(1, "system", '<p>This is a companion discussion topic for the original entry at '
                                       '<a href="https://blog.example/x">https://blog.example/x</a></p>'),
                     post(2, "reader", "<p>Great post, I learned a lot about Nix flakes from it today.</p>")],
                 title="Blog: flakes")
    real = topic(6, [ASKER_Q, post(2, "expert", fx.QUOTED_REPLY + FIX, likes=2)])
    p = tmp_path / "topics.jsonl"
    p.write_bytes(orjson.dumps(stub) + b"\n" + orjson.dumps(real) + b"\n")
    report = build_discourse_graph(p, tmp_path / "g.sqlite", None, "forum")
    assert report["reasons"] == {"stub_topic": 1}
    assert report["answers"] == {"reply": 1}
    con = sqlite3.connect(tmp_path / "g.sqlite")
    (doc,) = con.execute("SELECT docstring FROM nodes WHERE kind = 'post'").fetchone()
    assert doc.startswith("> Quoting @alice (post 1):\n>\n> nginx says `bind() failed`\n\nPort 80 is taken")
    assert doc.endswith('```nix\nservices.pantry.dataDir = "/var/lib/pantry";\n```')
    assert [r[0] for r in con.execute("SELECT kind FROM nodes ORDER BY kind")] == ["post", "topic"]


# -- MediaWiki ---------------------------------------------------------------------------------------
def test_wiki_page_without_report_language_bar_infobox_markers():
    intro, setup = split_sections(fx.WIKI_PAGE, "https://wiki.example")
    assert intro["text"] == ("[Nginx](https://nginx.org) is a web server and reverse proxy. "
                             "See also [Caddy](https://wiki.example/wiki/Caddy).")
    assert intro["links"] == ["Caddy"]
    assert setup["title"] == "Setup"
    assert setup["text"] == ("Enable the service in `/etc/nixos/configuration.nix`:\n\n"
                             "≡︎ /etc/nixos/configuration.nix\n\n"
                             "```nix\nservices.nginx = {\n  enable = true;\n};\n```\n\n1. nginx.org")
    assert setup["code"] == [{"lang": "nix", "text": "services.nginx = {\n  enable = true;\n};"}]


def test_parse_requests_carry_the_flags_and_intros_give_examples(tmp_path):
    pages = {"Nginx": {**FakeMediaWiki.make_page(1, "Nginx"), "html": fx.WIKI_PAGE}}
    with FakeMediaWiki(pages) as site:
        scrape_mediawiki("wiki", {"url": site.url + "/w/api.php"}, tmp_path / "pages.jsonl",
                         client=PoliteClient(1000, HttpConfig(retries=1, backoff=0.01)))
        parses = [p for p in site.paths if "action=parse" in p]
    assert parses and all("disablelimitreport=1" in p and "disableeditsection=1" in p for p in parses)
    build_wiki_graph(tmp_path / "pages.jsonl", tmp_path / "g.sqlite", None, "wiki", base_url="https://wiki.example")
    build_brain(tmp_path / "g.sqlite", tmp_path / "nodes", None)
    gen = Generator("sys")
    by = {e["meta"]["template"]: e["messages"] for n in iter_nodes(tmp_path / "nodes") for e in gen.examples(n)}
    assert by["wiki_intro"][1]["content"] in ("What does the NixOS wiki say about Nginx?",
                                              "What is Nginx, according to the NixOS wiki?")
    assert by["wiki_intro"][2]["content"] == (
        "[Nginx](https://nginx.org) is a web server and reverse proxy. See also [Caddy](https://wiki.example/wiki/Caddy)."
        "\n\n(Source: NixOS wiki, https://wiki.example/wiki/Nginx)")
    assert "NewPP" not in by["wiki_section"][2]["content"]


def test_code_keeps_its_blank_lines_and_quotes_are_not_own_text():
    from nanodex.graph.markdown import own_text

    assert md("<p>a</p><p></p><p></p><pre><code>x = 1\n\n\n\ny = 2</code></pre>") == "a\n\n```\nx = 1\n\n\n\ny = 2\n```"
    text = md(fx.QUOTED_REPLY + "<pre><code>&gt; not a quote</code></pre>")
    assert own_text(text) == "\nPort 80 is taken by another service; stop it first.\n\n```\n> not a quote\n```"


def test_lightbox_without_wrapper_links_the_full_image():
    html = ('<p><a class="lightbox" href="/uploads/full.png" title="shot.png">'
            '<img src="/uploads/small.png" alt="shot.png">'
            '<div class="meta"><span class="filename">shot.png</span><span class="informations">800×600 20 KB</span>'
            '</div></a></p>')
    assert md(html) == "[shot.png](https://discourse.example/uploads/full.png)"
