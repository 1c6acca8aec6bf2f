"""Scores that read the fact itself, invented identifiers against the graph, key facts of the fixed
Nix set, and bootstrap intervals clustered by group (scipy.stats.bootstrap)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import orjson

from ..errors import NanodexError

_TOKEN = re.compile(r"[A-Za-z_][\w.+'-]*[\w+]|[A-Za-z_]")
_CONTENT = re.compile(r"[a-z0-9][a-z0-9+._-]{3,}")
STOP = {"that", "this", "with", "from", "your", "have", "will", "when", "then", "than", "into", "which", "there",
        "their", "they", "them", "what", "also", "only", "just", "like", "some", "more", "most", "does", "done",
        "make", "sure", "should", "would", "could", "using", "used", "need", "needs", "each", "other"}


def _norm(s: str) -> str:
    return " ".join(str(s).split()).strip("`\"' ").lower()


def contains_value(answer: str, value: str) -> float:
    """1.0 when `value` appears in the answer as a whole token (case-insensitive), else 0.0."""
    v = _norm(value)
    if not v:
        return 0.0
    text = " ".join(answer.split()).lower()
    return 1.0 if re.search(r"(?<![\w.])" + re.escape(v) + r"(?![\w]|\.\d)", text) else 0.0


def content_recall(answer: str, reference: str) -> float:
    """Share of the reference's content words (4+ characters, not stop words) found in the answer."""
    ref = {w.strip("._-") for w in _CONTENT.findall(reference.lower())} - STOP
    if not ref:
        return 0.0
    got = {w.strip("._-") for w in _CONTENT.findall(answer.lower())}
    return len(ref & got) / len(ref)


def set_f1(predicted: set[str], gold: set[str]) -> float:
    if not predicted or not gold:
        return 0.0
    tp = len(predicted & gold)
    if not tp:
        return 0.0
    p, r = tp / len(predicted), tp / len(gold)
    return 2 * p * r / (p + r)


def deps_f1(answer: str, gold: list[str], universe: set[str], exclude: Iterable[str] = ()) -> float:
    """F1 of the dependencies an answer names against the declared ones. Named = tokens that are a
    package attribute of the graph or a gold dependency (compared by their last attribute component),
    the subject itself left out."""
    last = lambda s: s.split(".")[-1].lower()   # noqa: E731  python3Packages.requests ~ requests
    gold_set = {last(g) for g in gold}
    known = {last(u) for u in universe} | gold_set
    skip = {last(e) for e in exclude}
    named = {last(t) for t in _TOKEN.findall(answer)} & known
    return set_f1(named - skip, gold_set)


def fact_score(kind: str, value, answer: str, universe: set[str] = frozenset(), subject: str = "") -> float:
    """How much of the taught fact a closed-book answer states, in [0, 1]."""
    if kind == "pkg_deps":
        return deps_f1(answer, list(value), universe, [subject] if subject else [])
    if kind == "pkg_builder":
        # rustPlatform.buildRustPackage: the full callee or its function name
        return max(contains_value(answer, value), contains_value(answer, str(value).split(".")[-1]))
    if kind in ("wiki_point", "forum_fix", "dep_does"):
        return content_recall(answer, str(value))
    if kind == "opt_rename" and value == "removed":
        return 1.0 if re.search(r"\bremoved\b", answer, re.I) else 0.0
    return contains_value(answer, str(value))


# -- invented identifiers --------------------------------------------------------------------------
_PKGS_REF = re.compile(r"(?:\bpkgs\.|nixpkgs#|\bnix-shell -p |\bnix shell nixpkgs#)([A-Za-z_][\w+-]*)")
OPTION_ROOTS = ("services", "programs", "boot", "networking", "users", "environment", "nix", "hardware",
                "security", "systemd", "virtualisation", "system", "fileSystems", "i18n", "time", "fonts",
                "xdg", "documentation", "console", "powerManagement", "sound", "location", "zramSwap")
_OPTION_REF = re.compile(r"(?<![\w.$/-])((?:" + "|".join(OPTION_ROOTS) + r")(?:\.[A-Za-z_][\w-]*){2,})(?![\w(-])")
# pkgs.X that are functions and sets of nixpkgs itself, not package attributes
PKGS_BUILTINS = {"lib", "stdenv", "fetchurl", "fetchFromGitHub", "fetchFromGitLab", "fetchgit", "fetchPypi",
                 "fetchCrate", "fetchzip", "fetchpatch", "callPackage", "mkShell", "writeShellApplication",
                 "writeShellScriptBin", "writeText", "writeScript", "buildGoModule", "buildNpmPackage",
                 "rustPlatform", "python3Packages", "python3", "python", "pythonPackages", "haskellPackages",
                 "nodePackages", "system", "config", "path", "buildEnv", "symlinkJoin", "runCommand",
                 "makeWrapper", "substituteAll", "recurseIntoAttrs", "linuxPackages", "hostPlatform",
                 "buildPlatform", "targetPlatform", "pkgsCross", "pkgsStatic", "dockerTools", "nixosTest",
                 "testers", "emptyDirectory", "overrideScope", "extend", "appendOverlays", "formats"}


