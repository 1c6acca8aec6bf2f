"""NixOS channel files: options.json.br and packages.json.br, brotli both ways, and the join of the
channel's evaluation into parsed package nodes by position."""

import json
import sqlite3

import brotli
import pytest

from nanodex.graph.build import build_source_graph
from nanodex.graph.merge import merge_graphs
from nanodex.sources.channel import build_channel_graph, fetch_packages, split_position
from nanodex.sources.http import HttpConfig, PoliteClient
from nanodex.sources.options import fetch_options
from nanodex.sources.repo import snapshot
from nanodex.testing.faults import FaultServer

OPTIONS = {"services.nginx.enable": {"type": "boolean", "default": {"_type": "literalExpression", "text": "false"},
                                     "description": "Whether to enable Nginx.", "declarations": [
                                         "nixos/modules/services/web-servers/nginx/default.nix"], "loc": [
                                         "services", "nginx", "enable"], "readOnly": False}}

# line 1..8; `version = metadata.rev` is an expression the parser cannot evaluate
HELLO = b"""{ lib, stdenv, fetchurl }:
let metadata = import ./metadata.nix; in
stdenv.mkDerivation {
  pname = "hello";
  version = metadata.rev;
  src = fetchurl { url = "mirror://gnu/hello/hello-${metadata.rev}.tar.gz"; hash = ""; };
  meta.description = "A program that produces a familiar, friendly greeting";
}
"""
PACKAGES = {"version": 2, "packages": {
    "hello": {"name": "hello-2.12.2", "pname": "hello", "version": "2.12.2", "system": "x86_64-linux",
              "meta": {"description": "A program that produces a familiar, friendly greeting",
                       "license": {"spdxId": "GPL-3.0-or-later", "shortName": "gpl3Plus"},
                       "homepage": ["https://www.gnu.org/software/hello/manual/"],
                       "position": "pkgs/by-name/he/hello/package.nix:7", "maintainers": []}},
    "hello-alias": {"name": "hello-2.12.2", "pname": "hello", "version": "2.12.2",
                    "meta": {"position": "pkgs/by-name/he/hello/package.nix:7"}},
    "nopos": {"name": "x-1", "pname": "x", "version": "1", "meta": {}},
}}


def client():
    return PoliteClient(1000, HttpConfig(retries=1, backoff=0.01, respect_robots=False))


@pytest.fixture
def srv():
    with FaultServer() as s:
        yield s


@pytest.mark.parametrize("encoded", [True, False], ids=["content-encoding-br", "raw-brotli-bytes"])
def test_options_json_br_both_ways(srv, tmp_path, encoded):
    body = brotli.compress(json.dumps(OPTIONS).encode())
    headers = {"Content-Encoding": "br"} if encoded else {"Content-Type": "application/octet-stream"}
    srv.route("/nixos-unstable/options.json.br", body, headers=headers)
    stats = fetch_options("options", {"url": srv.url("/nixos-unstable/options.json.br")}, tmp_path / "o.json",
                          client=client())
    assert stats == {"options": 1}
    opts = json.loads((tmp_path / "o.json").read_text())
    assert opts["services.nginx.enable"]["default"] == "false"


def test_options_from_a_local_br_file(tmp_path):
    (tmp_path / "options.json.br").write_bytes(brotli.compress(json.dumps(OPTIONS).encode()))
    assert fetch_options("o", {"path": "options.json.br"}, tmp_path / "o.json", workdir=tmp_path) == {"options": 1}


@pytest.mark.parametrize("encoded", [True, False], ids=["content-encoding-br", "raw-brotli-bytes"])
def test_packages_json_br_both_ways(srv, tmp_path, encoded):
    body = brotli.compress(json.dumps(PACKAGES).encode())
    srv.route("/nixpkgs-unstable/packages.json.br", body, headers={"Content-Encoding": "br"} if encoded else {})
    stats = fetch_packages("channel", {"url": srv.url("/nixpkgs-unstable/packages.json.br")},
                           tmp_path / "packages.json", client=client())
    assert stats == {"packages": 3, "with_position": 2}
    p = json.loads((tmp_path / "packages.json").read_text())["hello"]
    assert p == {"attr": "hello", "pname": "hello", "version": "2.12.2", "name": "hello-2.12.2",
                 "description": "A program that produces a familiar, friendly greeting",
                 "license": "GPL-3.0-or-later", "homepage": "https://www.gnu.org/software/hello/manual/",
                 "position": "pkgs/by-name/he/hello/package.nix:7"}


def test_position_with_a_store_prefix():
    assert split_position("/nix/store/abc-source/pkgs/a/b.nix:12") == ("pkgs/a/b.nix", 12)
    assert split_position("pkgs/a/b.nix:12") == ("pkgs/a/b.nix", 12)
    assert split_position("nonsense") is None


def test_channel_is_joined_into_package_nodes_by_position(tmp_path):
    tree = tmp_path / "nixpkgs"
    (tree / "pkgs/by-name/he/hello").mkdir(parents=True)
    (tree / "pkgs/by-name/he/hello/package.nix").write_bytes(HELLO)
    snapshot("nixpkgs", {"kind": "repo", "path": str(tree), "use_gitignore": False, "include": ["pkgs/**"]},
             tmp_path / "raw/nixpkgs/manifest.json", tmp_path)
    build_source_graph(tmp_path / "raw/nixpkgs/manifest.json", tmp_path / "g/nixpkgs.sqlite", None)
    (tmp_path / "packages.json.br").write_bytes(brotli.compress(json.dumps(PACKAGES).encode()))
    fetch_packages("channel", {"path": "packages.json.br"}, tmp_path / "raw/channel/packages.json", workdir=tmp_path)
    build_channel_graph(tmp_path / "raw/channel/packages.json", tmp_path / "g/channel.sqlite", None, "channel")
    report = merge_graphs([tmp_path / "g/nixpkgs.sqlite", tmp_path / "g/channel.sqlite"], tmp_path / "graph.sqlite",
                          tmp_path / "report.json")
    assert report["channel"][0]["packages_joined"] == 1
    con = sqlite3.connect(tmp_path / "graph.sqlite")
    meta = json.loads(con.execute("SELECT meta_json FROM nodes WHERE kind = 'package'").fetchone()[0])
    assert meta["pname"] == "hello"   # the parser's facts stay; `expressions` is the nix team's (contract)
    assert meta["channel"] == {"attr": "hello", "version": "2.12.2", "license": "GPL-3.0-or-later",
                               "description": "A program that produces a familiar, friendly greeting",
                               "homepage": "https://www.gnu.org/software/hello/manual/"}
