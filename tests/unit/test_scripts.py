"""The rule scripts take what they use from their rule: snakemake.input/params/output/log (and the
job's wildcards, threads and scriptdir), never snakemake.config, so that what shapes an output is a
param Snakemake tracks (rules/common.smk `untracked` for values that do not shape it)."""

from __future__ import annotations

import re

from conftest import ROOT

ALLOWED = {"input", "params", "output", "log", "wildcards", "threads", "resources", "scriptdir"}


def test_scripts_read_only_their_rule():
    scripts = sorted((ROOT / "scripts").glob("*.py"))
    assert scripts
    used = {(p.name, a) for p in scripts for a in re.findall(r"\bsnakemake\.([A-Za-z_]+)", p.read_text())}
    assert sorted(u for u in used if u[1] not in ALLOWED) == []