class Graph:
    """What exists: package attributes (and pnames) and option paths (`<name>` matches one component)."""

    def __init__(self, packages: set[str], options: set[str]):
        self.packages = packages
        self.options = {o for o in options if "<" not in o}
        pats = [re.escape(o).replace(re.escape("<name>"), r"[^.]+") for o in options if "<name>" in o]
        self.option_rx = re.compile("^(?:" + "|".join(pats) + ")$") if pats else None
        # prefixes: `services.pantry.settings.port` inside a freeform `settings` is not invented
        self.prefixes = {".".join(o.split(".")[:i]) for o in self.options for i in range(1, o.count(".") + 1)}

    @classmethod
    def from_db(cls, graph_db: str | Path) -> Graph:
        try:
            con = sqlite3.connect(f"file:{graph_db}?mode=ro", uri=True)
            pkgs, opts = set(), set()
            for kind, name, qn, meta in con.execute(
                    "SELECT kind, name, qualified_name, meta_json FROM nodes WHERE kind IN "
                    "('package', 'option', 'option_rename')"):
                if kind == "package":
                    facts = orjson.loads(meta) if meta else {}
                    pkgs |= {x for x in (name, facts.get("attr"), facts.get("pname")) if isinstance(x, str)}
                elif kind == "option":
                    opts.add(qn)
            con.close()
        except sqlite3.DatabaseError as exc:
            raise NanodexError(f"{graph_db}: not a nanodex graph database ({exc})") from None
        return cls(pkgs, opts)

    def option_exists(self, path: str) -> bool:
        if path in self.options or path in self.prefixes:
            return True
        if self.option_rx and self.option_rx.match(path):
            return True
        # a value inside an attrset option (`services.x.settings.foo`): its declared parent exists
        parts = path.split(".")
        return any(".".join(parts[:i]) in self.options and "settings" in parts[i - 1:i]
                   for i in range(2, len(parts)))


def identifier_mentions(answer: str) -> list[tuple[str, str]]:
    """("package", attr) and ("option", path) the answer names, in order, each once."""
    out, seen = [], set()
    for m in _PKGS_REF.finditer(answer):
        key = ("package", m.group(1))
        if m.group(1) not in PKGS_BUILTINS and key not in seen:
            seen.add(key)
            out.append(key)
    for m in _OPTION_REF.finditer(answer):
        key = ("option", m.group(1).rstrip("."))
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def invented(answer: str, graph: Graph) -> tuple[int, int]:
    """(identifiers named that the graph lacks, identifiers named) for one answer."""
    names = identifier_mentions(answer)
    bad = sum(1 for kind, name in names
              if (kind == "package" and name not in graph.packages)
              or (kind == "option" and not graph.option_exists(name)))
    return bad, len(names)


# -- the fixed Nix set -----------------------------------------------------------------------------
def read_nix_set(path: str | Path) -> list[dict]:
    items = []
    for i, line in enumerate(Path(path).read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise NanodexError(f"{path}: line {i} is not JSON ({exc})") from None
        if not item.get("question") or not isinstance(item.get("key_facts"), list) or not item["key_facts"]:
            raise NanodexError(f"{path}: line {i} needs `question` and a non-empty list `key_facts` (regexes)")
        for rx in item["key_facts"]:
            try:
                re.compile(rx)
            except re.error as exc:
                raise NanodexError(f"{path}: line {i}: key_facts regex {rx!r} is invalid ({exc})") from None
        items.append(item)
    return items


def key_fact_share(answer: str, key_facts: list[str]) -> float:
    """Share of the key facts (case-insensitive regexes) the answer matches."""
    return sum(1 for rx in key_facts if re.search(rx, answer, re.I)) / len(key_facts)


# -- intervals -------------------------------------------------------------------------------------
def clustered_mean(values: list[float], groups: list[str], seed: int = 0, n_resamples: int = 2000,
                   level: float = 0.95, weights: list[float] | None = None) -> dict:
    """{"value", "ci", "n", "clusters"}: the (weighted) mean of `values` with a percentile bootstrap
    interval that resamples whole groups (a file's, package's or topic's items move together), via
    scipy.stats.bootstrap on per-group sums. With one group or constant values the interval is the value."""
    import numpy as np
    from scipy.stats import bootstrap

    n = len(values)
    if not n:
        return {"value": None, "ci": None, "n": 0, "clusters": 0}
    w = weights if weights is not None else [1.0] * n
    sums: dict[str, float] = {}
    cnts: dict[str, float] = {}
    for v, g, wt in zip(values, groups, w, strict=True):
        sums[g] = sums.get(g, 0.0) + v * wt
        cnts[g] = cnts.get(g, 0.0) + wt
    keys = sorted(sums)
    s = np.array([sums[k] for k in keys])
    c = np.array([cnts[k] for k in keys])
    value = float(s.sum() / c.sum()) if c.sum() else None
    if value is None:
        return {"value": None, "ci": None, "n": n, "clusters": len(keys)}
    if len(keys) < 2 or np.allclose(s / np.where(c == 0, 1, c), value):
        return {"value": round(value, 4), "ci": [round(value, 4), round(value, 4)], "n": n, "clusters": len(keys)}
    res = bootstrap((s, c), lambda a, b, axis=-1: a.sum(axis=axis) / np.maximum(b.sum(axis=axis), 1e-12),
                    paired=True, vectorized=True, n_resamples=n_resamples, confidence_level=level,
                    method="percentile", rng=np.random.default_rng(seed))
    lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    return {"value": round(value, 4), "ci": [round(lo, 4), round(hi, 4)], "n": n, "clusters": len(keys)}
