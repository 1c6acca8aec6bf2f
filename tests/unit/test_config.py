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
    assert set(cfg["sources"]) == {"demo", "nixpkgs", "wiki", "forum", "options"}
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


# Issue 15 row 9: every bad value caught by the loader, before any job runs, in one line.
@pytest.mark.parametrize("patch, message", [
    ({"sources": {"wiki": {"kind": "mediawiki", "url": "wiki.nixos.org/w/api.php"}}},
     "config.sources.wiki.url: 'wiki.nixos.org/w/api.php' is not allowed; expected an http:// or https:// URL "
     "with a host"),
    ({"sources": {"forum": {"kind": "discourse", "url": "ftp://discourse.nixos.org"}}},
     "config.sources.forum.url: 'ftp://discourse.nixos.org' is not allowed; expected an http:// or https:// URL "
     "with a host"),
    ({"sources": {"demo": {"kind": "repo", "url": "gopher://x/y.git", "rev": "abc"}}},
     "config.sources.demo.url: 'gopher://x/y.git' is not allowed; expected a git URL (https://, ssh://, git://, "
     "file:// or user@host:path)"),
    ({"sources": {"nixpkgs": {"kind": "nixpkgs", "rev": "abc", "tarball_url": "ftp://x/{rev}.tgz"}}},
     "config.sources.nixpkgs.tarball_url: 'ftp://x/{{rev}}.tgz' is not allowed; expected an http:// or https:// URL"),
    ({"brain": {"llm": {"url": "localhost:8000/v1"}}},
     "config.brain.llm.url: 'localhost:8000/v1' is not allowed; expected an http:// or https:// URL"),
    ({"http": {"timeout": float("nan")}},
     "config.http.timeout: nan is not allowed; expected a finite number "
     "(seconds to wait for a server before a request counts as failed)"),
    ({"train": {"lr": float("inf")}},
     "config.train.lr: inf is not allowed; expected a finite number (peak learning rate)"),
    ({"train": {"lora": {"alpha": -16}}},
     "config.train.lora.alpha: -16 is not allowed; expected a number > 0 (LoRA alpha (scale = alpha / r))"),
    ({"train": {"lora": {"r": -8}}},
     "config.train.lora.r: -8 is not allowed; expected a number >= 1 (LoRA rank)"),
    ({"train": {"max_seq_len": 15}},
     "config.train.max_seq_len: 15 is not allowed; expected a number >= 16 (tokens per packed row (and the longest "
     "example kept whole))"),
    ({"sources": {"nixpkgs": {"kind": "nixpkgs", "rev": "../../../X"}}},
     "config.sources.nixpkgs.rev: '../../../X' is not allowed; expected the commit or tag to check out (repo) or "
     "download (nixpkgs); pin a commit (letters, digits, '.', '_', '-', '+', '/'; no '..', no leading '/' or '-': "
     "it names files under data/raw/)"),
    ({"sources": {"demo": {"kind": "repo", "path": "no/such/dir"}}},
     "config.sources.demo.path: 'no/such/dir' does not exist; expected an existing directory (relative to the "
     "working directory {cwd})"),
    ({"sources": {"forum": {"kind": "discourse", "path": "no/such.jsonl"}}},
     "config.sources.forum.path: 'no/such.jsonl' does not exist; expected an existing file (relative to the "
     "working directory {cwd})"),
])
def test_hostile_values_give_one_line(patch, message):
    import os
    cfg = copy.deepcopy(BASE)
    cfg.update(patch)
    with pytest.raises(ConfigError) as err:
        check(cfg)
    assert str(err.value) == message.format(cwd=os.getcwd())


def test_good_urls_and_revs_pass():
    cfg = copy.deepcopy(BASE)
    cfg["sources"].update({
        "a": {"kind": "repo", "url": "git@github.com:NixOS/nix.git", "rev": "2.24.0"},
        "b": {"kind": "repo", "url": "https://github.com/NixOS/nix.git", "rev": "release/2.24"},
        "c": {"kind": "discourse", "url": "http://127.0.0.1:8080"},
        "d": {"kind": "nixpkgs", "rev": "7f2b8e3a6c1d4e5f9a0b1c2d3e4f5a6b7c8d9e0f"}})
    check(cfg)


def test_duplicate_yaml_keys_refused(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("http:\n  timeout: 5\n  retries: 2\n  timeout: 60\n")
    with pytest.raises(ConfigError) as err:
        load_config(p)
    assert str(err.value) == f"{p}:4: duplicate key 'timeout' (first on line 2); a key may appear once in a mapping"


def test_yaml_nan_is_refused(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("sources:\n  demo: {kind: repo, path: data/demo}\nhttp:\n  timeout: .nan\n")
    with pytest.raises(ConfigError, match=r"^config.http.timeout: nan is not allowed; expected a finite number"):
        load_config(p)


def test_command_line_overrides_take_the_schema_types():
    from nanodex.config import coerce_overrides
    # what Snakemake makes of --config 'train={"lr": 0.001, "lora": {"r": 8}}' 'http={"respect_robots": false}'
    overrides = {"train": {"lr": "0.001", "lora": {"r": "8"}, "run": "123"},
                 "http": {"respect_robots": "false", "contact": "mailto:ci@example.org"},
                 "sources": {"wiki": {"kind": "mediawiki", "url": "https://wiki.example.org/w/api.php",
                                      "namespaces": ["0", "14"]}}}
    cfg = copy.deepcopy(overrides)
    coerce_overrides(cfg, overrides)
    assert cfg["sources"]["wiki"]["namespaces"] == [0, 14]
    assert cfg["train"]["lr"] == 0.001 and cfg["train"]["lora"]["r"] == 8
    assert cfg["train"]["run"] == "123"            # a string in the schema stays a string
    assert cfg["http"]["respect_robots"] is False
    check(cfg)
    bad = {"train": {"lr": "fast"}}
    cfg = copy.deepcopy(BASE)
    cfg.update(copy.deepcopy(bad))
    coerce_overrides(cfg, bad)
    with pytest.raises(ConfigError) as err:
        check(cfg)
    assert str(err.value) == "config.train.lr: 'fast' is not allowed; expected a number (peak learning rate)"


def test_every_source_key_names_the_kinds_that_read_it():
    from nanodex.config import kind_keys, load_schema

    schema = load_schema()
    source = schema["properties"]["sources"]["additionalProperties"]["properties"]
    kinds = set(source["kind"]["enum"])
    for key, sub in source.items():
        if key != "kind":
            assert sub.get("kinds") and set(sub["kinds"]) <= kinds, f"config.sources.<name>.{key}: kinds"
    keys = kind_keys(schema)
    assert set(keys) == kinds and all(keys[k] for k in kinds)
    assert {"path", "url", "refresh", "rate_limit"} <= keys["nixos-options"] == keys["nixos-packages"]
    assert "url" not in keys["nixpkgs"] and "rev" in keys["repo"]


def test_schema_default_is_what_validation_fills_in():
    from nanodex.config import schema_default, validate_config

    filled = validate_config({"sources": {"n": {"kind": "nixpkgs", "rev": "abc"}}}, check_paths=False)
    for section in ("http", "graph", "brain", "dataset", "train", "eval"):
        assert schema_default(section) == filled[section], section
    assert schema_default("sources", "*", "archive_limits") == filled["sources"]["n"]["archive_limits"]
    assert schema_default("sources", "*", "repo") == "NixOS/nixpkgs"
