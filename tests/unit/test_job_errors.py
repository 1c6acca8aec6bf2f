"""Every error that ends a job is one line in the job's log and on the terminal (issue 15 row 5)."""

import pytest

from nanodex.pipeline import job_name, run_step
from nanodex.sources.discourse import scrape_discourse
from nanodex.sources.http import HttpConfig, PoliteClient
from nanodex.testing.faults import FaultServer


def scrape(url, out):
    client = PoliteClient(1000, HttpConfig(retries=1, backoff=0.01, timeout=0.5))
    return scrape_discourse("forum", {"url": url}, out, client=client)


def run(tmp_path, *args):
    log = tmp_path / "logs" / "scrape_discourse" / "forum.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with pytest.raises(SystemExit) as ex:
        run_step(str(log), *args)
    assert ex.value.code == 1
    return log.read_text()


def test_fault_mid_body_ends_in_one_line_in_the_log_and_on_the_terminal(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NANODEX_DEBUG", raising=False)
    with FaultServer() as srv:
        srv.route("/latest.json", '{"topic_list": {"topics": []}}', ["reset"] * 5)
        text = run(tmp_path, scrape, srv.url(), tmp_path / "raw" / "topics.jsonl")
        url = srv.url("/latest.json")
    err = capsys.readouterr().err.strip().splitlines()
    expected = (f"scrape_discourse forum: {url}: connection reset; gave up after 1 retries; "
                "the server may be down or overloaded: run again later")
    assert err == [f"nanodex: {expected}"]
    errors = [line for line in text.splitlines() if " ERROR " in line]
    assert len(errors) == 1 and errors[0].endswith(expected)
    assert "Traceback" not in text


def boom():
    raise ValueError("bad\nthing")


def test_unexpected_error_is_one_line_and_debug_shows_the_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NANODEX_DEBUG", raising=False)
    text = run(tmp_path, boom)
    err = capsys.readouterr().err.strip()
    assert err.startswith("nanodex: scrape_discourse forum: unexpected ValueError at test_job_errors.py:")
    assert "bad thing; this is a bug in nanodex: run again with NANODEX_DEBUG=1" in err
    assert "\n" not in err and "Traceback" not in text
    monkeypatch.setenv("NANODEX_DEBUG", "1")
    text = run(tmp_path, boom)
    assert "Traceback" in text and "Traceback" in capsys.readouterr().err


def test_job_name_from_the_log_path():
    assert job_name("logs/scrape_discourse/forum.log") == "scrape_discourse forum"
    assert job_name("logs/graph_merge.log") == "graph_merge"
    assert job_name(None) == ""
