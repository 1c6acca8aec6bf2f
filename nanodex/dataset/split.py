"""Train/eval split by source group (file, package file, wiki page, forum topic): a group is wholly
in train or wholly in eval, so nothing the model is tested on leaked into its training data."""

from __future__ import annotations

import hashlib


def in_eval(group: str, ratio: float, seed: int) -> bool:
    h = int.from_bytes(hashlib.blake2b(f"{seed}\0{group}".encode(), digest_size=8).digest(), "big")
    return (h % 1_000_000) < ratio * 1_000_000
