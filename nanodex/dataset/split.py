"""Train / val / eval split by source group (file, package file, wiki page, forum topic): a group is
wholly in one split, so nothing the model is tested on leaked into its training data.

- eval: held-out groups, reported (generalisation to files never seen);
- val: other held-out groups, plus held-out phrasings of a share of taught facts: checkpoint
  selection only, disjoint from every reported set;
- recall (a reported set): held-out phrasings of the remaining taught facts.
"""

from __future__ import annotations

import hashlib


def _frac(seed: int, salt: str, key: str) -> float:
    h = int.from_bytes(hashlib.blake2b(f"{seed}\0{salt}{key}".encode(), digest_size=8).digest(), "big")
    return (h % 1_000_000) / 1_000_000


def in_eval(group: str, ratio: float, seed: int) -> bool:
    h = int.from_bytes(hashlib.blake2b(f"{seed}\0{group}".encode(), digest_size=8).digest(), "big")
    return (h % 1_000_000) < ratio * 1_000_000


def split_of(group: str, eval_ratio: float, val_ratio: float, seed: int) -> str:
    """"eval", "val" or "train" for a group (eval is decided first, as before val existed)."""
    if in_eval(group, eval_ratio, seed):
        return "eval"
    return "val" if _frac(seed, "val\0", group) < val_ratio else "train"


def heldout_split(fact_id: str, val_ratio: float, seed: int) -> str:
    """Where a taught fact's held-out phrasings go: "val" (checkpoint selection) or "recall" (reported)."""
    return "val" if _frac(seed, "valfact\0", fact_id) < val_ratio else "recall"


def order_key(seed: int, example_id: str) -> bytes:
    """Sort key that spreads a fact's paraphrases across the file (not adjacent), stable per seed."""
    return hashlib.blake2b(f"{seed}\0order\0{example_id}".encode(), digest_size=8).digest()
