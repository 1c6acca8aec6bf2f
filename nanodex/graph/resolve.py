"""Turn references by name (refs table) into edges, inside one source's graph.

Calls and base classes: receiver-aware, per language (calls.py); the edge's `resolution` says which
rule resolved it. Imports: by path (relative imports, #include "x.h", Nix paths:
`exact`; module names matched against file paths: `heuristic`).
"""

from __future__ import annotations

import posixpath
import sqlite3
from collections import defaultdict

from .calls import resolve_code


def resolve_names(con: sqlite3.Connection, source: str) -> None:
    """Calls and base classes, receiver-aware (see calls.py); each edge records how it resolved and
    each resolved ref keeps its target (`refs.dst`), so a call site can be checked on its own."""
    idx = PathIndex(r[0] for r in con.execute("SELECT path FROM nodes WHERE kind = 'module' ORDER BY path"))
    rows = resolve_code(con, lambda path, mod: python_module(idx, path, mod), lambda imp: go_package_dir(idx, imp))
    con.execute("BEGIN")
    con.executemany("INSERT OR IGNORE INTO edges (src, dst, kind, resolution) VALUES (?,?,?,?)",
                    [(src, dst, kind, how) for _, src, dst, kind, how in rows if kind != "assigns"])
    con.executemany("UPDATE refs SET resolved = 1, dst = ? WHERE rowid = ?", [(r[2], r[0]) for r in rows])
    con.execute("COMMIT")


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


def _relative_stem(path: str, mod: str) -> tuple[str, str]:
    dots = len(mod) - len(mod.lstrip("."))
    base = posixpath.dirname(path)
    for _ in range(dots - 1):
        base = posixpath.dirname(base)
    rel = mod[dots:].replace(".", "/")
    return (posixpath.join(base, rel) if rel else base), rel


def _absolute(idx: PathIndex, rel: str) -> str | None:
    """The one in-repo file that absolute module `rel` ("a/b") can be: under a source root (a directory that
    is not itself a package), so stdlib `json` never lands on `flask/json/__init__.py`."""
    found = []
    for cand in (rel + ".py", rel + "/__init__.py"):
        for hit in idx.suffix(cand):
            root = hit[: len(hit) - len(cand)].rstrip("/")
            if hit == cand or (hit.endswith("/" + cand) and root + "/__init__.py" not in idx.paths):
                found.append(hit)
    return found[0] if len(found) == 1 else None


def python_module(idx: PathIndex, path: str, mod: str) -> str | None:
    """In-repo file of module `mod` imported from `path` (`.x`, `..`, `a.b`), else None (outside the repo)."""
    if mod.startswith("."):
        stem, rel = _relative_stem(path, mod)
        return idx.first(stem + ".py", stem + "/__init__.py") if rel else idx.first(stem + "/__init__.py")
    return _absolute(idx, mod.replace(".", "/"))


def _python(idx: PathIndex, path: str, spec: str):
    mod, _, names = spec.partition(":")
    mod = mod.partition(" as ")[0]
    names = [n.partition(" as ")[0] for n in names.split(",") if n and n != "*"]
    out = []
    if mod.startswith("."):
        stem, rel = _relative_stem(path, mod)
        hit = idx.first(stem + ".py", stem + "/__init__.py") if rel else None
        if hit:
            out.append((hit, "exact"))
        for n in names:
            sub = idx.first(posixpath.join(stem, n) + ".py", posixpath.join(stem, n, "__init__.py"))
            if sub:
                out.append((sub, "exact"))
        if not out and not rel:
            hit = idx.first(stem + "/__init__.py")
            if hit:
                out.append((hit, "exact"))
        return out
    rel = mod.replace(".", "/")
    hit = _absolute(idx, rel)
    if hit:
        out.append((hit, "heuristic"))
    for n in names:
        sub = _absolute(idx, f"{rel}/{n}")
        if sub:
            out.append((sub, "heuristic"))
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
        d = go_package_dir(idx, spec.partition(" as ")[0])
        return [(p, "heuristic") for p in idx.by_dir[d] if p.endswith(".go")] if d is not None else []
    if lang == "nix":
        if spec.startswith(("./", "../")):
            return _relative(idx, path, spec, ("", "/default.nix"))
        return []
    return []


def go_package_dir(idx: PathIndex, spec: str) -> str | None:
    """The one directory whose path ends with the longest tail of import path `spec`."""
    parts = spec.split("/")
    for k in range(len(parts), 0, -1):
        suffix = "/".join(parts[-k:])
        dirs = sorted({d for d in idx.by_dir if d == suffix or d.endswith("/" + suffix)})
        if len(dirs) == 1:
            return dirs[0]
        if dirs:
            return None
    return None


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
    resolve_names(con, source)
    resolve_imports(con, source)
    resolve_nix_inputs(con)
