"""Answer scores: identifier recall, ROUGE-L, Nix code that parses; bootstrap confidence intervals."""

from __future__ import annotations

import functools
import random
import re

from ..dataset.validate import nix_blocks, nix_parses

_TICKS = re.compile(r"`([^`\n]{1,120})`")
_OPTION = re.compile(r"(?<![\w.-])([a-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){2,})")
_PKGS = re.compile(r"\bpkgs\.([A-Za-z0-9_][A-Za-z0-9_+-]*)")
_WORD = re.compile(r"\w+")


def identifiers(text: str) -> set[str]:
    """What a reference names: `code spans` (functions, attributes, paths), option paths, pkgs.attrs."""
    ids = {t.strip() for t in _TICKS.findall(text) if t.strip() and " " not in t.strip()}
    ids |= set(_OPTION.findall(text))
    ids |= {f"pkgs.{a}" for a in _PKGS.findall(text)}
    return ids


def identifier_recall(reference: str, prediction: str) -> float | None:
    ref = identifiers(reference)
    if not ref:
        return None
    return sum(1 for i in ref if i in prediction) / len(ref)


def rouge_l(reference: str, prediction: str) -> float:
    """ROUGE-L F1 (the reference implementation, `rouge-score`: lower-cased alphanumeric tokens)."""
    return _rouge().score(reference, prediction)["rougeL"].fmeasure


@functools.cache
def _rouge():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)


def nix_parse_ok(prediction: str) -> bool | None:
    blocks = nix_blocks(prediction)
    if not blocks:
        return None
    return all(nix_parses(b) for b in blocks)


def _bootstrap(n: int, stat, seed: int, rounds: int, level: float) -> list[float] | None:
    """The percentile bootstrap: `stat` of `rounds` resamples (n indices drawn with replacement)."""
    if not n:
        return None
    rng = random.Random(seed)
    stats = sorted(stat([rng.randrange(n) for _ in range(n)]) for _ in range(rounds))
    lo = stats[int((1 - level) / 2 * rounds)]
    hi = stats[min(rounds - 1, int((1 + level) / 2 * rounds))]
    return [round(lo, 4), round(hi, 4)]


def bootstrap_ci(values: list[float], seed: int = 0, rounds: int = 1000, level: float = 0.95) -> list[float] | None:
    """CI of a mean, resampling the values."""
    n = len(values)
    return _bootstrap(n, lambda idx: sum(values[i] for i in idx) / n, seed, rounds, level)


def ratio_ci(sums: list[float], counts: list[int], seed: int = 0, rounds: int = 1000,
             level: float = 0.95) -> list[float] | None:
    """CI of a token-weighted mean (sum of losses / sum of tokens), resampling examples."""
    return _bootstrap(len(sums), lambda idx: sum(sums[i] for i in idx) / max(1, sum(counts[i] for i in idx)),
                      seed, rounds, level)


def summary(values: list[float], seed: int = 0) -> dict:
    return {"mean": round(sum(values) / len(values), 4) if values else None, "n": len(values),
            "ci95": bootstrap_ci(values, seed)}
