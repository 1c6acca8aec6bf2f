"""Counts of a graph: nodes by kind and language, edges by kind and resolution, refs resolved."""

from __future__ import annotations

import sqlite3


def _nested(rows):
    out: dict = {}
    for a, b, n in rows:
        out.setdefault(a, {})[b] = n
    return out


def graph_stats(con: sqlite3.Connection) -> dict:
    nodes = con.execute("SELECT kind, lang, COUNT(*) FROM nodes GROUP BY kind, lang ORDER BY kind, lang").fetchall()
    edges = con.execute("SELECT kind, resolution, COUNT(*) FROM edges GROUP BY kind, resolution "
                        "ORDER BY kind, resolution").fetchall()
    refs = con.execute("SELECT kind, CASE resolved WHEN 1 THEN 'resolved' ELSE 'unresolved' END, COUNT(*) "
                       "FROM refs GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
    files = con.execute("SELECT lang, status, COUNT(*) FROM files GROUP BY lang, status "
                        "ORDER BY lang, status").fetchall()
    out = {
        "nodes": {"total": sum(r[2] for r in nodes), "by_kind_lang": _nested(nodes)},
        "edges": {"total": sum(r[2] for r in edges), "by_kind_resolution": _nested(edges)},
        "refs": _nested(refs),
        "files_by_lang": _nested(files),
    }
    pkgs = nix_package_stats(con)
    if pkgs:
        out["nix_packages"] = pkgs
    capped = con.execute("SELECT COUNT(*), COALESCE(SUM(json_extract(meta_json, '$.data_nodes_capped')), 0) "
                         "FROM nodes WHERE kind = 'module' AND lang = 'nix' "
                         "AND json_extract(meta_json, '$.data_nodes_capped') IS NOT NULL").fetchone()
    if capped[0]:
        out["nix_data_capped"] = {"files": capped[0], "nodes": capped[1]}   # plain-data bindings not kept
    return out


PACKAGE_FILE = ("(('/' || f.path) LIKE '%/pkgs/%' AND "
                "(f.path LIKE '%/default.nix' OR f.path LIKE '%/package.nix'))")


def nix_package_stats(con: sqlite3.Connection) -> dict | None:
    """How many nixpkgs package files (pkgs/by-name/**/package.nix, pkgs/**/default.nix) gave a
    package node, and how many of those have both pname and version."""
    files = con.execute(f"SELECT COUNT(*) FROM files f WHERE f.lang = 'nix' AND {PACKAGE_FILE}").fetchone()[0]
    if not files:
        return None
    with_pkg, with_pv = con.execute(f"""
        SELECT COUNT(DISTINCT f.path),
               COUNT(DISTINCT CASE WHEN json_extract(n.meta_json, '$.pname') IS NOT NULL
                                    AND json_extract(n.meta_json, '$.version') IS NOT NULL THEN f.path END)
        FROM files f JOIN nodes n ON n.source = f.source AND n.path = f.path AND n.kind = 'package'
        WHERE f.lang = 'nix' AND {PACKAGE_FILE}""").fetchone()
    return {"package_files": files, "with_package": with_pkg, "with_pname_version": with_pv,
            "pname_version_share": round(with_pv / files, 4)}


def format_stats(stats: dict) -> str:
    lines = []
    langs = sorted({lang for v in stats["nodes"]["by_kind_lang"].values() for lang in v})
    width = max([len(x) for x in langs] + [6])
    lines.append(f"nodes: {stats['nodes']['total']}")
    lines.append("  " + "kind".ljust(12) + "".join(lang.rjust(width + 1) for lang in langs) + "total".rjust(9))
    for kind, per in stats["nodes"]["by_kind_lang"].items():
        lines.append("  " + kind.ljust(12) + "".join(str(per.get(lang, 0)).rjust(width + 1) for lang in langs)
                     + str(sum(per.values())).rjust(9))
    lines.append(f"edges: {stats['edges']['total']}")
    for kind, per in stats["edges"]["by_kind_resolution"].items():
        detail = ", ".join(f"{k} {v}" for k, v in per.items())
        lines.append(f"  {kind.ljust(12)} {str(sum(per.values())).rjust(8)}  ({detail})")
    if stats.get("nix_packages"):
        p = stats["nix_packages"]
        lines.append(f"nix package files: {p['package_files']}, with a package: {p['with_package']}, "
                     f"with pname + version: {p['with_pname_version']} ({p['pname_version_share']:.1%})")
    if stats.get("nix_data_capped"):
        c = stats["nix_data_capped"]
        lines.append(f"nix plain-data nodes capped: {c['nodes']} in {c['files']} files")
    if stats.get("refs"):
        lines.append("references:")
        for kind, per in stats["refs"].items():
            lines.append(f"  {kind.ljust(12)} resolved {per.get('resolved', 0)}, unresolved {per.get('unresolved', 0)}")
    return "\n".join(lines)


def stats_for_path(path: str) -> dict:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return graph_stats(con)
    finally:
        con.close()
