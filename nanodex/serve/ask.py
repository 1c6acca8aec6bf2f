"""`nanodex ask`: stream an answer from any OpenAI-compatible endpoint (the local vLLM server by
default), with the adapter's name as the model."""

from __future__ import annotations

import sys

from ..errors import NanodexError
from ..llm_client import BadFormat, ChatClient, HttpStatus, LlmClientError, TimedOut, Unreachable


def served_models(base_url: str, timeout: float = 10) -> list[str]:
    try:
        return ChatClient(base_url).models(timeout)
    except LlmClientError:
        return []


def ask(question: str, base_url: str = "http://127.0.0.1:8000/v1", model: str = "nanodex",
        system: str | None = None, max_tokens: int = 512, temperature: float = 0.0, out=None,
        timeout: float = 120) -> str:
    """Stream the answer to `out` (stdout) as it arrives; return it whole."""
    out = out or sys.stdout
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": question}]
    try:
        deltas = ChatClient(base_url, timeout).stream(model, messages, max_tokens, temperature)
    except Unreachable:
        raise NanodexError(f"cannot reach {base_url}: is the server running? start it with `nanodex serve`") \
            from None
    except TimedOut:
        raise NanodexError(f"{base_url} did not answer within {timeout:.0f}s") from None
    except HttpStatus as exc:
        if exc.status == 404 or (exc.status == 400 and "model" in exc.text.lower()):
            models = served_models(base_url)
            raise NanodexError(f"model {model!r} is not served at {base_url}; served models: "
                               f"{', '.join(models) or 'none'}") from None
        raise NanodexError(f"{base_url}/chat/completions answered HTTP {exc.status}: {exc.text[:200]}") from None
    parts = []
    try:
        for delta in deltas:
            parts.append(delta)
            out.write(delta)
            out.flush()
    except BadFormat as exc:
        raise NanodexError(f"{base_url}: a malformed stream chunk: {exc.data}") from None
    out.write("\n")
    return "".join(parts)
