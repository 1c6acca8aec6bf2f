"""Turn references by name (refs table) into edges, inside one source's graph.

Calls and base classes: a unique definition of that name in the same file (`exact`), else a unique
one of the same language in the whole source (`heuristic`, as aider's repo map and code-graph-rag
do); ambiguous names stay unresolved. Imports: by path (relative imports, #include "x.h", Nix paths:
`exact`; module names matched against file paths: `heuristic`). Runs in SQL so memory stays flat.
"""

from __future__ import annotations

import posixpath
import sqlite3
from collections import defaultdict

CALL_TARGETS = ("function", "method", "class", "struct")
TYPE_TARGETS = ("class", "struct", "interface", "trait", "type", "enum")


def resolve_names(con: sqlite3.Connection) -> None:
    q = lambda kinds: ",".join(f"'{k}'" for k in kinds)  # noqa: E731 - constants, not user input
    con.executescript(f"""
    BEGIN;
    CREATE TEMP TABLE targets AS
      SELECT 'calls' AS rkind, name, lang, path, id FROM nodes WHERE kind IN ({q(CALL_TARGETS)})
      UNION ALL SELECT 'extends', name, lang, path, id FROM nodes WHERE kind IN ({q(TYPE_TARGETS)})
      UNION ALL SELECT 'implements', name, lang, path, id FROM nodes WHERE kind IN ({q(TYPE_TARGETS)});
    CREATE INDEX temp.targets_key ON targets(rkind, name, lang, path);
    CREATE TEMP TABLE res AS
      SELECT r.rowid AS rid, r.src, r.kind, MIN(t.id) AS dst, 'exact' AS how
      FROM refs r JOIN nodes s ON s.id = r.src
      JOIN targets t ON t.rkind = r.kind AND t.name = r.name AND t.lang = s.lang AND t.path = s.path
      WHERE r.kind IN ('calls', 'extends', 'implements')
      GROUP BY r.rowid HAVING COUNT(*) = 1;
    CREATE INDEX temp.res_rid ON res(rid);
    CREATE TEMP TABLE uniq AS
      SELECT rkind, name, lang, MIN(id) AS id FROM targets GROUP BY rkind, name, lang HAVING COUNT(*) = 1;
    CREATE INDEX temp.uniq_key ON uniq(rkind, name, lang);
    INSERT INTO res
      SELECT r.rowid, r.src, r.kind, u.id, 'heuristic'
      FROM refs r JOIN nodes s ON s.id = r.src
      JOIN uniq u ON u.rkind = r.kind AND u.name = r.name AND u.lang = s.lang
      WHERE r.kind IN ('calls', 'extends', 'implements')
        AND NOT EXISTS (SELECT 1 FROM res x WHERE x.rid = r.rowid);
    INSERT OR IGNORE INTO edges (src, dst, kind, resolution) SELECT src, dst, kind, how FROM res ORDER BY rid;
    UPDATE refs SET resolved = 1 WHERE rowid IN (SELECT rid FROM res);
    DROP TABLE temp.targets; DROP TABLE temp.res; DROP TABLE temp.uniq;
    COMMIT;
    """)


class PathIndex:
    def __init__(self, paths):
        self.paths = set(paths)
        self.by_suffix = defaultdict(list)   # every trailing part of every path: "b/c.py" -> ["a/b/c.py"]
        self.by_dir = defaultdict(list)
        for p in sorted(self.paths):
            parts = p.split("/")
            for i in range(len(parts)):
                self.by_suffix["/".join(parts[i:])].append(p)
            self.by_dir[posixpath.dirname(p)].append(p)

    def suffix(self, suffix: str) -> list[str]:
        return self.by_suffix.get(suffix, [])

    def first(self, *candidates: str) -> str | None:
        for c in candidates:
            c = posixpath.normpath(c)
            if c in self.paths:
                return c
        return None


