"""The run's terminal summary and report tables (nanodex/summary.py) and the Snakemake log filter."""

from __future__ import annotations

import json
import logging

from nanodex import snakelog
from nanodex.summary import eval_rows, rst_table, terminal_summary

EVAL = {
    "base_model": "m", "seconds": 3.0,
    "heldout": {"base": {"value": 0.3076, "ci": [0.1771, 0.4208], "n": 12, "metric": "identifier_recall"},
                "adapter": {"value": 0.3492, "ci": [0.2056, 0.5], "n": 12, "metric": "identifier_recall"}},
    "invented_identifiers": {"base": {"value": 0.1951, "ci": [0.125, 0.2128], "n": 41},
                             "adapter": {"value": 0.0638, "ci": [0.0, 0.0857], "n": 47}},
    "nix_set": {"base": {"value": None, "ci": None, "n": 0}, "adapter": {"value": None, "ci": None, "n": 0}},
    "rouge": {"base": {"value": 0.2, "n": 3}, "adapter": {"value": 0.4, "n": 3}},
    "base": {"heldout": {"loss": 2.4}},      # the per-model detail blocks are not metrics
}


def test_eval_rows_contract_first_missing_skipped():
    rows = eval_rows(EVAL)
    assert rows == [
        ("held-out answers (identifier recall)", "0.308 [0.18, 0.42] n=12", "0.349 [0.21, 0.50] n=12"),
        ("invented identifiers (lower is better)", "0.195 [0.12, 0.21] n=41", "0.064 [0.00, 0.09] n=47"),
        ("Nix set", "–", "–"),
        ("rouge", "0.200 n=3", "0.400 n=3"),
    ]   # fact_recall is absent: no row


def _run(tmp_path, with_eval=True):
    (tmp_path / "data/dataset").mkdir(parents=True)
    (tmp_path / "data/dataset/stats.json").write_text(json.dumps({
        "examples": {"train": 212, "eval": 24}, "by_category": {"discovery": 150, "options": 9},
        "by_source": {"demo": 180, "wiki": 56}, "candidates": 300, "dropped": {"length": 4},
        "duplicates": {"exact": 2}}))
    if with_eval:
        (tmp_path / "reports/r1").mkdir(parents=True)
        (tmp_path / "reports/r1/eval.json").write_text(json.dumps(EVAL))
        (tmp_path / "models/r1/adapter").mkdir(parents=True)
        (tmp_path / "models/r1/adapter/adapter_config.json").write_text("{}")
    return terminal_summary({"train": {"run": "r1"}}, tmp_path)


def test_terminal_summary(tmp_path):
    text = _run(tmp_path)
    lines = text.splitlines()
    assert lines[0] == ("nanodex: dataset examples 212 train + 24 eval; categories 2; sources demo 180, wiki 56; "
                        "candidates 300; dropped or duplicates 6")
    assert lines[1] == "nanodex: eval, base model vs adapter (reports/r1/eval.md):"
    assert lines[2].split() == ["metric", "base", "adapter"]
    assert "0.349 [0.21, 0.50] n=12" in lines[3] and lines[3].startswith("  held-out answers")
    assert lines[-1].startswith("nanodex: adapter in models/r1/adapter/; ask it: nanodex ask --local")


def test_terminal_summary_of_a_partial_run(tmp_path):
    assert _run(tmp_path, with_eval=False).count("\n") == 0   # the dataset line only
    assert terminal_summary({"train": {"run": "x"}}, tmp_path / "nothing") == ""


def test_rst_table_is_a_list_table():
    from docutils.core import publish_parts

    html = publish_parts(rst_table([("a*b", "1")], ("metric", "value")), writer="html")["body"]
    assert "<table" in html and "a*b" in html and "<th" in html


def test_empty_shell_commands_are_dropped_and_real_ones_kept():
    from snakemake_interface_logger_plugins.common import LogEvent

    logger = logging.getLogger("test-snakelog")
    snakelog.quiet(logger)
    seen = []
    handler = logging.Handler()
    handler.emit = seen.append
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.info("Shell command: None", extra={"event": LogEvent.SHELLCMD, "shellcmd": None})
    logger.info("Shell command: echo hi", extra={"event": LogEvent.SHELLCMD, "shellcmd": "echo hi"})
    logger.info("other")
    assert [r.getMessage() for r in seen] == ["Shell command: echo hi", "other"]


def test_eval_rows_of_an_eval_json_from_before_the_contract():
    legacy = {"base": {"heldout": {"loss": 2.51, "loss_ci95": [2.1, 2.9], "n_examples": 12}},
              "adapter": {"heldout": {"loss": 1.97, "loss_ci95": [1.6, 2.3], "n_examples": 12}}}
    assert eval_rows(legacy) == [("held-out loss", "2.510 [2.10, 2.90] n=12", "1.970 [1.60, 2.30] n=12")]


def test_rst_table_without_rows_is_not_a_broken_table():
    from docutils.core import publish_parts

    assert "System Message" not in publish_parts(rst_table([], ("a", "b")), writer="html")["body"]
