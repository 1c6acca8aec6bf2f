"""One polite HTTP client for every web source: every request, first or retried, goes through it.

- identifies itself (User-Agent `nanodex/<version> (<http.contact>)`) and obeys robots.txt;
- per-host rate limit (requests/s, spaced evenly: no bursts), applied to every request that goes
  to the network, retries and redirect hops included: the cache (requests-cache) sits in front of
  it, so a cache hit costs no request. `counter["network"]` counts exactly those requests;
- one retry loop (ours, not urllib3's, so that each retry is rate-limited and counted): 408/429/5xx,
  connection errors and faults in the middle of a body (reset, short body, stall) are retried with
  exponential backoff; a `Retry-After` is honoured but capped at `max_wait`; every wait longer than
  a few seconds is logged; MediaWiki's `maxlag` error (an HTTP 200) is retried the same way;
- answers are read in chunks and refused past `max_bytes` (never buffered whole); downloads stream
  to a file with their own cap;
- conditional requests (ETag / Last-Modified) when a cached answer has expired;
- timeouts always set; tokens only from the environment (`${NAME}` in a URL is filled in at request
  time), and redacted from every URL written to a log, an error, a manifest or the cache.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import orjson
import requests
from requests.adapters import HTTPAdapter

from .. import __version__
from ..errors import ConfigError, NanodexError

log = logging.getLogger(__name__)

RETRY_STATUS = (408, 429, 500, 502, 503, 504)
SECRET_PARAMS = ("api_key", "apikey", "api-key", "key", "token", "access_token", "auth", "password", "secret",
                 "signature", "sig", "client_secret")
_SECRET_PARAM = re.compile(r"(?i)((?:[?&;]|\b)(?:" + "|".join(map(re.escape, SECRET_PARAMS)) + r")=)[^&\s#\"']+")
_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s@:]+(?::[^/\s@]*)?@")
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
LOG_WAIT_S = 2.0          # waits longer than this are logged
MAX_REDIRECTS = 10


class FetchError(NanodexError):
    """A request that failed for good: `url`, what happened and what to do, on one line."""

    def __init__(self, url: str, what: str, status: int | None = None, hint: str = ""):
        self.url, self.status = redact(url), status
        super().__init__(f"{self.url}: {redact(what)}" + (f"; {hint}" if hint else ""))


def redact(text: str) -> str:
    """Secrets out of URLs and text: `token=...`-like parameters and `user:pass@` userinfo."""
    return _USERINFO.sub(r"\1***@", _SECRET_PARAM.sub(r"\1***", str(text)))


def expand_env(url: str) -> str:
    """`${NAME}` in a configured URL -> the environment's value (so the config holds no token)."""
    def sub(m):
        if m.group(1) not in os.environ:
            raise ConfigError(f"{url}: environment variable {m.group(1)} is not set; export it or remove "
                              f"${{{m.group(1)}}} from the URL")
        return os.environ[m.group(1)]
    return _ENV.sub(sub, url)


def user_agent(contact: str = "") -> str:
    return f"nanodex/{__version__}" + (f" ({contact})" if contact else "")


def _http_default(key: str, scale: float | None = None):
    """A field defaulting to config/schema.yaml's `http.<key>` (its one home), read when a config is made."""
    def get():
        from ..config import schema_default  # here: nanodex.config imports this module

        value = schema_default("http", key)
        return value if scale is None else float(value) * scale
    return field(default_factory=get)


@dataclass
class HttpConfig:
    user_agent: str = ""            # "" = nanodex/<version> (<contact>)
    contact: str = ""               # an e-mail or URL where the operator can be reached
    timeout: float = _http_default("timeout")
    retries: int = _http_default("retries")
    backoff: float = _http_default("backoff")
    max_backoff: float = 120.0      # not a config key
    max_wait: float = _http_default("max_wait")     # cap on any single wait (Retry-After, backoff, maxlag)
    max_bytes: int = _http_default("max_bytes")     # an answer larger than this is refused (downloads: own cap)
    cache: str = ""                 # path of the sqlite cache; "" = no cache (the pipeline's config names one)
    cache_expire_s: float = _http_default("cache_expire_hours", 3600)
    respect_robots: bool = _http_default("respect_robots")

    def __post_init__(self):
        if not self.user_agent:
            self.user_agent = user_agent(self.contact)

    @classmethod
    def from_config(cls, cfg: dict | None) -> HttpConfig:
        cfg = cfg or {}
        kw = {key: cfg[key] for key in ("user_agent", "contact", "timeout", "retries", "backoff", "max_backoff",
                                        "max_wait", "max_bytes", "cache", "respect_robots")
              if cfg.get(key) is not None}
        if "cache_expire_hours" in cfg:
            kw["cache_expire_s"] = float(cfg["cache_expire_hours"]) * 3600
        return cls(**kw)   # an empty user_agent becomes the default in __post_init__, its one home


