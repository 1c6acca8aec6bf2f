"""nixpkgs archives: verified downloads, one top-level folder, member/size/ratio limits (issue 15 row 4).
Real archives built in the test, served by the fault server on localhost."""

import io
import json
import os
import random
import tarfile

import pytest

from nanodex.errors import SourceError
from nanodex.sources.http import HttpConfig, PoliteClient
from nanodex.sources.nixpkgs import extract_tarball, snapshot_nixpkgs
from nanodex.testing.faults import FaultServer

PKG = b'{ stdenv }: stdenv.mkDerivation { pname = "hello"; version = "2.12"; }\n'
GZ = {"Content-Type": "application/gzip"}


def tarball(members: dict, sizes: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


GOOD = {f"nixpkgs-abc/pkgs/p{i}/package.nix": PKG + b"# " + random.Random(i).randbytes(5000).hex().encode()
        for i in range(20)}   # ~2x compressible, like source text


def client():
    return PoliteClient(1000, HttpConfig(retries=1, backoff=0.01, respect_robots=False))


@pytest.fixture
def srv():
    with FaultServer() as s:
        yield s


def spec(srv, **kw):
    return {"rev": "abc", "tarball_url": srv.url("/{repo}/archive/{rev}.tar.gz"), **kw}


PATH = "/NixOS/nixpkgs/archive/abc.tar.gz"


@pytest.mark.parametrize("fault,why", [("cut", "damaged or cut short"), ("html", "not a gzip archive")])
def test_bad_download_is_refused_not_kept_and_fetched_again(srv, tmp_path, fault, why):
    srv.route(PATH, tarball(GOOD), [fault], headers=GZ)
    out = tmp_path / "raw/manifest.json"
    with pytest.raises(SourceError, match=why) as err:
        snapshot_nixpkgs("nixpkgs", spec(srv), out, client=client())
    assert "\n" not in str(err.value)
    assert not (tmp_path / "raw/abc.tar.gz").exists()
    m = snapshot_nixpkgs("nixpkgs", spec(srv), out, client=client())   # next run: fetched again, good
    assert m["extracted_files"] == 20 and len(m["sha256"]) == 64
    assert len(srv.hits(PATH)) == 2


def test_sha256_from_config_is_checked(srv, tmp_path):
    srv.route(PATH, tarball(GOOD), headers=GZ)
    with pytest.raises(SourceError, match="does not match the config's sha256 0000"):
        snapshot_nixpkgs("nixpkgs", spec(srv, sha256="0000"), tmp_path / "raw/manifest.json", client=client())
    assert not (tmp_path / "raw/abc.tar.gz").exists()


def test_kept_archive_is_checked_against_its_recorded_hash(srv, tmp_path):
    srv.route(PATH, tarball(GOOD), headers=GZ)
    out = tmp_path / "raw/manifest.json"
    snapshot_nixpkgs("nixpkgs", spec(srv), out, client=client())
    snapshot_nixpkgs("nixpkgs", spec(srv), out, client=client())
    assert len(srv.hits(PATH)) == 1                                 # kept and verified: no request
    (tmp_path / "raw/abc.tar.gz").write_bytes(tarball({"nixpkgs-abc/x.nix": b"swapped"}))
    m = snapshot_nixpkgs("nixpkgs", spec(srv), out, client=client())
    assert len(srv.hits(PATH)) == 2 and m["extracted_files"] == 20   # swapped file: fetched again
    assert json.loads((tmp_path / "raw/abc.tar.gz.sha256.json").read_text())["sha256"] == m["sha256"]


def test_two_top_level_folders_are_refused(tmp_path):
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(tarball({"one/pkgs/a.nix": b"first", "two/pkgs/a.nix": b"second"}))
    with pytest.raises(SourceError, match=r"2 top-level folders \(one, two\); expected exactly one"):
        extract_tarball(archive, tmp_path / "tree")
    assert not (tmp_path / "tree").exists()


@pytest.mark.parametrize("limits,why", [
    ({"max_members": 10}, r"more than 10 members"),
    ({"max_bytes": 100_000}, r"unpacks to more than 100000 bytes"),
    ({"max_ratio": 1.5}, r"expands more than 1.5x"),
])
def test_archive_limits_are_configurable_and_each_refusal_is_one_line(srv, tmp_path, limits, why):
    srv.route(PATH, tarball(GOOD), headers=GZ)
    with pytest.raises(SourceError, match=why) as err:
        snapshot_nixpkgs("nixpkgs", spec(srv, archive_limits=limits), tmp_path / "raw/manifest.json",
                         client=client())
    assert "\n" not in str(err.value) and "archive_limits." in str(err.value)
    assert not (tmp_path / "raw/tree").exists()


def test_a_bomb_is_refused_from_its_headers_before_anything_is_written(tmp_path):
    # 64 MB of zeros in a ~60 KB archive (ratio ~1000): refused by the default ratio limit, fast
    archive = tmp_path / "bomb.tar.gz"
    archive.write_bytes(tarball({"top/zeros": bytes(64 << 20)}))
    assert os.path.getsize(archive) < 200_000
    with pytest.raises(SourceError, match="expands more than 100x"):
        extract_tarball(archive, tmp_path / "tree")
    assert not (tmp_path / "tree").exists() and not (tmp_path / "tree.partial").exists()