def _python(idx: PathIndex, path: str, spec: str):
    mod, _, names = spec.partition(":")
    out = []
    if mod.startswith("."):
        dots = len(mod) - len(mod.lstrip("."))
        base = posixpath.dirname(path)
        for _ in range(dots - 1):
            base = posixpath.dirname(base)
        rel = mod[dots:].replace(".", "/")
        stem = posixpath.join(base, rel) if rel else base
        hit = idx.first(stem + ".py", stem + "/__init__.py") if rel else None
        if hit:
            out.append((hit, "exact"))
        for n in filter(None, names.split(",")):
            sub = idx.first(posixpath.join(stem, n) + ".py", posixpath.join(stem, n, "__init__.py"))
            if sub:
                out.append((sub, "exact"))
        if not out and not rel:
            hit = idx.first(base + "/__init__.py")
            if hit:
                out.append((hit, "exact"))
        return out
    rel = mod.replace(".", "/")
    for cand in (rel + ".py", rel + "/__init__.py"):
        hits = idx.suffix(cand)
        if len(hits) == 1:
            out.append((hits[0], "heuristic"))
            break
    for n in filter(None, names.split(",")):
        hits = idx.suffix(f"{rel}/{n}.py") or idx.suffix(f"{rel}/{n}/__init__.py")
        if len(hits) == 1:
            out.append((hits[0], "heuristic"))
    return out


def _relative(idx: PathIndex, path: str, spec: str, exts: tuple[str, ...]):
    base = posixpath.join(posixpath.dirname(path), spec)
    hit = idx.first(*(base + e for e in exts))
    return [(hit, "exact")] if hit else []


JS_EXTS = ("", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".d.ts", "/index.ts", "/index.tsx", "/index.js")


def _resolve_import(idx: PathIndex, lang: str, path: str, spec: str):
    if lang == "python":
        return _python(idx, path, spec)
    if lang in ("javascript", "typescript", "tsx"):
        if spec.startswith("."):
            return _relative(idx, path, spec, JS_EXTS)
        return []
    if lang in ("c", "cpp"):
        name = spec.strip('"<>')
        local = _relative(idx, path, name, ("",)) if spec.startswith('"') else []
        if local:
            return local
        hits = idx.suffix(name)
        return [(hits[0], "heuristic")] if len(hits) == 1 else []
    if lang == "java":
        if spec.endswith(".*"):
            return []
        hits = idx.suffix(spec.replace(".", "/") + ".java")
        return [(hits[0], "heuristic")] if len(hits) == 1 else []
    if lang == "go":
        parts = spec.split("/")
        for k in range(len(parts), 0, -1):
            suffix = "/".join(parts[-k:])
            dirs = sorted({d for d in idx.by_dir if d == suffix or d.endswith("/" + suffix)})
            if len(dirs) == 1:
                return [(p, "heuristic") for p in idx.by_dir[dirs[0]] if p.endswith(".go")]
            if dirs:
                return []
        return []
    if lang == "nix":
        if spec.startswith(("./", "../")):
            return _relative(idx, path, spec, ("", "/default.nix"))
        return []
    return []


def resolve_imports(con: sqlite3.Connection, source: str) -> None:
    paths = [r[0] for r in con.execute("SELECT path FROM nodes WHERE kind = 'module' ORDER BY path")]
    idx = PathIndex(paths)
    rows = con.execute("""SELECT r.rowid, r.src, r.name, s.lang, s.path FROM refs r JOIN nodes s ON s.id = r.src
                          WHERE r.kind = 'imports' ORDER BY r.rowid""").fetchall()
    edges, done = [], []
    for rid, src, spec, lang, path in rows:
        hits = _resolve_import(idx, lang, path, spec)
        for target, how in hits:
            dst = f"{source}:{target}"
            if dst != src:
                edges.append((src, dst, "imports", how))
        if hits:
            done.append((rid,))
    con.execute("BEGIN")
    con.executemany("INSERT OR IGNORE INTO edges (src, dst, kind, resolution) VALUES (?,?,?,?)", edges)
    con.executemany("UPDATE refs SET resolved = 1 WHERE rowid = ?", done)
    con.execute("COMMIT")


def resolve_nix_inputs(con: sqlite3.Connection) -> None:
    """A Nix input (`openssl` in `{ openssl }:`) resolves to the package of that name, when unique."""
    con.executescript("""
    BEGIN;
    INSERT OR IGNORE INTO edges (src, dst, kind, resolution)
      SELECT i.id, MIN(p.id), 'resolves_to', 'heuristic' FROM nodes i
      JOIN nodes p ON p.kind = 'package' AND p.name = i.name
      WHERE i.kind = 'input' AND NOT EXISTS (SELECT 1 FROM edges e WHERE e.src = i.id AND e.kind = 'resolves_to')
      GROUP BY i.id HAVING COUNT(*) = 1 ORDER BY i.id;
    COMMIT;
    """)


def resolve_all(con: sqlite3.Connection, source: str) -> None:
    resolve_names(con)
    resolve_imports(con, source)
    resolve_nix_inputs(con)
