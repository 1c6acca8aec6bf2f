"""One polite HTTP client for every web source.

- identifies itself (User-Agent with the project URL) and obeys robots.txt;
- per-host rate limit (requests/s, spaced evenly: no bursts), applied only to requests that go to
  the network: the cache (requests-cache) sits in front of it, so a cache hit costs no request;
- retries with exponential backoff on 408/429/5xx and connection errors, honouring Retry-After
  (urllib3's Retry); MediaWiki's `maxlag` error (an HTTP 200) is retried the same way;
- conditional requests (ETag / Last-Modified) when a cached answer has expired;
- timeouts always set; tokens only from the environment, and never in logs or error messages.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import orjson
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .. import __version__
from ..errors import NanodexError

log = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/nanodex/nanodex"
RETRY_STATUS = (408, 429, 500, 502, 503, 504)
_SECRET_PARAM = re.compile(r"(?i)((?:api[_-]?key|token|access_token|password|secret)=)[^&\s]+")


class FetchError(NanodexError):
    """A request that failed for good: `url` and what happened, on one line."""

    def __init__(self, url: str, what: str, status: int | None = None):
        self.url, self.status = redact(url), status
        super().__init__(f"{self.url}: {what}")


def redact(text: str) -> str:
    return _SECRET_PARAM.sub(r"\1***", text)


@dataclass
class HttpConfig:
    user_agent: str = f"nanodex/{__version__} (+{PROJECT_URL})"
    timeout: float = 30.0
    retries: int = 5
    backoff: float = 1.0
    max_backoff: float = 120.0
    cache: str = ""                 # path of the sqlite cache; "" = no cache
    cache_expire_s: float = 86400.0
    respect_robots: bool = True

    @classmethod
    def from_config(cls, cfg: dict | None) -> HttpConfig:
        cfg = cfg or {}
        out = cls()
        for key in ("user_agent", "timeout", "retries", "backoff", "max_backoff", "cache", "respect_robots"):
            if key in cfg and cfg[key] is not None:
                setattr(out, key, cfg[key])
        if "cache_expire_hours" in cfg:
            out.cache_expire_s = float(cfg["cache_expire_hours"]) * 3600
        return out


class HostRateLimiter:
    """At most `rate` requests per second per host, evenly spaced (start to start)."""

    def __init__(self, rate: float):
        if rate <= 0:
            raise ValueError("rate must be > 0")
        self.interval = 1.0 / rate
        self.next_at: dict[str, float] = {}
        self.lock = threading.Lock()
        self.waited = 0.0

    def wait(self, host: str) -> None:
        with self.lock:
            now = time.monotonic()
            at = max(now, self.next_at.get(host, now))
            self.next_at[host] = at + self.interval
        if at > now:
            self.waited += at - now
            time.sleep(at - now)


class _LimitedAdapter(HTTPAdapter):
    """Rate-limits and counts requests that really go out (cache hits never reach an adapter)."""

    def __init__(self, limiter: HostRateLimiter, counter: dict, **kw):
        self.limiter, self.counter = limiter, counter
        super().__init__(**kw)

    def send(self, request, **kw):
        self.limiter.wait(urlsplit(request.url).netloc)
        self.counter["network"] = self.counter.get("network", 0) + 1
        return super().send(request, **kw)


class PoliteClient:
    def __init__(self, rate_limit: float = 1.0, config: HttpConfig | None = None, token_env: str | None = None,
                 token_header: str = "Authorization", token_prefix: str = "Bearer "):
        import os

        self.config = config or HttpConfig()
        self.counter: dict[str, int] = {}
        self.limiter = HostRateLimiter(rate_limit)
        if self.config.cache:
            import requests_cache

            self.session = requests_cache.CachedSession(
                self.config.cache, backend="sqlite", expire_after=self.config.cache_expire_s,
                cache_control=False, allowable_codes=(200,), stale_if_error=False,
                match_headers=False, ignored_parameters=["maxlag"])
        else:
            self.session = requests.Session()
        retry = Retry(total=self.config.retries, connect=self.config.retries, read=self.config.retries,
                      status=self.config.retries, backoff_factor=self.config.backoff,
                      backoff_max=self.config.max_backoff, status_forcelist=RETRY_STATUS,
                      allowed_methods=frozenset({"GET", "HEAD"}), respect_retry_after_header=True,
                      raise_on_status=False)
        adapter = _LimitedAdapter(self.limiter, self.counter, max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.config.user_agent
        self.session.headers["Accept-Encoding"] = "gzip, deflate"
        token = os.environ.get(token_env) if token_env else None
        if token:
            self.session.headers[token_header] = f"{token_prefix}{token}"
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    # -- robots.txt --------------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        if not self.config.respect_robots:
            return True
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._robots:
            rp = urllib.robotparser.RobotFileParser()
            try:
                r = self.session.get(base + "/robots.txt", timeout=self.config.timeout)
                if r.status_code == 200:
                    rp.parse(r.text.splitlines())
                elif r.status_code in (401, 403):
                    rp.disallow_all = True
                else:
                    rp.allow_all = True
            except requests.RequestException:
                rp.allow_all = True   # no robots.txt reachable: nothing forbids
            self._robots[base] = rp
        return self._robots[base].can_fetch(self.config.user_agent, url)

    # -- requests ----------------------------------------------------------------------------
    def get(self, url: str, params=None, *, stream: bool = False, fresh: bool = False) -> requests.Response:
        """`fresh`: the answer may have changed since it was cached (lists, a topic that was bumped):
        revalidate with the server (a conditional request, 304 when unchanged) instead of trusting the cache."""
        if not self.allowed(url):
            raise FetchError(url, "disallowed by robots.txt; not fetched")
        kw = self._freshness(url, params) if fresh and self.config.cache else {}
        try:
            resp = self.session.get(url, params=params, timeout=self.config.timeout, stream=stream, **kw)
        except requests.exceptions.RetryError as exc:
            raise FetchError(url, f"gave up after {self.config.retries} retries ({_reason(exc)})") from None
        except requests.Timeout:
            raise FetchError(url, f"timed out after {self.config.timeout}s ({self.config.retries} retries)") from None
        except requests.ConnectionError as exc:
            if "timed out" in str(exc):
                raise FetchError(url, f"timed out after {self.config.timeout}s "
                                      f"({self.config.retries} retries)") from None
            raise FetchError(url, f"connection failed after {self.config.retries} retries ({_reason(exc)})") from None
        self.counter["requests"] = self.counter.get("requests", 0) + 1
        if getattr(resp, "from_cache", False):
            self.counter["cache_hits"] = self.counter.get("cache_hits", 0) + 1
        if resp.status_code >= 400:
            what = f"HTTP {resp.status_code}"
            if resp.status_code in RETRY_STATUS:
                what += f" after {self.config.retries} retries"
            raise FetchError(resp.url or url, what, resp.status_code)
        return resp

    def _freshness(self, url: str, params) -> dict:
        """Revalidate a cached answer that has validators (a conditional request, 304 when unchanged);
        one without validators cannot be revalidated, so it is fetched again."""
        cache = self.session.cache
        prepared = self.session.prepare_request(requests.Request("GET", url, params=params))
        cached = cache.get_response(cache.create_key(prepared))
        if cached is not None and (cached.headers.get("ETag") or cached.headers.get("Last-Modified")):
            return {"refresh": True}
        return {"force_refresh": True}

    def get_json(self, url: str, params=None, *, maxlag_retries: int | None = None, fresh: bool = False):
        """GET and decode JSON; MediaWiki `maxlag` answers are waited out and retried."""
        tries = self.config.retries if maxlag_retries is None else maxlag_retries
        for attempt in range(tries + 1):
            resp = self.get(url, params, fresh=fresh)
            try:
                data = orjson.loads(resp.content)
            except orjson.JSONDecodeError as exc:
                _uncache(self.session, resp)
                raise FetchError(resp.url, f"invalid JSON ({exc}); expected a JSON document "
                                           f"({len(resp.content)} bytes received)") from None
            err = data.get("error") if isinstance(data, dict) else None
            if isinstance(err, dict) and err.get("code") == "maxlag" and attempt < tries:
                _uncache(self.session, resp)
                wait = _retry_after(resp) or min(self.config.backoff * 2 ** attempt, self.config.max_backoff)
                log.info("maxlag at %s (lag %ss): waiting %.1fs", redact(resp.url), err.get("lag"), wait)
                self.counter["maxlag_waits"] = self.counter.get("maxlag_waits", 0) + 1
                time.sleep(wait)
                continue
            return data
        raise FetchError(url, f"server still lagged (maxlag) after {tries} retries")

    def download(self, url: str, dest, chunk: int = 1 << 20) -> int:
        """Stream `url` to `dest` (one request); return the number of bytes."""
        n = 0
        with self.get(url, stream=True) as resp, open(dest, "wb") as fh:
            for block in resp.iter_content(chunk):
                fh.write(block)
                n += len(block)
        return n

    def close(self):
        self.session.close()


def _reason(exc: Exception) -> str:
    inner = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", None) or inner
    return redact(str(reason).splitlines()[0])[:200]


def _retry_after(resp) -> float | None:
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _uncache(session, resp) -> None:
    """A bad answer must not be served again from the cache."""
    cache = getattr(session, "cache", None)
    if cache is not None and getattr(resp, "cache_key", None):
        cache.delete(resp.cache_key)