def _is_local(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1") or host.endswith(".localhost")


def check_contact(config: dict) -> None:
    """Every web source fetched over the network needs `http.contact` (MediaWiki's User-Agent policy
    wants a way to reach the operator). Local dumps and localhost servers do not."""
    if (config.get("http") or {}).get("contact"):
        return
    for name, src in sorted((config.get("sources") or {}).items()):
        web = src.get("kind") in ("mediawiki", "discourse", "nixos-options", "nixos-packages")
        if web and not src.get("path") and src.get("url") and not _is_local(src["url"]):
            raise ConfigError(f"config.http.contact: missing; source {name} fetches {redact(src['url'])}, and "
                              "the User-Agent must name a contact (an e-mail address or URL), e.g. "
                              "`contact: mailto:you@example.org`")


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


class TooLarge(NanodexError):
    pass


def read_capped(resp, limit: int, url: str) -> bytes:
    """The body of `resp`, read in chunks; refused as soon as it passes `limit` bytes."""
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > limit:
        resp.close()
        raise TooLarge(f"{redact(url)}: answer of {int(length)} bytes is over http.max_bytes ({limit}); "
                       "raise http.max_bytes if this is expected")
    chunks, n = [], 0
    for block in resp.iter_content(1 << 16):
        n += len(block)
        if n > limit:
            resp.close()
            raise TooLarge(f"{redact(url)}: answer passed http.max_bytes ({limit} bytes) while reading; "
                           "raise http.max_bytes if this is expected")
        chunks.append(block)
    return b"".join(chunks)


class _LimitedAdapter(HTTPAdapter):
    """Rate-limits and counts every request that really goes out (cache hits never reach an
    adapter), and reads non-streamed bodies here, in chunks, under the size cap."""

    def __init__(self, client: PoliteClient, **kw):
        self.client = client
        super().__init__(max_retries=0, **kw)

    def send(self, request, stream=False, **kw):
        c = self.client
        c.limiter.wait(urlsplit(request.url).netloc)
        c.count("network")
        resp = super().send(request, stream=True, **kw)
        if not stream:
            resp._content = read_capped(resp, c.config.max_bytes, request.url)
            resp._content_consumed = True
        return resp


# Faults worth another try: connection level and in the middle of a body.
_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
              requests.exceptions.ContentDecodingError)


