"""nixpkgs tarball snapshots (safe extraction) and the NixOS options source, end to end into the graph."""

import io
import sqlite3
import tarfile

import orjson
import pytest

from nanodex.errors import SourceError
from nanodex.graph.build import build_source_graph
from nanodex.graph.dumps import build_options_graph
from nanodex.graph.merge import merge_graphs
from nanodex.sources.http import HttpConfig, PoliteClient
from nanodex.sources.nixpkgs import extract_tarball, snapshot_nixpkgs
from nanodex.sources.options import fetch_options

HELLO = b'{ lib, stdenv, fetchurl }: stdenv.mkDerivation { pname = "hello"; version = "2.12"; }\n'
OLD = b'{ stdenv, hello }: stdenv.mkDerivation rec { pname = "greeter"; version = "1"; buildInputs = [ hello ]; }\n'
MODULE = (b'{ config, lib, ... }: { options.services.greeter.enable = lib.mkEnableOption "greeter"; }\n')


def tarball(members: dict, extra=None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info)
    return buf.getvalue()


GOOD = {"nixpkgs-abc/pkgs/by-name/he/hello/package.nix": HELLO,
        "nixpkgs-abc/pkgs/tools/greeter/default.nix": OLD,
        "nixpkgs-abc/nixos/modules/services/greeter.nix": MODULE,
        "nixpkgs-abc/README.md": b"readme\n"}


def client():
    return PoliteClient(1000, HttpConfig(retries=1, backoff=0.01, respect_robots=False))


