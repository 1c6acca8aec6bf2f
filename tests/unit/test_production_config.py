"""The production config is real and checked (issue 12: the production config must be real)."""

import json

import pytest
import yaml
from conftest import ROOT

from nanodex.config import validate_config
from nanodex.errors import ConfigError

PROD = yaml.safe_load((ROOT / "config" / "nix-expert.yaml").read_text())


def test_nixpkgs_is_pinned_to_the_flake_locks_nixos_unstable_commit():
    lock = json.loads((ROOT / "flake.lock").read_text())["nodes"]["nixpkgs"]
    assert lock["original"]["ref"] == "nixos-unstable"
    assert PROD["sources"]["nixpkgs"]["rev"] == lock["locked"]["rev"]


def test_channel_files_discourse_category_and_no_invented_project_url():
    src = PROD["sources"]
    assert src["options"]["url"] == "https://channels.nixos.org/nixos-unstable/options.json.br"
    assert src["channel"] == {**src["channel"], "kind": "nixos-packages",
                              "url": "https://channels.nixos.org/nixos-unstable/packages.json.br"}
    assert src["discourse"]["category"] == "learn/9"
    assert "github.com/nanodex" not in (ROOT / "config" / "nix-expert.yaml").read_text()


def test_production_config_needs_a_contact_and_takes_one():
    with pytest.raises(ConfigError) as err:
        validate_config(json.loads(json.dumps(PROD)))
    assert str(err.value).startswith("config.http.contact: missing; source channel fetches "
                                     "https://channels.nixos.org/nixos-unstable/packages.json.br")
    assert "\n" not in str(err.value)
    cfg = json.loads(json.dumps(PROD))
    cfg["http"]["contact"] = "mailto:ops@example.org"
    assert validate_config(cfg)["http"]["max_wait"] == 300


@pytest.mark.parametrize("src", [
    {"kind": "mediawiki", "path": "dump.jsonl"},                          # a local dump: no request
    {"kind": "discourse", "url": "http://127.0.0.1:8080"},                # localhost test server
])
def test_contact_not_needed_without_network(src):
    validate_config({"sources": {"s": src}}, check_paths=False)


@pytest.mark.parametrize("category,ok", [("learn/9", True), ("learn", True), (9, True), ("9", True),
                                         ("learn/nine", False), ("/c/learn", False)])
def test_discourse_category_by_slug_and_id(category, ok):
    cfg = {"sources": {"f": {"kind": "discourse", "path": "t.jsonl", "category": category}}}
    if ok:
        validate_config(cfg, check_paths=False)
    else:
        with pytest.raises(ConfigError, match=r"config.sources.f.category: .* is not allowed"):
            validate_config(cfg, check_paths=False)
