"""A NixOS channel's `packages.json.br` -> data/raw/<source>/packages.json, and its join into the graph.

`https://channels.nixos.org/<channel>/packages.json.br` (every channel) is what the channel's
evaluation says about each package: attribute, pname, version, description, license, homepage and
`meta.position` ("pkgs/.../package.nix:12"). It is served with `Content-Encoding: br`: a client may
hand over decoded JSON or the raw brotli bytes; both are read (`http.decode_body`).

The parser sees a package's source, not its evaluation: `version = metadata.rev` is an expression
there. The channel's entry for the same place (`meta.position` is a line inside the package's
`mkDerivation` call: the line of `meta.description`, else `version`, else `name`) is joined into
the package node's meta as `channel` {attr, version, description, license, homepage}, so downstream
can state the evaluated value where the parser saw an expression.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

import orjson

from ..errors import SourceError
from ..io import write_json_atomic
from .http import PoliteClient, decode_bytes, redact

log = logging.getLogger(__name__)
FIELDS = ("attr", "pname", "version", "name", "description", "license", "homepage", "position")
CHANNEL_TABLE = "channel_packages"


def _license(value):
    """A license as its SPDX id / short name (a list when several)."""
    if isinstance(value, list):
        names = [_license(v) for v in value]
        names = [n for n in names if n]
        return names[0] if len(names) == 1 else (names or None)
    if isinstance(value, dict):
        return value.get("spdxId") or value.get("shortName") or value.get("fullName")
    return value if isinstance(value, str) else None


def _homepage(value):
    if isinstance(value, list):
        return value[0] if value and isinstance(value[0], str) else None
    return value if isinstance(value, str) else None


def normalise(raw, where: str) -> dict:
    packages = raw.get("packages") if isinstance(raw, dict) else None
    if not isinstance(packages, dict):
        raise SourceError(f"{where}: expected a channel packages.json ({{\"version\": 2, \"packages\": "
                          f"{{attr: {{pname, version, meta}}}}}}), got {type(raw).__name__} without `packages`")
    out = {}
    for attr, p in sorted(packages.items()):
        if not isinstance(p, dict):
            continue
        meta = p.get("meta") if isinstance(p.get("meta"), dict) else {}
        out[attr] = {"attr": attr, "pname": p.get("pname"), "version": p.get("version"), "name": p.get("name"),
                     "description": meta.get("description"), "license": _license(meta.get("license")),
                     "homepage": _homepage(meta.get("homepage")), "position": meta.get("position")}
    if not out:
        raise SourceError(f"{where}: no packages found")
    return out


def fetch_packages(source: str, spec: dict, out: str | Path, client: PoliteClient | None = None,
                   workdir: str | Path = ".") -> dict:
    if spec.get("path"):
        where = str(Path(workdir) / spec["path"])
        try:
            data = decode_bytes(Path(where).read_bytes())
        except FileNotFoundError:
            raise SourceError(f"{where}: packages file not found") from None
    else:
        own = client is None
        client = client or PoliteClient(spec.get("rate_limit", 1.0))
        try:
            resp = client.get(spec["url"], fresh=True)
            data = decode_bytes(resp.content)
        finally:
            if own:
                client.close()
        where = redact(spec["url"])
    try:
        raw = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise SourceError(f"{where}: invalid JSON ({exc}); expected a channel packages.json(.br)") from None
    packages = normalise(raw, where)
    write_json_atomic(out, packages)
    with_pos = sum(1 for p in packages.values() if p.get("position"))
    log.info("nixos-packages %s: %d packages (%d with a position) from %s -> %s", source, len(packages), with_pos,
             where, out)
    return {"packages": len(packages), "with_position": with_pos}


def split_position(position) -> tuple[str, int] | None:
    """"pkgs/a/b.nix:12" (or with a store prefix /nix/store/…-source/pkgs/…) -> ("pkgs/a/b.nix", 12)."""
    if not isinstance(position, str) or ":" not in position:
        return None
    path, _, line = position.rpartition(":")
    if not line.isdigit():
        return None
    if path.startswith("/nix/store/"):
        path = path.split("/", 4)[-1] if path.count("/") >= 4 else path
    return path.lstrip("/"), int(line)


def build_channel_graph(dump, out_db, report_path=None, source: str = "channel") -> dict:
    """A graph database with no nodes and one table of channel entries by position, for the merge."""
    from ..graph.store import new_graph, write_report

    t0 = time.perf_counter()
    try:
        packages = orjson.loads(Path(dump).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise SourceError(f"{dump}: not a readable packages dump ({exc}); expected the fetch_packages output") \
            from None
    rows = []
    for attr, p in sorted(packages.items()):
        pos = split_position(p.get("position"))
        if pos:
            rows.append((pos[0], pos[1], attr, orjson.dumps(p, option=orjson.OPT_SORT_KEYS).decode()))
    with new_graph(out_db) as graph:
        con = graph.con
        con.execute(f"CREATE TABLE {CHANNEL_TABLE} (file TEXT NOT NULL, line INTEGER NOT NULL, attr TEXT NOT NULL, "
                    "json TEXT NOT NULL)")
        con.execute("BEGIN")
        con.executemany(f"INSERT INTO {CHANNEL_TABLE} VALUES (?,?,?,?)", rows)
        con.executemany("INSERT INTO meta VALUES (?, ?)", [("source", source), ("rev", ""),
                                                           ("source_kind", "nixos-packages")])
        con.execute("COMMIT")
    return write_report(report_path, {
        "source": source, "kind": "nixos-packages", "packages": len(packages), "with_position": len(rows),
        "nodes": {"total": 0}, "edges": {"total": 0}, "timing": {"seconds": round(time.perf_counter() - t0, 3)}})


def _rank(entry: dict, pname):
    """Several attributes share one position (python3Packages.x, python312Packages.x): the one
    whose pname matches, then the shortest attribute, then by name."""
    return (entry.get("pname") != pname, len(entry["attr"]), entry["attr"])


def join_channel(con: sqlite3.Connection, channel_db: str) -> dict:
    """Add `channel` to the meta of every package node whose source range holds a channel entry's
    position (the innermost node when they nest). Returns counts."""
    con.execute("ATTACH DATABASE ? AS chan", (f"file:{channel_db}?mode=ro",))
    try:
        entries: dict[str, list] = {}
        for file, line, js in con.execute(f"SELECT file, line, json FROM chan.{CHANNEL_TABLE} ORDER BY rowid"):
            entries.setdefault(file, []).append((line, orjson.loads(js)))
    finally:
        con.execute("DETACH DATABASE chan")
    nodes = con.execute("SELECT id, path, start_line, end_line, meta_json FROM nodes WHERE kind = 'package' "
                        "AND start_line IS NOT NULL ORDER BY path, start_line, id").fetchall()
    by_file: dict[str, list] = {}
    for row in nodes:
        by_file.setdefault(row[1], []).append(row)
    found: dict[str, list] = {}
    for file, ents in entries.items():
        for line, entry in ents:
            holders = [r for r in by_file.get(file, ()) if r[2] <= line <= (r[3] or r[2])]
            if holders:   # the innermost package call holding the position
                inner = min(holders, key=lambda r: ((r[3] or r[2]) - r[2], -r[2], r[0]))
                found.setdefault(inner[0], []).append(entry)
    updates = []
    for nid, _, _, _, meta_json in nodes:
        if nid not in found:
            continue
        meta = orjson.loads(meta_json) if meta_json else {}
        best = min(found[nid], key=lambda e: _rank(e, meta.get("pname")))
        meta["channel"] = {k: best.get(k) for k in ("attr", "version", "description", "license", "homepage")}
        updates.append((orjson.dumps(meta, option=orjson.OPT_SORT_KEYS).decode(), nid))
    joined = len(updates)
    con.execute("BEGIN")
    con.executemany("UPDATE nodes SET meta_json = ? WHERE id = ?", updates)
    con.execute("COMMIT")
    stats = {"channel_entries": sum(len(v) for v in entries.values()), "packages_joined": joined,
             "packages": len(nodes)}
    log.info("channel %s: %d of %d package nodes joined with the channel's evaluation", channel_db, joined,
             len(nodes))
    return stats


def is_channel_db(path: str) -> bool:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           (CHANNEL_TABLE,)).fetchone() is not None
    finally:
        con.close()
