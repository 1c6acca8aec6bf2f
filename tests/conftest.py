"""Shared helpers: extract authored snippets and view the result as short, comparable tuples."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from nanodex.graph.extract import extract_bytes

ROOT = Path(__file__).resolve().parent.parent
# What a temporary copy of the project needs to run the Snakefile.
PROJECT_FILES = ["Snakefile", "rules", "scripts", "config", "envs", "profiles", "nanodex", "data/demo", "report"]


def copy_project(work: Path, extra=()) -> Path:
    for rel in [*PROJECT_FILES, *extra]:
        src, dst = ROOT / rel, work / rel
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    return work


def use_tiny_model(work: Path, max_steps: int = 3, save_steps: int = 2) -> None:
    """Switch the copy's training to a tiny model made on the spot (seconds instead of minutes)."""
    from nanodex.train.tiny import make_tiny_model

    make_tiny_model(work / "tiny-model", ["How do I enable nginx on NixOS? Set services.nginx.enable."] * 30)
    cfg = work / "config/config.yaml"
    text = cfg.read_text()
    start = text.index("\ntrain:\n")
    cfg.write_text(text[:start] + f"\ntrain:\n  run: demo\n  base_model: tiny-model\n  max_steps: {max_steps}\n"
                   f"  batch_size: 2\n  max_seq_len: 2048\n  save_steps: {save_steps}\n  eval_max_examples: 4\n"
                   "eval:\n  max_examples: 4\n  max_new_tokens: 8\n")


def short(node_id: str) -> str:
    """`t:src/a.py#Pantry.add` -> `Pantry.add`; a module id -> its path."""
    return node_id.split("#", 1)[1] if "#" in node_id else node_id.split(":", 1)[1]


class Extracted:
    def __init__(self, res):
        self.res = res
        self.nodes = [(n[2], short(n[0]), n[7], n[8]) for n in res.nodes]
        self.by_key = {short(n[0]): n for n in res.nodes}
        self.edges = sorted((short(e[0]), short(e[1]), e[2]) for e in res.edges)
        self.refs = sorted((short(r[0]), r[1], r[2]) for r in res.refs)

    def doc(self, key):
        return self.by_key[key][10]

    def sig(self, key):
        return self.by_key[key][9]


@pytest.fixture
def ex():
    def run(lang: str, code: str, path: str = "f"):
        return Extracted(extract_bytes(textwrap.dedent(code).lstrip("\n").encode(), lang, "t", path))
    return run


@pytest.fixture
def venv_bin():
    """Directory with the snakemake of the environment running the tests."""
    import sys
    return str(Path(sys.executable).parent)


def git(*args, cwd):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout
