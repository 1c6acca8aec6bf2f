"""Issue 13's Nix cases, one authored file each (tests/unit/nix_cases/*.nix), with exact expectations."""

import json
from pathlib import Path

import pytest

from nanodex.graph.extract import extract_bytes
from nanodex.graph.lang.nix import DATA_NODES_PER_FILE

CASES = Path(__file__).parent / "nix_cases"


def run(case: str, path: str):
    res = extract_bytes((CASES / case).read_bytes(), "nix", "t", path)
    assert res.status == "ok"
    nodes = {n[0].split("#", 1)[1] if "#" in n[0] else "module": n for n in res.nodes}
    deps = sorted((e[0].split("#")[1], e[1].split("#")[1]) for e in res.edges if e[2] == "depends_on")
    return res, nodes, deps


def meta(nodes, key):
    return json.loads(nodes[key][11])


def test_every_input_list_optional_attrvalues_with_and_let_alias():
    _, nodes, deps = run("inputs_lists.nix", "pkgs/by-name/li/lists/package.nix")
    assert meta(nodes, "pkg:lists") == {
        "attr": "lists", "builder": "stdenv.mkDerivation", "pname": "lists", "version": "2.0",
        "src": {"fetcher": "fetchurl", "args": {"url": "https://example.org/lists-2.0.tar.gz", "hash": "sha256-B="}},
        "inputs": {"nativeBuildInputs": ["cmake", "openssl"],            # lib.optional cond x: one item
                   "buildInputs": ["zlib", "libvncserver-patched"],      # a let-bound list, a let alias
                   "nativeInstallCheckInputs": ["pytest"],
                   "depsBuildBuild": ["stdenv.cc"],
                   "propagatedBuildInputs": ["python3Packages.requests", "python3Packages.click"],
                   "nativeCheckInputs": ["hypothesis"]},                 # with python3Packages; [ .. ]
    }
    # the alias gives its package; `with python3Packages;` gives python3Packages
    assert deps == [("pkg:lists", f"arg:{a}") for a in
                    sorted(["cmake", "libvncserver", "openssl", "pytest", "python3Packages", "stdenv", "zlib"])]


def test_let_fetcher_inherit_and_fetchpypi_inherit_pname_version_and_license_list():
    _, nodes, _ = run("let_fetcher.nix", "pkgs/by-name/le/letpkg/package.nix")
    assert meta(nodes, "pkg:letpkg") == {
        "attr": "letpkg", "builder": "python3Packages.buildPythonApplication", "pname": "letpkg",
        "version": "0.9.1",
        "src": {"fetcher": "fetchPypi", "args": {"hash": "sha256-C=", "pname": "letpkg", "version": "0.9.1"}},
        # interpolation resolved through the let; a license string stays whole (no "0" fragment)
        "meta": {"description": "A letpkg tool", "license": ["mit", "GPL-2.0"]},
    }


def test_expressions_are_marked_and_never_stated_as_facts():
    _, nodes, _ = run("expressions.nix", "pkgs/by-name/ex/expr/package.nix")
    m = meta(nodes, "pkg:expr")
    assert m == {"attr": "expr", "builder": "stdenv.mkDerivation",
                 "expressions": {"name": "repo", "version": 'lib.removePrefix "v" dxvk.version', "src": "dxvk",
                                 "meta.homepage": "metadata.homepage"}}
    assert "version" not in m and "pname" not in m and "name" not in m
    assert nodes["pkg:expr"][9] == "expr"   # the signature states no version


def test_builders_override_write_shell_application_symlink_join():
    _, nodes, deps = run("builders.nix", "pkgs/sets/builders.nix")
    assert meta(nodes, "pkg:tool") == {"attr": "tool", "builder": "buildGoModule", "pname": "tool", "version": "1.0",
                                       "expressions": {"builder": "buildGoModule.override { go = go_1_22; }"}}
    assert meta(nodes, "pkg:script") == {"attr": "script", "builder": "writeShellApplication", "name": "script",
                                         "pname": "script", "inputs": {"runtimeInputs": ["jq"]}}
    assert meta(nodes, "pkg:joined") == {"attr": "joined", "builder": "symlinkJoin", "name": "joined",
                                         "pname": "joined", "inputs": {"paths": ["hello"]}}
    assert deps == [("pkg:joined", "arg:hello"), ("pkg:script", "arg:jq")]


def test_options_let_merge_package_submodule_and_renames():
    res, nodes, _ = run("options.nix", "modules/new.nix")
    opts = {n[4]: json.loads(n[11]) for n in res.nodes if n[2] == "option"}
    assert opts == {
        "services.new.enable": {"declared_with": "mkEnableOption", "type": "types.bool", "default": "true",
                                "description": "Whether to enable the new service."},   # `// { default = true; }`
        "services.new.package": {"declared_with": "mkPackageOption", "type": "types.package", "package": "hello"},
        "services.new.port": {"declared_with": "mkOption", "type": "types.port", "default": "80"},   # options = let
        "users.users": {"declared_with": "mkOption", "type": "types.attrsOf (types.submodule userOpts)",
                        "default": "{ }"},
        "users.users.<name>.home": {"declared_with": "mkOption", "type": "types.str",
                                    "description": "Home directory."},
    }
    renames = {n[4]: json.loads(n[11]) for n in res.nodes if n[2] == "option_rename"}
    assert renames == {
        "services.old.enable": {"from": "services.old.enable", "to": "services.new.enable", "how": "renamed",
                                "message": None, "declared_with": "mkRenamedOptionModule"},
        "services.gone": {"from": "services.gone", "to": None, "how": "removed",
                          "message": "Use services.new instead.", "declared_with": "mkRemovedOptionModule"},
    }


@pytest.mark.parametrize("case", ["kernel_config.nix"])
def test_plain_data_is_capped_per_file_and_counted(case):
    res, nodes, _ = run(case, "pkgs/os-specific/linux/kernel/common-config.nix")
    variables = [n for n in res.nodes if n[2] == "variable"]
    assert len(variables) == DATA_NODES_PER_FILE == 200
    assert [n[3] for n in res.nodes if n[2] == "function"] == ["helper"]   # code is never capped
    assert json.loads(nodes["module"][11]) == {"data_nodes_capped": 5}


def test_override_attrs_on_a_let_bound_package_merges_and_reads_prev():
    _, nodes, deps = run("override_attrs.nix", "pkgs/by-name/ba/base/package.nix")
    assert meta(nodes, "pkg:base") == {
        "attr": "base", "builder": "stdenv.mkDerivation", "pname": "base", "version": "1.1",   # the override wins
        "src": {"fetcher": "fetchurl", "args": {"url": "https://example.org/base.tar.gz", "hash": "sha256-D="}},
        "inputs": {"buildInputs": ["zstd"], "nativeBuildInputs": ["cmake", "zstd"]},   # prevAttrs.x ++ [ .. ]
    }
    assert deps == [("pkg:base", "arg:cmake"), ("pkg:base", "arg:zstd")]
