"""One client for OpenAI-compatible endpoints (vLLM, a teacher's API): chat completions whole or
streamed (server-sent events), and the served models. Used by the brain's LLM summaries and by
`nanodex ask`; each caller turns the errors below into its own one-line message."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import requests

from .errors import NanodexError


class LlmClientError(NanodexError):
    """The endpoint could not be used; `url` is the one asked."""

    def __init__(self, message: str, url: str):
        super().__init__(message)
        self.url = url


class Unreachable(LlmClientError):
    """No connection to the endpoint."""


class TimedOut(LlmClientError):
    """The endpoint did not answer within the timeout."""


class HttpStatus(LlmClientError):
    """An answer other than HTTP 200; `status` and `text` (the body)."""

    def __init__(self, url: str, status: int, text: str):
        super().__init__(f"{url} answered HTTP {status}: {text[:200]}", url)
        self.status, self.text = status, text


class BadFormat(LlmClientError):
    """An answer that is not in the OpenAI format; `data` is the part that is not."""

    def __init__(self, url: str, data: str = ""):
        super().__init__(f"{url} did not answer in the OpenAI chat format", url)
        self.data = data


class ChatClient:
    """`base_url` ends in /v1; the API key, if any, comes from the environment variable `api_key_env`."""

    def __init__(self, base_url: str, timeout: float = 60.0, api_key_env: str | None = "OPENAI_API_KEY"):
        self.base_url = base_url.rstrip("/")
        self.chat_url = self.base_url + "/chat/completions"
        self.timeout = timeout
        key = os.environ.get(api_key_env) if api_key_env else None
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.session = requests.Session()

    def _request(self, method: str, url: str, timeout: float | None = None, **kwargs) -> requests.Response:
        try:
            return self.session.request(method, url, headers=self.headers, timeout=timeout or self.timeout, **kwargs)
        except requests.ConnectionError:
            raise Unreachable(f"cannot reach {url}", url) from None
        except requests.Timeout:
            raise TimedOut(f"{url} did not answer within {timeout or self.timeout}s", url) from None

    def _post_chat(self, body: dict, stream: bool) -> requests.Response:
        r = self._request("POST", self.chat_url, json=body, stream=stream)
        if r.status_code != 200:
            raise HttpStatus(self.chat_url, r.status_code, r.text)
        return r

    def complete(self, model: str, messages: list[dict], max_tokens: int, temperature: float = 0) -> str:
        """The answer's text (stripped)."""
        body = {"model": model, "messages": messages, "max_tokens": max_tokens, "temperature": temperature}
        r = self._post_chat(body, stream=False)
        try:
            return r.json()["choices"][0]["message"]["content"].strip()
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise BadFormat(self.chat_url, r.text[:120]) from None

    def stream(self, model: str, messages: list[dict], max_tokens: int, temperature: float = 0.0) -> Iterator[str]:
        """The answer's pieces as they arrive. The request is sent (and its status checked) at once;
        the pieces are read as the iterator is."""
        body = {"model": model, "messages": messages, "max_tokens": max_tokens, "temperature": temperature,
                "stream": True}
        return self._deltas(self._post_chat(body, stream=True))

    def _deltas(self, resp: requests.Response) -> Iterator[str]:
        for line in resp.iter_lines(decode_unicode=True):
            if not line or not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            try:
                yield json.loads(data)["choices"][0].get("delta", {}).get("content") or ""
            except (ValueError, KeyError, IndexError):
                raise BadFormat(self.chat_url, data[:120]) from None

    def models(self, timeout: float | None = None) -> list[str]:
        """The ids of the served models."""
        url = self.base_url + "/models"
        r = self._request("GET", url, timeout=timeout)
        if r.status_code != 200:
            raise HttpStatus(url, r.status_code, r.text)
        try:
            return [m["id"] for m in r.json().get("data", [])]
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BadFormat(url, r.text[:120]) from None
