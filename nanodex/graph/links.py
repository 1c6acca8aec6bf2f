"""Links across sources, made in the merged graph.

- `declared_in`: an option from an options.json dump -> the nixpkgs module file that declares it;
- `mentions`: a wiki section/page, forum topic or post -> the package attributes and option paths its
  text and code name (`pkgs.hello`, `nixpkgs#hello`, `nix-shell -p hello`, `services.nginx.enable`).
  Options match their whole dotted path (`exact`); packages match an attribute name (`heuristic`).
  Nix code blocks are parsed (tree-sitter-nix): nested attribute sets (`services.nginx = { enable =
  true; };`, also through `mkIf`/`mkMerge`/`let`) give the full paths, and a name under an
  attrsOf-submodule option matches its `<name>` path (`services.nginx.virtualHosts.<name>.root`).
"""

from __future__ import annotations

import re
import sqlite3

import orjson

from .languages import parser

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


_ATTRSETS = ("attrset_expression", "rec_attrset_expression")


def _parse_nix(code: str):
    """A snippet as a whole expression, else wrapped in `{ }` (bare bindings `a.b = 1;` are common)."""
    p = parser("nix")
    tree = p.parse(code.encode())
    if tree.root_node.has_error:
        wrapped = p.parse(b"{\n" + code.encode() + b"\n}")
        if not wrapped.root_node.has_error:
            return wrapped
    return tree


def _attr_names(attrpath) -> list[str]:
    names = []
    for a in attrpath.named_children:
        if a.type == "identifier":
            names.append(a.text.decode())
        elif a.type == "string_expression" and [c.type for c in a.named_children] == ["string_fragment"]:
            names.append(a.named_children[0].text.decode())
        else:
            names.append("<name>")            # `${…}`: some name
    return names


def nix_binding_paths(code: str) -> set[tuple[str, ...]]:
    """Every attribute path a Nix snippet sets, nested sets joined: `a = { b.c = 1; }` -> (a,), (a, b, c)."""
    out: set[tuple[str, ...]] = set()

    def binding(node, prefix):
        ap = node.child_by_field_name("attrpath")
        if ap is None:
            return
        path = prefix + tuple(_attr_names(ap))
        out.update(path[:i] for i in range(1, len(path) + 1))
        value = node.child_by_field_name("expression")
        if value is not None:
            expr(value, path)

    def expr(node, path):
        """A binding's value: the paths inside it continue `path` where it is a set (or mkIf/mkMerge of one)."""
        t = node.type
        if t in _ATTRSETS:
            for bs in node.named_children:
                for b in bs.named_children if bs.type == "binding_set" else ():
                    if b.type == "binding":
                        binding(b, path)
        elif t == "apply_expression":
            for field in ("function", "argument"):
                child = node.child_by_field_name(field)
                if child is not None:
                    expr(child, path)
        elif t in ("list_expression", "parenthesized_expression"):
            for child in node.named_children:
                expr(child, path)
        elif t == "if_expression":
            for field in ("consequence", "alternative"):
                child = node.child_by_field_name(field)
                if child is not None:
                    expr(child, path)
        elif t == "let_expression":
            body = node.child_by_field_name("body")
            if body is not None:
                expr(body, path)
        else:
            walk(node)

    def walk(node):
        for child in node.named_children:
            if child.type == "binding" and child.parent is not None and child.parent.type == "binding_set" \
                    and child.parent.parent is not None and child.parent.parent.type in _ATTRSETS:
                binding(child, ())
            else:
                walk(child)

    walk(_parse_nix(code).root_node)
    return out


def resolve_option(path: tuple[str, ...], options: dict) -> set[str]:
    """Option paths that `path` names: itself, or with `<name>` for names under an attrsOf option."""
    found = set()

    def go(i, acc):
        if i == len(path):
            if ".".join(acc) in options:
                found.add(".".join(acc))
            return
        go(i + 1, acc + [path[i]])
        if acc and path[i] != "<name>" and ".".join(acc) in options:
            go(i + 1, acc + ["<name>"])

    go(0, [])
    return found


def code_mentions(code: str, options: dict) -> set[str]:
    return {o for path in nix_binding_paths(code) for o in resolve_option(path, options)}


def mentioned(text: str, options: dict, packages: dict, code: list[dict] | None = None) -> tuple[set[str], set[str]]:
    opts = {m for m in _DOTTED.findall(text) if m in options}
    for block in code or ():
        if (block.get("lang") or "nix") == "nix" and block.get("text"):
            opts |= code_mentions(block["text"], options)
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
        code = (orjson.loads(meta).get("code") or []) if meta else []
        text += "\n" + "\n".join(c.get("text", "") for c in code)
        opts, pkgs = mentioned(text, options, packages, code)
        edges.extend((nid, options[o], "mentions", "exact") for o in sorted(opts))
        edges.extend((nid, packages[p], "mentions", "heuristic") for p in sorted(pkgs))
    before = con.total_changes
    con.execute("BEGIN")
    con.executemany("INSERT OR IGNORE INTO edges (src, dst, kind, resolution) VALUES (?,?,?,?)", edges)
    con.execute("COMMIT")
    return con.total_changes - before
