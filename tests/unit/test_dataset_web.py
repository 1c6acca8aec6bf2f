"""Exact examples from web sources: NixOS options, wiki guides and forum troubleshooting."""

import orjson

from nanodex.brain.build import build_brain, iter_nodes
from nanodex.dataset.generate import Generator
from nanodex.graph.dumps import build_discourse_graph, build_options_graph, build_wiki_graph
from nanodex.graph.merge import merge_graphs

OPTIONS = {"services.pantry.enable": {"type": "boolean", "default": False, "description": "Whether to run pantry.",
                                      "declarations": ["nixos/modules/services/pantry.nix"]},
           "services.pantry.port": {"type": "16 bit unsigned integer", "default": 8080,
                                    "description": "Port to listen on.", "declarations": []}}
PAGE = {"title": "Pantry", "html": '<div class="mw-parser-output"><p>Intro.</p><div class="mw-heading mw-heading2">'
                                   '<h2 id="Setup">Setup</h2></div><p>Enable the service:</p>'
                                   '<div class="mw-highlight mw-highlight-lang-nix"><pre>services.pantry.enable = true;'
                                   '</pre></div></div>'}
TOPIC = {"id": 1, "title": "pantry fails to start", "slug": "pantry-fails", "url": "https://f.example/t/pantry-fails/1",
         "accepted_answer": 2, "posts": [
             {"post_number": 1, "username": "a", "cooked": "<p>It exits with code 1.</p>", "like_count": 0},
             {"post_number": 2, "username": "b", "cooked": "<p>Create the data directory first.</p>", "like_count": 1},
             {"post_number": 3, "username": "c", "cooked": "<p>Reboot.</p>", "like_count": 9}]}


def test_options_wiki_and_forum_examples(tmp_path):
    (tmp_path / "options.json").write_bytes(orjson.dumps(OPTIONS))
    (tmp_path / "pages.jsonl").write_bytes(orjson.dumps(PAGE) + b"\n")
    (tmp_path / "topics.jsonl").write_bytes(orjson.dumps(TOPIC) + b"\n")
    build_options_graph(tmp_path / "options.json", tmp_path / "o.sqlite", None, "options")
    build_wiki_graph(tmp_path / "pages.jsonl", tmp_path / "w.sqlite", None, "wiki", base_url="https://wiki.example")
    build_discourse_graph(tmp_path / "topics.jsonl", tmp_path / "f.sqlite", None, "forum")
    merge_graphs([tmp_path / f"{x}.sqlite" for x in "owf"], tmp_path / "graph.sqlite")
    build_brain(tmp_path / "graph.sqlite", tmp_path / "nodes", None)
    gen = Generator("sys")
    examples = [e for n in iter_nodes(tmp_path / "nodes") for e in gen.examples(n)]
    by = {(e["meta"]["template"], e["refs"][0]): e["messages"] for e in examples}

    enable = by[("option_enable", "options:option:services.pantry.enable")]
    assert enable[1]["content"] == "How do I enable `services.pantry` on NixOS?"
    assert enable[2]["content"] == ("Set `services.pantry.enable` to `true` in your NixOS configuration and rebuild "
                                    "(`nixos-rebuild switch`):\n\n```nix\n{\n  services.pantry.enable = true;\n}\n```"
                                    "\n\nWhether to run pantry.")
    port = by[("option_explain", "options:option:services.pantry.port")]
    assert port[2]["content"] == ("`services.pantry.port` is a NixOS option of type 16 bit unsigned integer, "
                                  "default `8080`. Port to listen on.\n\nIn `configuration.nix`:\n\n```nix\n{\n"
                                  "  services.pantry.port = 8080;\n}\n```")
    guide = by[("wiki_section", "wiki:Pantry#Setup")]
    assert guide[2]["content"] == ("Enable the service:\n\n```nix\nservices.pantry.enable = true;\n```\n\n"
                                   "(Source: NixOS wiki, https://wiki.example/wiki/Pantry#Setup)")
    forum = by[("forum_accepted_answer", "forum:t/pantry-fails/1#post-2")]
    assert forum[1]["content"] == "pantry fails to start\n\nIt exits with code 1."
    assert forum[2]["content"] == "Create the data directory first."
    assert ("forum_reply", "forum:t/pantry-fails/1#post-3") not in by   # the accepted answer wins over likes
