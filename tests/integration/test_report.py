"""The run a person sees: the terminal summary at the end of `snakemake`, no "Shell command: None",
and report.html opened in headless Chromium (a screenshot; the first page has the eval table)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, use_tiny_model

pytestmark = pytest.mark.integration

BIN = str(Path(sys.executable).parent)
CHROMIUM = next((c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)


def snakemake(work, *args):
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    proc = subprocess.run([f"{BIN}/snakemake", "-c2", *args], cwd=work, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"snakemake {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return proc


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = copy_project(tmp_path_factory.mktemp("report"))
    use_tiny_model(work)
    proc = snakemake(work, "all")
    return work, proc.stdout + proc.stderr


def test_run_ends_with_a_summary_and_no_empty_shell_commands(run):
    work, out = run
    assert "Shell command: None" not in out
    assert re.search(r"^nanodex: dataset examples \d+ train \+ \d+ eval", out, re.M), out[-3000:]
    assert "nanodex: eval, base model vs adapter (reports/demo/eval.md):" in out
    assert "nanodex: adapter in models/demo/adapter/" in out
    assert re.search(r"^step 3/3 \(100%\) loss [\d.]+ .*tokens/s \| ETA", out, re.M) or \
        re.search(r"train: step 3/3 \(100%\)", out), "no training progress line on the terminal"


def test_report_first_page_has_the_tables(run, tmp_path):
    work, _ = run
    snakemake(work, "--report", "report.html")
    html = (work / "report.html").read_text()
    summary = (work / "reports/demo/summary.rst").read_text()
    assert "**Eval: base model vs adapter**" in summary and "Sample questions and answers" in summary
    assert "Eval: base model vs adapter" in html     # the workflow description (first page) includes it
    if CHROMIUM is None:
        pytest.skip("no chromium here (apt-get install chromium): the screenshot check is skipped")
    shot = tmp_path / "report.png"
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000",
                          "--dump-dom", (work / "report.html").as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = re.sub(r"<[^>]+>", " ", dom.stdout)
    assert "Eval: base model vs adapter" in text and "<table" in dom.stdout, dom.stdout[:2000]
    assert "System Message" not in text, "an RST error on the first page"
    assert re.search(r"held-out[^<]*</(td|p)>", dom.stdout), "no eval row on the first page"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1400,2000", "--virtual-time-budget=8000", f"--screenshot={shot}",
                    (work / "report.html").as_uri()], capture_output=True, timeout=120, check=True)
    from PIL import Image

    img = Image.open(shot).convert("L")
    assert img.size == (1400, 2000)
    lo, hi = img.getextrema()
    assert hi - lo > 100, "the screenshot is blank"
    if os.environ.get("NANODEX_SCREENSHOT"):
        shutil.copy(shot, os.environ["NANODEX_SCREENSHOT"])
