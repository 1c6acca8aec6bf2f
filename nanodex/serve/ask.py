"""`nanodex ask`: stream an answer from any OpenAI-compatible endpoint (the local vLLM server by
default), with the adapter's name as the model."""

from __future__ import annotations

import json
import os
import sys

import requests

from ..errors import NanodexError


def served_models(base_url: str, timeout: float = 10) -> list[str]:
    try:
        r = requests.get(f"{base_url}/models", timeout=timeout, headers=_auth())
        r.raise_for_status()
        return [m["id"] for m in r.json().get("data", [])]
    except (requests.RequestException, ValueError):
        return []


def _auth() -> dict:
    key = os.environ.get("OPENAI_API_KEY")
    return {"Authorization": f"Bearer {key}"} if key else {}


def ask(question: str, base_url: str = "http://127.0.0.1:8000/v1", model: str = "nanodex",
        system: str | None = None, max_tokens: int = 512, temperature: float = 0.0, out=None,
        timeout: float = 120) -> str:
    """Stream the answer to `out` (stdout) as it arrives; return it whole."""
    out = out or sys.stdout
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": question}]
    body = {"model": model, "messages": messages, "max_tokens": max_tokens, "temperature": temperature,
            "stream": True}
    try:
        resp = requests.post(f"{base_url}/chat/completions", json=body, stream=True, timeout=timeout,
                             headers=_auth())
    except requests.ConnectionError:
        raise NanodexError(f"cannot reach {base_url}: is the server running? start it with `nanodex serve`") \
            from None
    except requests.Timeout:
        raise NanodexError(f"{base_url} did not answer within {timeout:.0f}s") from None
    if resp.status_code == 404 or (resp.status_code == 400 and "model" in resp.text.lower()):
        models = served_models(base_url)
        raise NanodexError(f"model {model!r} is not served at {base_url}; served models: "
                           f"{', '.join(models) or 'none'}")
    if resp.status_code != 200:
        raise NanodexError(f"{base_url}/chat/completions answered HTTP {resp.status_code}: {resp.text[:200]}")
    parts = []
    for line in resp.iter_lines(decode_unicode=True):
        if not line or not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            break
        try:
            delta = json.loads(data)["choices"][0].get("delta", {}).get("content") or ""
        except (ValueError, KeyError, IndexError):
            raise NanodexError(f"{base_url}: a malformed stream chunk: {data[:120]}") from None
        parts.append(delta)
        out.write(delta)
        out.flush()
    out.write("\n")
    return "".join(parts)