def test_tarball_snapshot_and_graph(httpserver, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    httpserver.expect_request("/NixOS/nixpkgs/archive/abc.tar.gz").respond_with_data(tarball(GOOD))
    spec = {"rev": "abc", "tarball_url": httpserver.url_for("/{repo}/archive/{rev}.tar.gz")}
    m = snapshot_nixpkgs("nixpkgs", spec, tmp_path / "raw/manifest.json", client=client())
    assert [f["path"] for f in m["files"]] == ["nixos/modules/services/greeter.nix",
                                               "pkgs/by-name/he/hello/package.nix", "pkgs/tools/greeter/default.nix"]
    assert m["rev"] == "abc" and m["kind"] == "nixpkgs"
    snapshot_nixpkgs("nixpkgs", spec, tmp_path / "raw/manifest.json", client=client())
    assert len(httpserver.log) == 1                      # the tarball is kept: one request in all
    report = build_source_graph(tmp_path / "raw/manifest.json", tmp_path / "nixpkgs.sqlite", None)
    assert report["nodes"]["by_kind_lang"]["package"] == {"nix": 2}
    con = sqlite3.connect(tmp_path / "nixpkgs.sqlite")
    attrs = dict(con.execute("SELECT json_extract(meta_json, '$.attr'), json_extract(meta_json, '$.version') "
                             "FROM nodes WHERE kind = 'package'"))
    assert attrs == {"hello": "2.12", "greeter": "1"}
    assert ("nixpkgs:pkgs/tools/greeter/default.nix#arg:hello", "nixpkgs:pkgs/by-name/he/hello/package.nix#pkg:hello") \
        in set(con.execute("SELECT src, dst FROM edges WHERE kind = 'resolves_to'"))


def _link(name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


def _device(name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.CHRTYPE
    return info


@pytest.mark.parametrize("members, extra, why", [
    ({"nixpkgs-abc/../evil.nix": b"x"}, None, "leaves the tree"),
    ({"/etc/evil.nix": b"x"}, None, "has an absolute path"),
    (GOOD, [_link("nixpkgs-abc/pkgs/escape", "../../../etc/passwd")], "links outside the tree"),
    (GOOD, [_link("nixpkgs-abc/pkgs/abs", "/etc/passwd")], "links to an absolute path"),
    (GOOD, [_link("nixpkgs-abc/pkgs/hard", "other-top/file", tarfile.LNKTYPE)], "links outside the tree"),
    (GOOD, [_device("nixpkgs-abc/pkgs/dev")], "is a device file or pipe"),
])
def test_unsafe_tarballs_are_refused(tmp_path, members, extra, why):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tarball(members, extra))
    with pytest.raises(SourceError, match=why):
        extract_tarball(archive, tmp_path / "tree")
    assert not (tmp_path / "tree").exists() and not (tmp_path / "tree.partial").exists()
    assert not (tmp_path / "evil.nix").exists()


def test_github_metadata_with_token_never_leaks(httpserver, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secretvalue123")
    httpserver.expect_request("/NixOS/nixpkgs/archive/abc.tar.gz").respond_with_data(tarball(GOOD))
    httpserver.expect_request("/api/repos/NixOS/nixpkgs").respond_with_json(
        {"full_name": "NixOS/nixpkgs", "url": httpserver.url_for("/api/repos/NixOS/nixpkgs"), "name": "nixpkgs"})
    httpserver.expect_request("/api/repos/NixOS/nixpkgs/commits/abc").respond_with_json(
        {"sha": "abc1234567890", "commit": {"committer": {"date": "2026-11-01T12:00:00Z", "name": "x"}}})
    spec = {"rev": "abc", "tarball_url": httpserver.url_for("/{repo}/archive/{rev}.tar.gz"),
            "github_api": httpserver.url_for("/api")}
    m = snapshot_nixpkgs("nixpkgs", spec, tmp_path / "raw/manifest.json", client=client())
    assert m["rev"] == "abc1234567890" and m["commit_date"].startswith("2026-11-01")
    api_reqs = [r for r, _ in httpserver.log if r.path.startswith("/api/")]
    assert api_reqs and all(r.headers["Authorization"].endswith("ghp_secretvalue123") for r in api_reqs)
    assert b"ghp_secretvalue123" not in (tmp_path / "raw/manifest.json").read_bytes()
    assert "ghp_secretvalue123" not in caplog.text


OPTIONS = {
    "services.greeter.enable": {"type": "boolean", "default": False,
                                "description": {"_type": "mdDoc", "text": "Run it."},
                                "declarations": ["/nix/store/xyz-source/nixos/modules/services/greeter.nix"]},
    "services.greeter.port": {"type": "16 bit unsigned integer", "default": 80,
                              "example": {"_type": "literalExpression", "text": "8080"},
                              "declarations": ["https://github.com/NixOS/nixpkgs/blob/master/nixos/modules/services/greeter.nix"]},
}


def test_options_from_url_linked_to_their_module(httpserver, tmp_path):
    httpserver.expect_request("/options.json").respond_with_json(OPTIONS)
    fetch_options("options", {"url": httpserver.url_for("/options.json")}, tmp_path / "options.json", client=client())
    opts = orjson.loads((tmp_path / "options.json").read_bytes())
    assert opts["services.greeter.enable"]["description"] == "Run it."
    assert opts["services.greeter.port"]["example"] == "8080"
    build_options_graph(tmp_path / "options.json", tmp_path / "options.sqlite", None, "options")
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tarball(GOOD))
    httpserver.expect_request("/t.tar.gz").respond_with_data(archive.read_bytes())
    snapshot_nixpkgs("nixpkgs", {"rev": "abc", "tarball_url": httpserver.url_for("/t.tar.gz")},
                     tmp_path / "raw/manifest.json", client=client())
    build_source_graph(tmp_path / "raw/manifest.json", tmp_path / "nixpkgs.sqlite", None)
    merge_graphs([tmp_path / "options.sqlite", tmp_path / "nixpkgs.sqlite"], tmp_path / "graph.sqlite")
    con = sqlite3.connect(tmp_path / "graph.sqlite")
    assert sorted(con.execute("SELECT src, dst FROM edges WHERE kind = 'declared_in'")) == [
        ("options:option:services.greeter.enable", "nixpkgs:nixos/modules/services/greeter.nix"),
        ("options:option:services.greeter.port", "nixpkgs:nixos/modules/services/greeter.nix")]


def test_bad_options_file_is_one_line(tmp_path):
    bad = tmp_path / "o.json"
    bad.write_text('{"a": ')
    with pytest.raises(SourceError, match=r"o.json: invalid JSON .*expected an options.json dump"):
        fetch_options("options", {"path": str(bad)}, tmp_path / "out.json")
    bad.write_text("[1, 2]")
    with pytest.raises(SourceError, match="no options found"):
        fetch_options("options", {"path": str(bad)}, tmp_path / "out.json")
