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


def test_override_of_a_taken_package_is_a_package_with_its_additions():
    _, nodes, deps = run("override_taken.nix", "pkgs/bpftools-full/default.nix")
    assert meta(nodes, "pkg:bpftools-full") == {
        "attr": "bpftools-full", "builder": "bpftools.overrideAttrs", "overrides": "bpftools", "version": "7.5",
        "inputs": {"buildInputs": ["libcap"], "nativeBuildInputs": ["gcc"]},   # what the override adds
        "expressions": {"inputs.buildInputs": "prevAttrs.buildInputs",
                        "inputs.nativeBuildInputs": "prevAttrs.nativeBuildInputs"},
    }
    assert deps == [("pkg:bpftools-full", "arg:gcc"), ("pkg:bpftools-full", "arg:libcap")]


def test_override_attrs_on_a_builder_call_reads_the_call():
    _, nodes, _ = run("override_builder_call.nix", "board/kernel.nix")
    assert meta(nodes, "pkg:linux-board") == {
        "builder": "buildLinux", "pname": "linux-board", "version": "6.6.1-stable_1",
        "src": {"fetcher": "fetchFromGitHub",
                "args": {"owner": "board", "repo": "linux", "tag": "stable_1", "hash": "sha256-K="}},
    }


def test_packages_inside_a_nixos_module_config():
    _, nodes, deps = run("module_packages.nix", "board/module.nix")
    pkgs = {k: meta(nodes, k) for k in nodes if k.startswith("pkg:")}
    assert pkgs == {
        "pkg:board-udev-rules": {"builder": "stdenv.mkDerivation", "name": "board-udev-rules",
                                 "meta": {"description": "Udev rules for the board's fan"}},
        "pkg:acpi-override": {"attr": "acpi-override", "builder": "pkgs.stdenv.mkDerivation", "name": "acpi-override",
                              "inputs": {"nativeBuildInputs": ["acpica-tools", "cpio"]},
                              "expressions": {"src": "pkgs.callPackage ./src.nix { }"}},   # not a fetcher
        "pkg:fix-sleep": {"builder": "pkgs.writeShellApplication", "name": "fix-sleep",
                          "inputs": {"runtimeInputs": ["pkgs.kmod"]}},
    }   # `pkgs.runCommand "pen-support-6.1.patch" ..`: a module's inline script writer is not a package;
    # and a nested `name` is not split into pname + version ("pen-support" at "6.1.patch" would be wrong)
    assert deps == []   # `pkgs.kmod` is no dependency on `pkgs`


def test_a_wrapped_package_is_the_files_and_passthru_packages_are_read():
    _, nodes, deps = run("wrapped_and_passthru.nix", "pkgs/board-firmware/default.nix")
    assert meta(nodes, "pkg:board-firmware") == {
        "attr": "board-firmware", "builder": "stdenvNoCC.mkDerivation", "pname": "board-firmware", "version": "2.1",
        "src": {"fetcher": "fetchurl", "args": {"url": "https://example.org/fw-2.1.tar", "hash": "sha256-F="}},
        "inputs": {"nativeBuildInputs": ["cpio"]},
    }
    assert meta(nodes, "pkg:board-firmware-extractor") == {
        "attr": "passthru.extractor", "builder": "stdenvNoCC.mkDerivation", "pname": "board-firmware-extractor",
        "version": "0.3",
        "src": {"fetcher": "fetchurl", "args": {"url": "https://example.org/extractor-0.3.tar", "hash": "sha256-E="}},
    }
    assert deps == [("pkg:board-firmware", "arg:cpio")]


def test_overlay_entries_that_override_a_package():
    _, nodes, _ = run("overlay_overrides.nix", "overlays/default.nix")
    assert meta(nodes, "pkg:foo_git") == {
        "attr": "foo_git", "builder": "prev.foo.overrideAttrs", "overrides": "prev.foo", "version": "2.0-unstable",
        "src": {"fetcher": "final.fetchFromGitHub",
                "args": {"owner": "o", "repo": "foo", "rev": "abc1234", "hash": "sha256-G="}},
    }
    assert meta(nodes, "pkg:foo-scanner_git") == {   # `inherit (final.foo_git) src;` alone, kept as expression
        "attr": "foo-scanner_git", "builder": "prev.foo-scanner.overrideAttrs", "overrides": "prev.foo-scanner",
        "expressions": {"src": "final.foo_git.src"},
    }
    assert nodes["plain"][2] == "variable"
