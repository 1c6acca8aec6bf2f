"""One training example: chat messages plus where it came from.

`id` is the content hash of the messages, so the same example has the same id in every run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import orjson

DEFAULT_SYSTEM = ("You are nanodex, an assistant that knows the Nix ecosystem and the code it was trained on. "
                  "Answer precisely, cite the files and attributes you rely on, and say so when something "
                  "does not exist.")


@dataclass(frozen=True)
class Example:
    """The chat part of an example: an optional system prompt, the question, the answer. On disk an
    example stays a dict ({"id", "messages", "category", ...}); `Example.of` reads one, `messages`
    writes the chat list back."""

    question: str
    answer: str
    system: str | None = None

    @classmethod
    def of(cls, ex: dict) -> Example:
        return cls(user_text(ex), assistant_text(ex), system_text(ex))

    def messages(self) -> list[dict]:
        return ([{"role": "system", "content": self.system}] if self.system is not None else []) + [
            {"role": "user", "content": self.question}, {"role": "assistant", "content": self.answer}]


def make_example(system: str, user: str, assistant: str, category: str, source: str, refs: list[str],
                 group: str, **meta) -> dict:
    messages = Example(user, assistant, system).messages()
    digest = hashlib.blake2b(orjson.dumps(messages), digest_size=16).hexdigest()
    return {"id": digest, "messages": messages, "category": category, "source": source, "refs": refs,
            "meta": {"group": group, **meta}}


def user_text(ex: dict) -> str:
    """The question: the last user turn (the one before the answer)."""
    return ex["messages"][-2]["content"]


def assistant_text(ex: dict) -> str:
    """The answer: the last message."""
    return ex["messages"][-1]["content"]


def system_text(ex: dict) -> str | None:
    """The system prompt, None when the example has none."""
    messages = ex.get("messages") or []
    return messages[0]["content"] if messages and messages[0]["role"] == "system" else None


def prompt_messages(ex: dict) -> list[dict]:
    """What the model is given: every message but the answer."""
    return ex["messages"][:-1]
