"""Links across sources, made in the merged graph.

- `declared_in`: an option from an options.json dump -> the nixpkgs module file that declares it;
- `mentions`: a wiki section/page, forum topic or post -> the package attributes and option paths its
  text and code name (`pkgs.hello`, `nixpkgs#hello`, `nix-shell -p hello`, `services.nginx.enable`).
  Options match their whole dotted path (`exact`); packages match an attribute name (`heuristic`).
"""

from __future__ import annotations

import re
import sqlite3

import orjson

TEXT_KINDS = ("page", "section", "topic", "post")
_DOTTED = re.compile(r"(?<![\w.-])([a-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+)")
_PKG = [
    re.compile(r"\bpkgs\.([A-Za-z0-9_][A-Za-z0-9_+-]*)"),
    re.compile(r"\bnixpkgs[#.]([A-Za-z0-9_][A-Za-z0-9_+-]*)"),
    re.compile(r"\bnixos\.([A-Za-z0-9_][A-Za-z0-9_+-]*)"),
]
_SHELL_P = re.compile(r"\bnix-shell\s+-p\s+([A-Za-z0-9_+. -]+)")
_WITH_PKGS = re.compile(r"with\s+pkgs\s*;\s*\[([^\]]*)\]")


def link_options_to_modules(con: sqlite3.Connection) -> int:
    before = con.total_changes
    con.executescript("""
    BEGIN;
    INSERT OR IGNORE INTO edges (src, dst, kind, resolution)
      SELECT o.id, m.id, 'declared_in', 'exact'
      FROM nodes o, json_each(o.meta_json, '$.declarations') d
      JOIN nodes m ON m.kind = 'module' AND m.lang = 'nix' AND m.path = d.value
      WHERE o.kind = 'option' AND o.meta_json IS NOT NULL AND json_valid(o.meta_json)
      ORDER BY o.id, m.id;
    COMMIT;
    """)
    return con.total_changes - before


def _targets(con: sqlite3.Connection):
    """Option path -> node id (an options.json node preferred), package attr -> node id (unique only)."""
    options: dict[str, str] = {}
    for nid, qual, meta in con.execute(
            "SELECT id, qualified_name, meta_json FROM nodes WHERE kind = 'option' ORDER BY id"):
        from_dump = meta is not None and '"declarations"' in meta
        if qual not in options or from_dump:
            options[qual] = nid
    packages: dict[str, str | None] = {}
    for nid, name, meta in con.execute("SELECT id, name, meta_json FROM nodes WHERE kind = 'package' ORDER BY id"):
        attr = (orjson.loads(meta).get("attr") if meta else None) or name
        packages[attr] = None if attr in packages and packages[attr] != nid else nid   # ambiguous -> None
    return options, {k: v for k, v in packages.items() if v}


def mentioned(text: str, options: dict, packages: dict) -> tuple[set[str], set[str]]:
    opts = {m for m in _DOTTED.findall(text) if m in options}
    pkgs = set()
    for rx in _PKG:
        pkgs.update(m for m in rx.findall(text) if m in packages)
    for group in _SHELL_P.findall(text) + _WITH_PKGS.findall(text):
        pkgs.update(w for w in re.split(r"[\s]+", group) if w in packages)
    return opts, pkgs


def link_mentions(con: sqlite3.Connection) -> int:
    options, packages = _targets(con)
    if not options and not packages:
        return 0
    rows = con.execute(f"SELECT id, docstring, meta_json FROM nodes WHERE kind IN ({','.join('?' * len(TEXT_KINDS))}) "
                       "ORDER BY id", TEXT_KINDS)
    edges = []
    for nid, doc, meta in rows:
        text = doc or ""
        if meta:
            text += "\n" + "\n".join(c.get("text", "") for c in orjson.loads(meta).get("code") or [])
        opts, pkgs = mentioned(text, options, packages)
        edges.extend((nid, options[o], "mentions", "exact") for o in sorted(opts))
        edges.extend((nid, packages[p], "mentions", "heuristic") for p in sorted(pkgs))
    before = con.total_changes
    con.execute("BEGIN")
    con.executemany("INSERT OR IGNORE INTO edges (src, dst, kind, resolution) VALUES (?,?,?,?)", edges)
    con.execute("COMMIT")
    return con.total_changes - before
