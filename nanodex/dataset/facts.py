"""Atomic facts from brain nodes: what fact-level examples state and what the fact-recall eval scores.

A fact is one checkable value about one subject: a package's version, builder, fetcher and source,
dependencies; an option's type, default, example, declaring module, what it enables; a rename; a wiki
section's point; a forum answer's fix; plus reverse ("Which package provides ...?") and multi-hop
("What does X's dependency Y do?") facts. Values that are Nix expressions in the source (the
contract's `expressions`) are never stated as facts; the NixOS channel's value is used where present.
"""

from __future__ import annotations

import re

from .nixcode import literal, option_setting

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(\"])")
_TYPE_EXPR = re.compile(r"\btypes\.|\bwith\b|[({\[]")
_ENABLE = re.compile(r"^\s*Whether to (?:enable|run|start|use)\s+(.+?)\.?\s*$", re.I | re.S)


def subject_of_package(attr: str, path: str, ambiguous: set[str]) -> str:
    """`attr`, or `attr` (`path`) when several package files define that attribute."""
    return f"`{attr}` (`{path}`)" if attr in ambiguous else f"`{attr}`"


def first_sentence(text: str, limit: int = 400, sentences: int = 1) -> str | None:
    """The first whole sentence(s) (never cut inside one); None when the first is longer than `limit`."""
    text = " ".join((text or "").split())
    if not text:
        return None
    parts = _SENT.split(text)
    out = parts[0].strip()
    for p in parts[1:sentences]:
        if len(out) + 1 + len(p) > limit:
            break
        out += " " + p.strip()
    return out if len(out) <= limit else None


def fact_value(facts: dict, field: str):
    """A literal fact, or the channel's value when the source only has an expression; else None."""
    if field in (facts.get("expressions") or {}):
        return (facts.get("channel") or {}).get(field)
    return facts.get(field)


def _desc(facts: dict) -> str | None:
    d = (facts.get("meta") or {}).get("description")
    if not isinstance(d, str) or "description" in (facts.get("expressions") or {}):
        d = (facts.get("channel") or {}).get("description")
    if not isinstance(d, str):
        return None
    d = " ".join(d.split()).rstrip(".")
    return d if 8 <= len(d) <= 200 else None


def _lc(text: str) -> str:
    return text[0].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def _fact(node: dict, kind: str, key: str, value, **slots) -> dict:
    return {"id": f"{node['id']}|{kind}|{key}", "kind": kind, "value": value, "slots": slots, "node": node}


def package_facts(n: dict, packages: dict[str, list[dict]], ambiguous: set[str]) -> list[dict]:
    f = n.get("facts") or {}
    attr = f.get("attr") or f.get("pname") or n["name"]
    s = subject_of_package(attr, n["path"], ambiguous)
    base = {"s": s, "attr": attr, "path": n["path"]}
    out = []
    version = fact_value(f, "version")
    if isinstance(version, str) and version:
        out.append(_fact(n, "pkg_version", "", version, **base))
    builder = f.get("builder")
    if builder and "builder" not in (f.get("expressions") or {}):
        out.append(_fact(n, "pkg_builder", "", builder, **base))
    src = f.get("src") or {}
    if src.get("fetcher"):
        args = src.get("args") or {}
        exprs = set(src.get("expr_args") or [])
        where = "/".join(args[k] for k in ("owner", "repo") if args.get(k) and k not in exprs)
        if not where and args.get("url") and "url" not in exprs:
            where = args["url"]
        if not where and args.get("pname") and "pname" not in exprs:
            where = f"{args['pname']} (PyPI/crates.io)"
        out.append(_fact(n, "pkg_source", "", src["fetcher"], **base, where=f" from {where}" if where else ""))
    deps = sorted({i for items in (f.get("inputs") or {}).values() for i in items})
    if deps:
        out.append(_fact(n, "pkg_deps", "", deps, **base, deps=", ".join(f"`{d}`" for d in deps)))
        for dep in deps:
            target = (packages.get(dep) or packages.get(dep.split(".")[-1]) or [None])[0]
            dd = _desc(target["facts"]) if target else None
            if dd:
                out.append(_fact(n, "dep_does", dep, dd, **base, dep=dep, desc=dd, desc_lc=_lc(dd),
                                 dep_path=target["path"]))
    desc = _desc(f)
    if desc and attr not in ambiguous:
        out.append(_fact(n, "pkg_provides", "", attr, **base, desc=desc, desc_lc=_lc(desc)))
    return out


def option_facts(n: dict) -> list[dict]:
    f = n.get("facts") or {}
    opt = n["qualified_name"]
    s = f"`{opt}`"
    typ = str(f.get("type") or "")
    out = []
    # `lib.types.port` in a module's source is an expression; the options dump renders it as a type
    if typ and not _TYPE_EXPR.search(typ):
        out.append(_fact(n, "opt_type", "", typ, s=s, opt=opt))
    default = literal(f.get("default"), typ)
    if default is not None:
        out.append(_fact(n, "opt_default", "", default, s=s, opt=opt))
    example = literal(f.get("example"), typ)
    if example is not None:
        out.append(_fact(n, "opt_example", "", example, s=s, opt=opt, setting=option_setting(opt, example)))
    decl = (f.get("declarations") or [None])[0] or n.get("path")
    if decl:
        out.append(_fact(n, "opt_module", "", decl, s=s, opt=opt))
    m = _ENABLE.match(n.get("docstring") or "")
    if opt.endswith(".enable") and "bool" in typ and m and "\n" not in m.group(1) and len(m.group(1)) <= 120:
        what = m.group(1).strip()
        out.append(_fact(n, "opt_enables", "", opt, s=s, what=what, desc=f"enables {what}"))
    return out


def rename_facts(n: dict) -> list[dict]:
    f = n.get("facts") or {}
    old = f.get("from") or n["qualified_name"]
    to, how = f.get("to"), f.get("how") or ("renamed" if f.get("to") else "removed")
    message = first_sentence(f.get("message") or "") or ""
    value = to or "removed"
    return [_fact(n, "opt_rename", "", value, s=f"`{old}`", how=how, to_text=f" to `{to}`" if to else "",
                  message=message)]


def wiki_facts(n: dict) -> list[dict]:
    point = first_sentence(n.get("docstring") or "")
    if not point or len(point) < 20:
        return []
    page = n["qualified_name"].split(" > ", 1)[0]
    return [_fact(n, "wiki_point", "", point, page=page, title=n["name"])]


def forum_facts(n: dict) -> list[dict]:
    f = n.get("facts") or {}
    if f.get("role") != "accepted_answer":
        return []
    fix = first_sentence(n.get("docstring") or "", sentences=2)
    if not fix or len(fix) < 15:
        return []
    topic = n["name"].rsplit(" #", 1)[0]
    return [_fact(n, "forum_fix", "", fix, topic=topic)]


def facts_of(n: dict, packages: dict[str, list[dict]], ambiguous: set[str]) -> list[dict]:
    kind = n["kind"]
    if kind == "package":
        return package_facts(n, packages, ambiguous)
    if kind == "option":
        return option_facts(n)
    if kind == "option_rename":
        return rename_facts(n)
    if kind == "section":
        return wiki_facts(n)
    if kind == "post":
        return forum_facts(n)
    return []
