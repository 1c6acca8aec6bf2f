"""Member lists of containers, own and inherited (nearest base first), for discovery questions.

A class's members are its own (`contains` edges) followed by those of its bases along resolved
`extends`/`implements` edges, depth-first left to right; an own member shadows an inherited one of the
same name. A base the graph could not resolve (outside the repo, `dict`, `Exception`) makes the list
open: its members are unknown, so nothing may be said to be absent from that class.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

OPEN = "?"   # a members entry (OPEN, OPEN, base name): a base outside the graph; the list is not complete
# Outside bases that add no members a question could name: the list stays complete.
EMPTY_BASES = {"object", "Object", "ABC", "abc.ABC", "Generic", "typing.Generic", "Protocol", "typing.Protocol"}
MAX_DEPTH = 8


def container_members(con: sqlite3.Connection, kinds) -> dict[str, list[tuple]]:
    """container id -> [(name, "kind:lang", inherited_from)], inherited_from = the base's qualified name
    (None for an own member); entries sorted own first by name, then inherited nearest base first."""
    ks = ",".join(f"'{k}'" for k in sorted(kinds))
    own: dict[str, list[tuple]] = defaultdict(list)
    for src, name, kind, lang in con.execute(
            f"SELECT e.src, n.name, n.kind, n.lang FROM edges e JOIN nodes c ON c.id = e.src "
            f"JOIN nodes n ON n.id = e.dst WHERE e.kind = 'contains' AND c.kind IN ({ks}) "
            f"ORDER BY e.src, n.name, n.kind"):
        own[src].append((name, f"{kind}:{lang}"))
    bases: dict[str, list[str]] = defaultdict(list)
    qual: dict[str, str] = {}
    for src, dst, dq in con.execute(
            "SELECT e.src, e.dst, d.qualified_name FROM edges e JOIN nodes d ON d.id = e.dst "
            "WHERE e.kind IN ('extends', 'implements') ORDER BY e.rowid"):
        bases[src].append(dst)
        qual[dst] = dq
    unresolved: dict[str, list[str]] = defaultdict(list)
    for src, name in con.execute("SELECT src, name FROM refs WHERE kind IN ('extends', 'implements') "
                                 "AND resolved = 0 ORDER BY rowid"):
        if name not in EMPTY_BASES:
            unresolved[src].append(name)

    out: dict[str, list[tuple]] = {}
    for cid in sorted(set(own) | set(bases)):
        entries = [(name, kl, None) for name, kl in own.get(cid, [])]
        seen = {name for name, _, _ in entries}
        visited, stack, open_ = {cid}, [(b, 1) for b in reversed(bases.get(cid, []))], list(unresolved.get(cid, []))
        while stack:
            b, depth = stack.pop()
            if b in visited or depth > MAX_DEPTH:
                continue
            visited.add(b)
            for name, kl in own.get(b, []):
                if name not in seen:
                    seen.add(name)
                    entries.append((name, kl, qual[b]))
            open_.extend(unresolved.get(b, []))
            stack.extend((x, depth + 1) for x in reversed(bases.get(b, [])))
        entries.extend((OPEN, OPEN, name) for name in open_)
        out[cid] = entries
    return out
