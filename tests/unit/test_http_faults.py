"""The HTTP layer against nanodex's own fault-injecting server (issue 15 rows 5, 7, 10)."""

import logging
import time

import pytest

from nanodex.sources.http import FetchError, HttpConfig, PoliteClient
from nanodex.testing.faults import FaultServer

BODY = '{"ok": true, "pad": "' + "x" * 4000 + '"}'


def cfg(**kw):
    return HttpConfig(**{"retries": 3, "backoff": 0.01, "timeout": 0.5, "respect_robots": False, **kw})


@pytest.fixture
def srv():
    with FaultServer(stall_s=2.0) as s:
        yield s


@pytest.mark.parametrize("fault", ["reset", "short", "stall"])
def test_body_faults_are_retried(srv, fault):
    srv.route("/api", BODY, [fault, fault])
    client = PoliteClient(100, cfg())
    assert client.get_json(srv.url("/api"))["ok"] is True
    assert len(srv.hits("/api")) == 3
    assert client.counter["network"] == 3 and client.counter["retries"] == 2


def test_stall_message_counts_the_retries_really_made(srv):
    srv.route("/api", BODY, ["stall"] * 5)
    with pytest.raises(FetchError) as err:
        PoliteClient(100, cfg(retries=1)).get_json(srv.url("/api"))
    msg = str(err.value)
    assert "timed out after 0.5s; gave up after 1 retries" in msg and "\n" not in msg
    assert len(srv.hits("/api")) == 2


def test_redirect_loop_is_one_line(srv):
    srv.route("/loop", BODY, ["redirect_loop"] * 50)
    client = PoliteClient(1000, cfg())
    with pytest.raises(FetchError, match=r"/loop: redirect loop \(more than 10 redirects\); check the URL"):
        client.get(srv.url("/loop"))
    assert client.counter["network"] == 11   # every hop counted


def test_retries_go_through_the_rate_limiter_and_counters(srv):
    srv.route("/api", BODY, ["500", "503", "reset"])
    client = PoliteClient(5, cfg(backoff=0))
    client.get_json(srv.url("/api"))
    times = srv.hits("/api")
    assert len(times) == 4 and client.counter["network"] == 4
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.2 - 0.03   # 5/s, retries included


def test_429_without_retry_after_backs_off_exponentially(srv):
    srv.route("/api", BODY, ["429", "429", "429"])
    client = PoliteClient(1000, cfg(backoff=0.2))
    client.get_json(srv.url("/api"))
    t = srv.hits("/api")
    gaps = [b - a for a, b in zip(t, t[1:], strict=False)]
    assert gaps[0] >= 0.18 and gaps[1] >= 0.38 and gaps[2] >= 0.78   # 0.2, 0.4, 0.8


def test_retry_after_is_capped_by_max_wait_and_logged(srv, caplog):
    srv.route("/api", BODY, ["429:3600"])
    client = PoliteClient(1000, cfg(max_wait=1))
    t0 = time.monotonic()
    with caplog.at_level(logging.INFO):
        client.get_json(srv.url("/api"))
    assert 0.9 <= time.monotonic() - t0 < 5
    client2 = PoliteClient(1000, cfg(max_wait=3))
    srv.route("/b", BODY, ["429:3600"])
    with caplog.at_level(logging.INFO):
        client2.get_json(srv.url("/b"))
    assert any("Retry-After 3600s capped at http.max_wait 3s" in r.getMessage() for r in caplog.records)


def test_huge_answer_is_refused_while_streaming(srv):
    srv.route("/huge", BODY, ["huge"])
    t0 = time.monotonic()
    with pytest.raises(FetchError, match=r"/huge: answer passed http.max_bytes \(1000000 bytes\)"):
        PoliteClient(1000, cfg(max_bytes=1_000_000)).get(srv.url("/huge"))
    assert time.monotonic() - t0 < 5


def test_huge_answer_is_never_cached(srv, tmp_path):
    srv.route("/huge", BODY, ["huge"])
    client = PoliteClient(1000, cfg(max_bytes=1_000_000, cache=str(tmp_path / "c.sqlite")))
    with pytest.raises(FetchError):
        client.get(srv.url("/huge"))
    assert client.get_json(srv.url("/huge"))["ok"] is True   # the next answer, not a cached piece
    assert len(srv.hits("/huge")) == 2


def test_download_restarts_after_a_reset_and_is_capped(srv, tmp_path):
    srv.route("/a.tar.gz", b"A" * 100_000, ["reset"], headers={"Content-Type": "application/gzip"})
    client = PoliteClient(1000, cfg())
    assert client.download(srv.url("/a.tar.gz"), tmp_path / "a") == 100_000
    assert (tmp_path / "a").read_bytes() == b"A" * 100_000
    with pytest.raises(FetchError, match="over the limit"):
        client.download(srv.url("/a.tar.gz"), tmp_path / "b", max_bytes=1000)


def test_tokens_redacted_from_errors_logs_and_cache(srv, tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("NANODEX_T", "tok-secret-123")
    srv.route("/api", BODY, ["503"])
    srv.route("/gone", BODY, ["404"])
    cache = tmp_path / "c.sqlite"
    client = PoliteClient(1000, cfg(cache=str(cache), backoff=3))   # a 3 s wait is logged
    with caplog.at_level(logging.INFO):
        client.get_json(srv.url("/api?token=${NANODEX_T}&page=1"))
        with pytest.raises(FetchError) as err:
            client.get(srv.url("/gone?access_token=${NANODEX_T}"))
    client.close()
    assert srv.log[0][1] == "/api?token=tok-secret-123&page=1"   # sent
    assert "tok-secret-123" not in str(err.value) and "access_token=***" in str(err.value)
    assert "tok-secret-123" not in caplog.text and "token=***" in caplog.text
    assert b"tok-secret-123" not in cache.read_bytes()
