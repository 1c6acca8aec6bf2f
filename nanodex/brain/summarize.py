"""Summaries of at most N tokens, from a node's own facts and its graph context.

Template-based by default: deterministic, fast (the brain stage must do >= 50k nodes/s). Tokens are
counted as whitespace-separated words, a fair and stable proxy for any tokenizer's budget.
"""

from __future__ import annotations

import re

_SENT = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
LANG_NAMES = {"python": "Python", "java": "Java", "javascript": "JavaScript", "typescript": "TypeScript",
              "tsx": "TypeScript (TSX)", "c": "C", "cpp": "C++", "go": "Go", "rust": "Rust", "nix": "Nix"}


def first_sentence(text: str | None, limit: int = 240) -> str:
    if not text:
        return ""
    s = _SENT.split(text.strip(), 1)[0].strip().replace("\n", " ")
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def cap_tokens(text: str, n: int) -> str:
    words = text.split()
    if len(words) <= n:
        return " ".join(words)
    return " ".join(words[:n]) + " …"


def _names(items: list[str] | None, k: int = 6) -> str:
    if not items:
        return ""
    shown = ", ".join(f"`{x}`" for x in items[:k])
    return shown + (f" and {len(items) - k} more" if len(items) > k else "")


def _sentence(prefix: str, items: list[str] | None, k: int = 6) -> str:
    return f" {prefix} {_names(items, k)}." if items else ""


def summarize(n: dict, ctx: dict, max_tokens: int) -> str:
    kind, qual, path = n["kind"], n["qualified_name"], n["path"]
    facts = n.get("facts") or {}
    doc = first_sentence(n.get("docstring"))
    lang = LANG_NAMES.get(n["lang"], n["lang"])
    where = f" in `{path}`" if path else ""
    if kind == "module":
        s = f"`{path}` is a {lang} file." + (f" {doc}" if doc else "")
        s += _sentence("It defines", ctx.get("children"), 8) + _sentence("It imports", ctx.get("imports"), 5)
    elif kind == "namespace":
        s = f"`{qual}` is a namespace{where}." + _sentence("It holds", ctx.get("children"), 8)
    elif kind in ("class", "struct", "interface", "trait", "enum", "type"):
        s = f"`{qual}` is a {lang} {kind}{where}." + (f" {doc}" if doc else "")
        s += _sentence("It extends", ctx.get("bases"), 3) + _sentence("Members:", ctx.get("children"), 8)
    elif kind in ("function", "method"):
        owner = f" of `{ctx['container']}`" if ctx.get("container") and kind == "method" else ""
        s = f"`{qual}` is a {lang} {kind}{owner}{where}."
        if n.get("signature"):
            s += f" Signature: `{n['signature']}`."
        s += (f" {doc}" if doc else "") + _sentence("It calls", ctx.get("callees"), 5)
        s += _sentence("It is called by", ctx.get("callers"), 5)
    elif kind in ("variable", "constant", "field"):
        s = f"`{qual}` is a {lang} {kind}{where}" + (f": `{n['signature']}`." if n.get("signature") else ".")
        s += f" {doc}" if doc else ""
    elif kind == "package":
        s = _package(n, facts, ctx)
    elif kind == "option":
        s = _option(n, facts)
    elif kind == "input":
        s = f"`{n['name']}` is an input (a function argument, filled by callPackage) of `{path}`."
        s += _sentence("The package builds with it:", ctx.get("used_by"), 3)
    elif kind == "throw":
        s = f"Evaluating `{path}` can fail with `throw \"{n.get('docstring') or n['name']}\"`."
    elif kind == "assert":
        s = f"`{path}` asserts `{facts.get('condition') or n['name']}`; evaluation stops when it does not hold."
    elif kind == "page":
        s = f"Wiki page \"{n['name']}\". {doc}" + _sentence("Sections:", ctx.get("children"), 8)
    elif kind == "section":
        page = qual.split(" > ", 1)[0]
        s = f"Wiki section \"{n['name']}\" of the page \"{page}\": {n.get('docstring') or ''}"
    elif kind == "topic":
        tags = ", ".join(facts.get("tags") or [])
        s = f"Forum question \"{n['name']}\"" + (f" [{tags}]" if tags else "") + f": {n.get('docstring') or ''}"
    elif kind == "post":
        role = "Accepted answer" if facts.get("role") == "accepted_answer" else "Reply"
        s = f"{role} by {facts.get('username') or 'someone'} to \"{n['name'].rsplit(' #', 1)[0]}\": " \
            f"{n.get('docstring') or ''}"
    else:
        s = f"`{qual}` is a {lang} {kind}{where}." + (f" {doc}" if doc else "")
    return cap_tokens(s, max_tokens)


def _package(n: dict, f: dict, ctx: dict) -> str:
    name = f.get("pname") or n["name"]
    s = f"`{name}`" + (f" {f['version']}" if f.get("version") else "") + " is a Nix package"
    if f.get("attr") and f["attr"] != name:
        s += f" (attribute `{f['attr']}`)"
    s += f" built with `{f['builder']}`" if f.get("builder") else ""
    s += f", defined in `{n['path']}`."
    meta = f.get("meta") or {}
    if meta.get("description"):
        s += f" {meta['description'].rstrip('.')}."
    src = f.get("src") or {}
    if src.get("fetcher"):
        args = src.get("args") or {}
        origin = "/".join(x for x in (args.get("owner"), args.get("repo")) if x) or args.get("url") or ""
        s += f" Source: `{src['fetcher']}`" + (f" ({origin})" if origin else "") + "."
    for key, label in (("buildInputs", "Build inputs"), ("nativeBuildInputs", "Native build inputs"),
                       ("propagatedBuildInputs", "Propagated build inputs")):
        items = (f.get("inputs") or {}).get(key)
        if items:
            s += f" {label}: {_names(items, 6)}."
    lic = meta.get("license")
    if lic:
        s += f" License: {', '.join(lic) if isinstance(lic, list) else lic}."
    if meta.get("homepage"):
        s += f" Homepage: {meta['homepage']}."
    return s


def _option(n: dict, f: dict) -> str:
    s = f"`{n['qualified_name']}` is a NixOS option"
    typ = f.get("type")
    s += f" of type {typ}" if typ else ""
    if f.get("default") not in (None, ""):
        s += f", default `{f['default']}`"
    s += "."
    if n.get("docstring"):
        s += f" {first_sentence(n['docstring'], 400)}"
    if f.get("example") not in (None, ""):
        s += f" Example: `{f['example']}`."
    if n.get("path"):
        s += f" Declared in `{n['path']}`."
    return s
