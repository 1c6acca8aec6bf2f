"""Duplicates: exact (hash of the normalised question + answer) and near (MinHash LSH over word
3-shingles, datasketch). The first occurrence in generation order is kept, so the result is stable."""

from __future__ import annotations

import hashlib
import re
import zlib

from .example import assistant_text, user_text

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalised(ex: dict) -> str:
    """Lower-cased question + answer with whitespace collapsed (computed once per example)."""
    cached = ex.get("_norm")
    if cached is None:
        cached = ex["_norm"] = _WS.sub(" ", (user_text(ex) + "\n" + assistant_text(ex)).lower()).strip()
    return cached


def normalised_answer(ex: dict) -> str:
    return _WS.sub(" ", assistant_text(ex).lower()).strip()


class ExactDedup:
    def __init__(self):
        self.seen: set[bytes] = set()

    def is_dup(self, ex: dict) -> bool:
        key = hashlib.blake2b(normalised(ex).encode(), digest_size=12).digest()
        if key in self.seen:
            return True
        self.seen.add(key)
        return False


def crc32(data: bytes) -> int:
    """Deterministic 32-bit shingle hash, many times faster than datasketch's default sha1."""
    return zlib.crc32(data)


def shingles(text: str, k: int = 3) -> set[bytes]:
    words = _WORD.findall(text)
    if len(words) < k:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


class NearDedup:
    """MinHash LSH; `threshold` is the estimated Jaccard similarity above which a later example is a duplicate."""

    def __init__(self, threshold: float = 0.85, num_perm: int = 64, batch: int = 2048, text=normalised):
        from datasketch import MinHash, MinHashLSH

        self.text = text   # what is compared: question + answer, or the answer alone
        self.MinHash = MinHash
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.num_perm, self.threshold, self.batch = num_perm, threshold, batch
        self.ids: list[str] = []

    def filter(self, examples: list[dict]) -> tuple[list[dict], list[dict]]:
        """(kept, duplicates) for a batch, in order; kept ones are indexed for later batches."""
        sigs = self.MinHash.bulk([shingles(self.text(e)) for e in examples], num_perm=self.num_perm, hashfunc=crc32)
        kept, dups = [], []
        for ex, m in zip(examples, sigs, strict=True):
            hits = self.lsh.query(m)
            if hits:
                dups.append((ex, self.ids[min(hits)]))   # the earliest kept example it resembles
                continue
            self.lsh.insert(len(self.ids), m)
            self.ids.append(ex["id"])
            kept.append(ex)
        return kept, dups
