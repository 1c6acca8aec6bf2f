"""The polite client against a real HTTP server on localhost (pytest-httpserver)."""

import time

import pytest
from werkzeug import Response

from nanodex.sources.http import FetchError, HttpConfig, PoliteClient, redact


def cfg(**kw):
    return HttpConfig(**{"retries": 3, "backoff": 0.01, "timeout": 5, **kw})


@pytest.fixture
def robots(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private\n")
    return httpserver


def hits(server, path):
    return sum(1 for req, _ in server.log if req.path == path)


def test_429_retry_after_is_honoured(robots):
    robots.expect_oneshot_request("/api").respond_with_data("slow down", status=429, headers={"Retry-After": "1"})
    robots.expect_oneshot_request("/api").respond_with_json({"ok": True})
    client = PoliteClient(100, cfg())
    t0 = time.monotonic()
    assert client.get_json(robots.url_for("/api")) == {"ok": True}
    assert time.monotonic() - t0 >= 0.95
    assert hits(robots, "/api") == 2


def test_5xx_retried_then_success(robots):
    for status in (503, 502):
        robots.expect_oneshot_request("/api").respond_with_data("oops", status=status)
    robots.expect_oneshot_request("/api").respond_with_json({"ok": 1})
    assert PoliteClient(100, cfg()).get_json(robots.url_for("/api")) == {"ok": 1}
    assert hits(robots, "/api") == 3


def test_5xx_gives_up_with_one_line(robots):
    robots.expect_request("/api").respond_with_data("down", status=500)
    with pytest.raises(FetchError) as err:
        PoliteClient(100, cfg(retries=2)).get_json(robots.url_for("/api"))
    assert "/api: gave up after 2 retries" in str(err.value) or "HTTP 500" in str(err.value)
    assert "\n" not in str(err.value)
    assert hits(robots, "/api") == 3


def test_permanent_404_is_not_retried(robots):
    robots.expect_request("/gone").respond_with_data("no", status=404)
    with pytest.raises(FetchError) as err:
        PoliteClient(100, cfg()).get_json(robots.url_for("/gone"))
    assert err.value.status == 404
    assert str(err.value) == f"{robots.url_for('/gone')}: HTTP 404"
    assert hits(robots, "/gone") == 1


def test_truncated_json_names_the_url(robots):
    robots.expect_request("/t/1.json").respond_with_data('{"post_stream": {"posts": [', content_type="application/json")
    with pytest.raises(FetchError, match=r"/t/1\.json: invalid JSON .* expected a JSON document"):
        PoliteClient(100, cfg()).get_json(robots.url_for("/t/1.json"))


def test_rate_limit_spaces_requests(robots):
    robots.expect_request("/api").respond_with_json({})
    client = PoliteClient(10, cfg())
    t0 = time.monotonic()
    for _ in range(6):
        client.get_json(robots.url_for("/api"))
    assert time.monotonic() - t0 >= 0.5 - 0.02   # 6 requests at 10/s: 5 gaps of 0.1 s


def test_cache_hit_costs_no_request_and_conditional_revalidation(robots, tmp_path):
    def handler(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response('{"n": 1}', content_type="application/json", headers={"ETag": '"v1"'})

    robots.expect_request("/data").respond_with_handler(handler)
    client = PoliteClient(100, cfg(cache=str(tmp_path / "cache.sqlite"), cache_expire_s=1))
    url = robots.url_for("/data")
    assert client.get_json(url) == {"n": 1}
    assert client.get_json(url) == {"n": 1}
    assert hits(robots, "/data") == 1
    assert client.counter["cache_hits"] == 1
    time.sleep(1.2)   # expired: revalidated with a conditional request, answered 304
    assert client.get_json(url) == {"n": 1}
    assert hits(robots, "/data") == 2
    req = [r for r, _ in robots.log if r.path == "/data"][-1]
    assert req.headers.get("If-None-Match") == '"v1"'



def test_robots_txt_is_obeyed(robots):
    robots.expect_request("/private/x").respond_with_json({})
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        PoliteClient(100, cfg()).get(robots.url_for("/private/x"))
    assert hits(robots, "/private/x") == 0


def test_timeout_is_reported(robots):
    def slow(request):
        time.sleep(1.5)
        return Response("{}")

    robots.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchError, match=r"/slow: timed out after 0.5s; gave up after 0 retries"):
        PoliteClient(100, cfg(timeout=0.5, retries=0)).get(robots.url_for("/slow"))


def test_maxlag_is_waited_out(robots):
    robots.expect_oneshot_request("/w/api.php").respond_with_json(
        {"error": {"code": "maxlag", "info": "Waiting for a database server: 7 seconds lagged", "lag": 7}},
        headers={"Retry-After": "1"})
    robots.expect_oneshot_request("/w/api.php").respond_with_json({"query": {}})
    client = PoliteClient(100, cfg())
    t0 = time.monotonic()
    assert client.get_json(robots.url_for("/w/api.php"), {"maxlag": 5}) == {"query": {}}
    assert time.monotonic() - t0 >= 0.95
    assert client.counter["maxlag_waits"] == 1


def test_token_from_env_is_sent_but_never_shown(robots, monkeypatch):
    monkeypatch.setenv("NANODEX_TEST_TOKEN", "s3cr3t-value")
    robots.expect_request("/api").respond_with_data("no", status=403)
    client = PoliteClient(100, cfg(), token_env="NANODEX_TEST_TOKEN")
    with pytest.raises(FetchError) as err:
        client.get(robots.url_for("/api") + "?api_key=s3cr3t-value")
    req = [r for r, _ in robots.log if r.path == "/api"][0]
    assert req.headers["Authorization"] == "Bearer s3cr3t-value"
    assert "s3cr3t-value" not in str(err.value)
    assert redact("https://x/api?token=abc&b=1") == "https://x/api?token=***&b=1"


def test_user_agent_names_the_project_and_contact(robots):
    robots.expect_request("/api").respond_with_json({})
    PoliteClient(100, cfg(contact="mailto:ops@example.org")).get_json(robots.url_for("/api"))
    req = [r for r, _ in robots.log if r.path == "/api"][0]
    assert req.headers["User-Agent"].startswith("nanodex/") and "(mailto:ops@example.org)" in req.headers["User-Agent"]


def test_fresh_requests_revalidate_instead_of_trusting_the_cache(robots, tmp_path):
    state = {"etag": '"v1"', "body": '{"n": 1}'}

    def handler(request):
        if request.headers.get("If-None-Match") == state["etag"]:
            return Response(status=304, headers={"ETag": state["etag"]})
        return Response(state["body"], content_type="application/json", headers={"ETag": state["etag"]})

    robots.expect_request("/latest.json").respond_with_handler(handler)
    client = PoliteClient(100, cfg(cache=str(tmp_path / "c.sqlite")))
    url = robots.url_for("/latest.json")
    assert client.get_json(url, fresh=True) == {"n": 1}
    assert client.get_json(url, fresh=True) == {"n": 1}      # 304: the cached body, one cheap request
    state.update(etag='"v2"', body='{"n": 2}')
    assert client.get_json(url, fresh=True) == {"n": 2}      # changed upstream: the new answer, not the cache
    assert client.get_json(url) == {"n": 2}                   # a plain get trusts the (fresh) cache
    assert hits(robots, "/latest.json") == 3
