"""Optional LLM summaries through any OpenAI-compatible endpoint (the project's own vLLM server, or a
larger teacher's). Requests go out in parallel batches; answers are cached by the hash of
(model, prompt), so a re-run asks only for what changed. An unreachable endpoint is one clear error."""

from __future__ import annotations

import hashlib
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import NanodexError
from ..llm_client import BadFormat, ChatClient, HttpStatus, TimedOut, Unreachable

PROMPT = ("Summarise this {kind} for a developer in at most {tokens} words. Use only the facts given; "
          "name the file.\n\nFacts:\n{facts}\n\nDraft summary:\n{draft}")


class LlmSummarizer:
    def __init__(self, url: str, model: str, cache_path: str | Path, max_tokens: int = 96, batch_size: int = 8,
                 timeout: float = 60.0, api_key_env: str = "OPENAI_API_KEY"):
        self.client = ChatClient(url, timeout, api_key_env)
        self.url = self.client.chat_url
        self.model, self.max_tokens, self.batch_size, self.timeout = model, max_tokens, batch_size, timeout
        Path(cache_path).parent.mkdir(parents=True, exist_ok=True)
        self.cache = sqlite3.connect(str(cache_path), check_same_thread=False)
        self.cache.execute("CREATE TABLE IF NOT EXISTS summaries (key TEXT PRIMARY KEY, text TEXT NOT NULL)")
        self.requests = 0
        self.hits = 0

    def prompt(self, rec: dict) -> str:
        facts = [f"name: {rec['qualified_name']}", f"kind: {rec['kind']}", f"file: {rec['path']}"]
        if rec.get("signature"):
            facts.append(f"signature: {rec['signature']}")
        if rec.get("docstring"):
            facts.append(f"doc: {rec['docstring'][:800]}")
        for k, v in (rec.get("context") or {}).items():
            facts.append(f"{k}: {', '.join(v) if isinstance(v, list) else v}")
        return PROMPT.format(kind=rec["kind"], tokens=self.max_tokens, facts="\n".join(facts), draft=rec["summary"])

    def _key(self, prompt: str) -> str:
        return hashlib.sha256(f"{self.model}\0{self.max_tokens}\0{prompt}".encode()).hexdigest()

    def _ask(self, prompt: str) -> str:
        try:
            return self.client.complete(self.model, [{"role": "user", "content": prompt}], self.max_tokens * 2)
        except Unreachable:
            raise NanodexError(f"brain.llm.url: cannot reach {self.url}; start the server (e.g. `nanodex serve`) or "
                               f"set brain.summarizer: template") from None
        except TimedOut:
            raise NanodexError(f"brain.llm.url: {self.url} did not answer within {self.timeout}s") from None
        except HttpStatus as exc:
            raise NanodexError(f"brain.llm: {self.url} answered HTTP {exc.status}: {exc.text[:200]}") from None
        except BadFormat:
            raise NanodexError(f"brain.llm: {self.url} did not answer in the OpenAI chat format") from None

    def __call__(self, records: list[dict]) -> list[str]:
        prompts = [self.prompt(r) for r in records]
        keys = [self._key(p) for p in prompts]
        cached = dict(self.cache.execute(
            f"SELECT key, text FROM summaries WHERE key IN ({','.join('?' * len(keys))})", keys)) if keys else {}
        todo = sorted({k: p for k, p in zip(keys, prompts, strict=True) if k not in cached}.items())
        self.hits += len(keys) - len(todo)
        if todo:
            with ThreadPoolExecutor(self.batch_size) as pool:
                answers = list(pool.map(self._ask, [p for _, p in todo]))
            self.requests += len(todo)
            self.cache.executemany("INSERT OR REPLACE INTO summaries VALUES (?, ?)",
                                   [(k, a) for (k, _), a in zip(todo, answers, strict=True)])
            self.cache.commit()
            cached.update({k: a for (k, _), a in zip(todo, answers, strict=True)})
        return [cached[k] for k in keys]
