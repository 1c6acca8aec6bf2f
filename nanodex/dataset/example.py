"""One training example: chat messages plus where it came from.

`id` is the content hash of the messages, so the same example has the same id in every run.
"""

from __future__ import annotations

import hashlib

import orjson

DEFAULT_SYSTEM = ("You are nanodex, an assistant that knows the Nix ecosystem and the code it was trained on. "
                  "Answer precisely, cite the files and attributes you rely on, and say so when something "
                  "does not exist.")


def make_example(system: str, user: str, assistant: str, category: str, source: str, refs: list[str],
                 group: str, **meta) -> dict:
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user},
                {"role": "assistant", "content": assistant}]
    digest = hashlib.blake2b(orjson.dumps(messages), digest_size=16).hexdigest()
    return {"id": digest, "messages": messages, "category": category, "source": source, "refs": refs,
            "meta": {"group": group, **meta}}


def user_text(ex: dict) -> str:
    return ex["messages"][1]["content"]


def assistant_text(ex: dict) -> str:
    return ex["messages"][2]["content"]
