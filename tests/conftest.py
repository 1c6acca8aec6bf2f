"""Shared helpers: extract authored snippets and view the result as short, comparable tuples."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from nanodex.graph.extract import extract_bytes

ROOT = Path(__file__).resolve().parent.parent


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