class PoliteClient:
    def __init__(self, rate_limit: float = 1.0, config: HttpConfig | None = None, token_env: str | None = None,
                 token_header: str = "Authorization", token_prefix: str = "Bearer "):
        self.config = config or HttpConfig()
        self.counter: dict[str, int] = {}
        self._lock = threading.Lock()
        self.limiter = HostRateLimiter(rate_limit)
        if self.config.cache:
            import requests_cache

            self.session = requests_cache.CachedSession(
                self.config.cache, backend="sqlite", expire_after=self.config.cache_expire_s,
                cache_control=False, allowable_codes=(200,), stale_if_error=False,
                match_headers=False, ignored_parameters=["maxlag", *SECRET_PARAMS])
        else:
            self.session = requests.Session()
        self.session.max_redirects = MAX_REDIRECTS
        adapter = _LimitedAdapter(self)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.config.user_agent
        self.session.headers["Accept-Encoding"] = "gzip, deflate, br"
        token = os.environ.get(token_env) if token_env else None
        if token:
            self.session.headers[token_header] = f"{token_prefix}{token}"
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def count(self, key: str, n: int = 1) -> None:
        with self._lock:
            self.counter[key] = self.counter.get(key, 0) + n

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
            except (requests.RequestException, NanodexError):
                rp.allow_all = True   # no robots.txt reachable: nothing forbids
            self._robots[base] = rp
        return self._robots[base].can_fetch(self.config.user_agent, url)

    # -- waiting -----------------------------------------------------------------------------
    def backoff(self, attempt: int) -> float:
        return min(self.config.backoff * 2 ** attempt, self.config.max_backoff, self.config.max_wait)

    def sleep(self, seconds: float, url: str, why: str) -> None:
        """Wait before a retry; long waits are logged (a silent hour-long sleep looks like a hang)."""
        if seconds > LOG_WAIT_S:
            log.warning("waiting %.1fs before retrying %s (%s)", seconds, redact(url), why)
        with self._lock:
            self.counter["waited_s"] = round(self.counter.get("waited_s", 0) + seconds, 3)
        time.sleep(seconds)

    def _wait_for(self, resp, attempt: int) -> tuple[float, str]:
        ra = _retry_after(resp)
        if ra is None:
            return self.backoff(attempt), f"HTTP {resp.status_code}, no Retry-After: backoff"
        if ra > self.config.max_wait:
            return self.config.max_wait, (f"HTTP {resp.status_code}, Retry-After {ra:.0f}s capped at "
                                          f"http.max_wait {self.config.max_wait:.0f}s")
        return ra, f"HTTP {resp.status_code}, Retry-After {ra:.0f}s"

    # -- requests ----------------------------------------------------------------------------
    def get(self, url: str, params=None, *, stream: bool = False, fresh: bool = False) -> requests.Response:
        """`fresh`: the answer may have changed since it was cached (lists, a topic that was bumped):
        revalidate with the server (a conditional request, 304 when unchanged) instead of trusting the cache."""
        url = expand_env(url)
        if not self.allowed(url):
            raise FetchError(url, "disallowed by robots.txt; not fetched", hint="leave this URL out of the config")
        retries = self.config.retries
        for attempt in range(retries + 1):
            kw = self._freshness(url, params) if fresh and self.config.cache else {}
            last = attempt == retries
            try:
                if stream and self.config.cache:
                    with self.session.cache_disabled():
                        resp = self.session.get(url, params=params, timeout=self.config.timeout, stream=True)
                else:
                    resp = self.session.get(url, params=params, timeout=self.config.timeout, stream=stream, **kw)
            except requests.TooManyRedirects:
                raise FetchError(url, f"redirect loop (more than {MAX_REDIRECTS} redirects)",
                                 hint="check the URL in the config") from None
            except TooLarge as exc:
                raise FetchError(url, str(exc).split(": ", 1)[1]) from None
            except _TRANSIENT as exc:
                what = _describe(exc, self.config.timeout)
                if last:
                    raise FetchError(url, f"{what}; gave up after {attempt} retries",
                                     hint="the server may be down or overloaded: run again later") from None
                self.count("retries")
                self.sleep(self.backoff(attempt), url, what)
                continue
            self.count("requests")
            if getattr(resp, "from_cache", False):
                self.count("cache_hits")
            if resp.status_code in RETRY_STATUS and not last:
                wait, why = self._wait_for(resp, attempt)
                resp.close()
                self.count("retries")
                self.sleep(wait, url, why)
                continue
            if resp.status_code >= 400:
                what = f"HTTP {resp.status_code}"
                hint = ""
                if resp.status_code in RETRY_STATUS:
                    what += f" after {attempt} retries"
                    hint = "the server is overloaded or rate-limiting: lower rate_limit or run again later"
                raise FetchError(resp.url or url, what, resp.status_code, hint)
            return resp
        raise AssertionError("unreachable")

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
                data = orjson.loads(decode_body(resp))
            except orjson.JSONDecodeError as exc:
                _uncache(self.session, resp)
                raise FetchError(resp.url, f"invalid JSON ({exc}); expected a JSON document "
                                           f"({len(resp.content)} bytes received)") from None
            err = data.get("error") if isinstance(data, dict) else None
            if isinstance(err, dict) and err.get("code") == "maxlag" and attempt < tries:
                _uncache(self.session, resp)
                wait = min(_retry_after(resp) or self.backoff(attempt), self.config.max_wait)
                log.info("maxlag at %s (lag %ss): waiting %.1fs", redact(resp.url), err.get("lag"), wait)
                self.count("maxlag_waits")
                self.sleep(wait, resp.url, "maxlag")
                continue
            return data
        raise FetchError(url, f"server still lagged (maxlag) after {tries} retries", hint="run again later")

    def download(self, url: str, dest, max_bytes: int | None = None, chunk: int = 1 << 20) -> int:
        """Stream `url` to `dest`, under `max_bytes`; a fault mid-body restarts the download (the
        retry is rate-limited and counted like any other). Returns the number of bytes."""
        limit = max_bytes or self.config.max_bytes
        for attempt in range(self.config.retries + 1):
            n = 0
            try:
                with self.get(url, stream=True) as resp, open(dest, "wb") as fh:
                    length = resp.headers.get("Content-Length")
                    if length and length.isdigit() and int(length) > limit:
                        raise FetchError(url, f"download of {int(length)} bytes is over the limit ({limit})",
                                         hint="raise max_archive_bytes if this is expected")
                    for block in resp.iter_content(chunk):
                        n += len(block)
                        if n > limit:
                            raise FetchError(url, f"download passed the limit ({limit} bytes)",
                                             hint="raise max_archive_bytes if this is expected")
                        fh.write(block)
                return n
            except _TRANSIENT as exc:
                what = _describe(exc, self.config.timeout)
                if attempt == self.config.retries:
                    raise FetchError(url, f"{what} after {n} bytes; gave up after {attempt} retries",
                                     hint="run again later") from None
                self.count("retries")
                self.sleep(self.backoff(attempt), url, what)
        raise AssertionError("unreachable")

    def close(self):
        self.session.close()


def decode_body(resp) -> bytes:
    return decode_bytes(resp.content)


def decode_bytes(data: bytes) -> bytes:
    """JSON bytes as sent, decoded: `Content-Encoding: br` is decoded by urllib3 when brotli is
    installed; raw brotli bytes (a client, proxy or file that did not) are decoded here."""
    if data.lstrip()[:1] in (b"{", b"[") or not data:
        return data
    import brotli

    try:
        return brotli.decompress(data)
    except brotli.error:
        return data


def _describe(exc: Exception, timeout: float) -> str:
    text = str(exc)
    if isinstance(exc, requests.Timeout) or "timed out" in text:
        return f"timed out after {timeout}s"
    if "reset" in text.lower():
        return "connection reset"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or "IncompleteRead" in text:
        return "answer cut short (connection closed mid-body)"
    return f"connection failed ({_reason(exc)})"


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
