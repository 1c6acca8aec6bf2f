"""Nix code for answers, written from extracted facts (and checked by the validator with tree-sitter-nix)."""

from __future__ import annotations

import re

# String literals and comments, blanked before looking for `=>` (which is no Nix operator).
_NIX_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'\'(?:[^\']|\'(?!\'))*\'\'|#[^\n]*|/\*.*?\*/', re.S)
_DOC_RESULT = re.compile(r"(?:^|\s)=>(?:\s|$)", re.M)
_NUM = re.compile(r"^-?\d+(\.\d+)?$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_'-]*$")


def is_doc_example(code: str) -> bool:
    """A nixpkgs doc-comment example: expressions each followed by `=> result` (as in lib's docs,
    `concatStrings ["a" "b"]\n=> "ab"`). `=>` is no Nix operator, so such a block documents results
    rather than being code to parse; it is recognised as documentation instead."""
    if "=>" not in code:
        return False
    bare = _NIX_STRINGS.sub('""', code)
    m = _DOC_RESULT.search(bare)
    return bool(m) and bool(bare[:m.start()].strip())


def nix_string(s: str) -> str:
    """A Nix string literal for text that came from inside a Nix string (escapes kept as written)."""
    return '"' + s.replace("\n", "\\n") + '"'


def attr_name(name: str) -> str:
    return name if _IDENT.match(name) else nix_string(name)


def literal(value, typ: str = "") -> str | None:
    """A Nix literal for an option value, or None when it is not a simple one."""
    if value is None:
        return None
    v = str(value).strip()
    if v in ("true", "false", "null") or _NUM.match(v):
        return v
    if v.startswith('"') and v.endswith('"') and len(v) >= 2:
        return v
    if "str" in typ or "path" in typ or "string" in typ:
        if "\n" not in v and '"' not in v and "${" not in v:
            return nix_string(v)
    return None


def package_expression(facts: dict, name: str) -> str:
    """The skeleton of a package's derivation: pname, version, src, inputs and meta."""
    inputs = facts.get("inputs") or {}
    src = facts.get("src") or {}
    args = ["lib"]
    builder = facts.get("builder") or "stdenv.mkDerivation"
    root = builder.split(".", 1)[0]
    if root not in args and _IDENT.match(root):
        args.append(root)
    if src.get("fetcher") and _IDENT.match(src["fetcher"].split(".", 1)[0]):
        args.append(src["fetcher"].split(".", 1)[0])
    for items in inputs.values():
        for item in items:
            head = item.split(".", 1)[0]
            if _IDENT.match(head) and head not in args:
                args.append(head)
    uses_final = any("finalAttrs" in str(v) for v in (src.get("args") or {}).values())
    lines = [f"{{ {', '.join(args)} }}:", "", f"{builder} ({'finalAttrs: ' if uses_final else 'rec '}{{"]
    if facts.get("pname"):
        lines.append(f"  pname = {nix_string(facts['pname'])};")
    elif name:
        lines.append(f"  pname = {nix_string(name)};")
    if facts.get("version"):
        lines.append(f"  version = {nix_string(facts['version'])};")
    if src.get("fetcher"):
        exprs = set(src.get("expr_args") or [])
        lines.append(f"  src = {src['fetcher']} {{")
        for key, val in (src.get("args") or {}).items():
            if val is None:
                continue
            lines.append(f"    {attr_name(key)} = {val if key in exprs else nix_string(val)};")
        lines.append("  };")
    for key in ("nativeBuildInputs", "buildInputs", "propagatedBuildInputs"):
        items = [i for i in inputs.get(key) or [] if re.match(r"^[A-Za-z_][\w.'-]*$", i)]
        if items:
            lines.append(f"  {key} = [ {' '.join(items)} ];")
    meta = facts.get("meta") or {}
    meta_lines = []
    for key in ("description", "homepage"):
        if meta.get(key) and "\n" not in meta[key]:
            meta_lines.append(f"    {key} = {nix_string(meta[key])};")
    lic = meta.get("license")
    if isinstance(lic, str) and _IDENT.match(lic):
        meta_lines.append(f"    license = lib.licenses.{lic};")
    if meta_lines:
        lines += ["  meta = {", *meta_lines, "  };"]
    lines.append("})")
    return "\n".join(lines)


def pin_overlay(attr: str, facts: dict) -> str:
    """An overlay that overrides version and src: the usual way to pin another version."""
    src = facts.get("src") or {}
    fetcher = src.get("fetcher")
    out = ["final: prev: {", f"  {attr_name(attr)} = prev.{attr_name(attr)}.overrideAttrs (old: {{",
           f"    version = {nix_string(facts.get('version') or '1.0')}; # the version you want"]
    if fetcher:
        out.append(f"    src = prev.{fetcher} {{")
        for key, val in (src.get("args") or {}).items():
            if key in ("hash", "sha256", "rev", "tag", "url") or val is None:
                continue
            value = val if key in set(src.get("expr_args") or []) else nix_string(val)
            out.append(f"      {attr_name(key)} = {value};")
        if "url" in (src.get("args") or {}):
            out.append('      url = "<url of that version>";')
        else:
            out.append('      rev = "v${final.' + attr_name(attr) + '.version}";')
        out.append("      hash = prev.lib.fakeHash; # build once; Nix prints the real hash")
        out.append("    };")
    out += ["  });", "}"]
    return "\n".join(out)


def fetcher_call(src: dict) -> str:
    exprs = set(src.get("expr_args") or [])
    body = "\n".join(f"  {attr_name(k)} = {v if k in exprs else nix_string(v)};"
                     for k, v in (src.get("args") or {}).items() if v is not None)
    return f"src = {src['fetcher']} {{\n{body}\n}};"


def option_setting(option: str, value: str) -> str:
    return "{\n  " + option + " = " + value + ";\n}"
