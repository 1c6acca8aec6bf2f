import copy

import pytest
import yaml

from nanodex.config import load_config, validate_config
from nanodex.errors import ConfigError

BASE = {"sources": {"demo": {"kind": "repo", "path": "data/demo"}}}


def check(cfg):
    return validate_config(copy.deepcopy(cfg))


def test_defaults_are_filled():
    cfg = check(BASE)
    assert cfg["graph"]["max_file_bytes"] == 1_000_000
    assert cfg["graph"]["workers"] == 0
    assert "nix" in cfg["graph"]["languages"]
    assert cfg["sources"]["demo"]["exclude"] == []
    assert cfg["sources"]["demo"]["use_gitignore"] is True


@pytest.mark.parametrize("patch, message", [
    ({"graph": {"max_file_bytes": -5}},
     "config.graph.max_file_bytes: -5 is not allowed; expected a number >= 1 "
     "(files larger than this many bytes are skipped and listed in the report)"),
    ({"graph": {"max_file_bytes": "big"}},
     "config.graph.max_file_bytes: 'big' is not allowed; expected an integer "
     "(files larger than this many bytes are skipped and listed in the report)"),
    ({"graph": {"languages": ["python", "cobol"]}},
     "config.graph.languages.1: 'cobol' is not allowed; expected one of 'python', 'java', 'javascript', "
     "'typescript', 'tsx', 'c', 'cpp', 'go', 'rust', 'nix'"),
    ({"graph": {"wokers": 2}},
     "config.graph.wokers: unknown key; expected only the keys languages, max_docstring_chars, max_file_bytes, "
     "max_text_chars, workers"),
    ({"sources": {"demo": {"kind": "ftp", "path": "x"}}},
     "config.sources.demo.kind: 'ftp' is not allowed; expected one of 'repo', 'nixpkgs', 'mediawiki', 'discourse', "
     "'nixos-options', 'nixos-packages' (what kind of source this is)"),
    ({"sources": {"wiki": {"kind": "mediawiki", "url": "https://wiki.example/api.php", "rate_limit": -1}}},
     "config.sources.wiki.rate_limit: -1 is not allowed; expected a number > 0 "
     "(requests per second to this source's host (spaced evenly))"),
    ({"sources": {"forum": {"kind": "discourse", "url": "https://f.example", "language": "en"}}},
     "config.sources.forum.language: not used by a discourse source; expected only category, max_answers, "
     "max_topics, path, rate_limit, refresh, url"),
    ({"sources": {"wiki": {"kind": "mediawiki"}}},
     "config.sources.wiki: needs `url` (where to fetch from) or `path` (a local dump)"),
    ({"sources": {"nixpkgs": {"kind": "nixpkgs"}}},
     "config.sources.nixpkgs: needs `path` (a nixpkgs checkout) or `rev` (a commit to download)"),
    ({"http": {"timeout": 0}},
     "config.http.timeout: 0 is not allowed; expected a number > 0 "
     "(seconds to wait for a server before a request counts as failed)"),
    ({"sources": {"Bad Name": {"kind": "repo", "path": "x"}}},
     "config.sources: source name 'Bad Name' is not allowed; expected a source name (lower-case letters, digits, "
     "'-' and '_'; starts with a letter or digit)"),
    ({"sources": {"demo": {"path": "x"}}},
     "config.sources.demo.kind: missing; this key is required (what kind of source this is)"),
    ({"sources": {"demo": {"kind": "repo"}}},
     "config.sources.demo: needs `path` (a local directory) or `url` + `rev` (a git repository)"),
    ({"sources": {"demo": {"kind": "repo", "url": "https://example.org/x.git"}}},
     "config.sources.demo.rev: missing; a git url needs a pinned commit or tag in `rev`"),
])
def test_bad_values_give_one_line(patch, message):
    cfg = copy.deepcopy(BASE)
    cfg.update(patch)
    with pytest.raises(ConfigError) as err:
        check(cfg)
    assert str(err.value) == message
    assert "\n" not in str(err.value)


def test_shipped_config_is_valid():
    from conftest import ROOT
    cfg = load_config(ROOT / "config" / "config.yaml")
    assert set(cfg["sources"]) == {"demo", "nixpkgs", "wiki", "forum", "options", "self"}
    assert {s["kind"] for s in cfg["sources"].values()} == {"repo", "nixpkgs", "mediawiki", "discourse",
                                                             "nixos-options"}


def test_unreadable_yaml(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("sources: [unclosed\n")
    with pytest.raises(ConfigError, match=r"c.yaml: invalid YAML"):
        load_config(p)


def test_every_schema_key_has_description_and_default():
    from nanodex.config import load_schema

    def walk(node, where):
        for key, sub in node.get("properties", {}).items():
            assert "description" in sub, f"{where}.{key} has no description"
            assert "default" in sub, f"{where}.{key} has no default"
            walk(sub, f"{where}.{key}")
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{where}.<name>")

    walk(load_schema(), "config")
    assert yaml  # the schema is YAML, loaded with the same library as the config
