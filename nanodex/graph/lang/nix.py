"""Nix: the facts nixpkgs and NixOS files carry.

- the file's function arguments (`{ lib, stdenv, openssl }:`, i.e. callPackage dependencies) -> `input`
- a package (`stdenv.mkDerivation`, `buildPythonPackage`, ... with `rec {}` or `finalAttrs: {}`) ->
  `package` with pname, version, the `src` fetcher call and its arguments, build inputs, meta
  (description, license, homepage), and `depends_on` edges to the inputs it uses;
- NixOS module options (`mkOption`, `mkEnableOption`, `mkPackageOption`) -> `option`;
- top-level attributes and let-bindings of library-style files -> `function` / `variable`;
- `import ./x.nix`, `callPackage ./x.nix {}`, `imports = [ ./x.nix ]` -> `imports` references.

tree-sitter-nix 0.1.0 predates the trailing-comma fix: `{ a, b, }:` yields a MISSING identifier;
those are skipped, and the tree's error flag alone is not taken as a syntax error.
"""

from __future__ import annotations

import re

import orjson
import tree_sitter as ts

from ..ids import IdAllocator, module_id
from ..languages import query
from .base import clean_comment, last_line

INPUT_LISTS = ("buildInputs", "nativeBuildInputs", "propagatedBuildInputs", "propagatedNativeBuildInputs",
               "checkInputs", "nativeCheckInputs", "dependencies", "build-system", "optional-dependencies")
META_KEYS = ("description", "longDescription", "homepage", "license", "mainProgram", "platforms",
             "changelog", "broken")
PKG_BUILDERS_SUFFIX = ("mkDerivation", "Package", "Application", "Module", "buildGoModule",
                       "buildRustPackage", "buildNpmPackage", "buildDotnetModule", "mkDerivationWith")
REFS = r"""
(apply_expression function: (_) @fn argument: (path_expression) @path)
(binding attrpath: (attrpath) @attr expression: (list_expression (path_expression) @listpath))
"""
ERRORS = r"""
(apply_expression function: (variable_expression name: (identifier) @_t (#eq? @_t "throw")) argument: (_) @throw)
(assert_expression condition: (_) @assert)
"""


def _t(node: ts.Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _unwrap(node: ts.Node | None) -> ts.Node | None:
    while node is not None and node.type in ("parenthesized_expression", "with_expression", "assert_expression"):
        node = node.child_by_field_name("body") if node.type != "parenthesized_expression" else node.named_child(0)
    return node


def _string_value(node: ts.Node | None) -> str | None:
    node = _unwrap(node)
    if node is None:
        return None
    if node.type in ("string_expression", "indented_string_expression"):
        t = _t(node)
        return t[2:-2] if t.startswith("''") else t[1:-1]
    return None


def _value(node: ts.Node | None, limit: int = 200):
    """A binding's value as data: strings unquoted, everything else as its source text."""
    s = _string_value(node)
    if s is not None:
        return s[:limit]
    node = _unwrap(node)
    if node is None:
        return None
    text = " ".join(_t(node).split())
    return text[:limit]


def _bindings(attrset: ts.Node | None):
    """(attrpath parts, value node, binding node) for each binding of an attrset (inherit skipped)."""
    attrset = _unwrap(attrset)
    if attrset is None or attrset.type not in ("attrset_expression", "rec_attrset_expression",
                                               "let_attrset_expression"):
        return
    for bs in attrset.named_children:
        if bs.type != "binding_set":
            continue
        for b in bs.named_children:
            if b.type == "binding":
                path = b.child_by_field_name("attrpath")
                parts = [_t(a).strip('"') for a in path.named_children] if path is not None else []
                yield parts, b.child_by_field_name("expression"), b


def _comment_before(node: ts.Node) -> str | None:
    prev = node.prev_sibling
    if prev is None and node.parent is not None and node.parent.type == "binding_set":
        prev = node.parent.prev_sibling   # a comment above the first binding sits outside the set
    parts, line = [], node.start_point[0]
    while prev is not None and prev.type == "comment" and prev.end_point[0] >= line - 1:
        parts.append(_t(prev))
        line = prev.start_point[0]
        prev = prev.prev_sibling
    return clean_comment("\n".join(reversed(parts))) or None if parts else None


def _inherited(attrset: ts.Node | None) -> list[str]:
    """Names of `inherit a b;` (not `inherit (x) a;`) in an attrset."""
    attrset = _unwrap(attrset)
    out = []
    for bs in attrset.named_children if attrset is not None else ():
        if bs.type == "binding_set":
            for b in bs.named_children:
                if b.type == "inherit":
                    attrs = b.child_by_field_name("attrs")
                    out.extend(_t(a) for a in (attrs.named_children if attrs is not None else ()))
    return out


_NAME_VERSION = re.compile(r"^(.+?)-(\d[^-]*(?:-.*)?)$")


def split_name(name: str) -> tuple[str, str | None]:
    """`bvi-1.3.2` -> (`bvi`, `1.3.2`): the version starts at the first dash followed by a digit
    (builtins.parseDrvName's rule)."""
    m = _NAME_VERSION.match(name)
    return (m.group(1), m.group(2)) if m else (name, None)


def _callee(node: ts.Node) -> str:
    """Name of the function an application calls: `lib.mkOption {..}` -> 'lib.mkOption'."""
    while node is not None and node.type == "apply_expression":
        node = node.child_by_field_name("function")
    return _t(node)


def _args(node: ts.Node) -> list[ts.Node]:
    out = []
    while node is not None and node.type == "apply_expression":
        out.append(node.child_by_field_name("argument"))
        node = node.child_by_field_name("function")
    return list(reversed(out))


def _root_name(expr: str) -> str:
    return expr.split(".", 1)[0].strip("()")


class NixExtractor:
    lang = "nix"

    def __init__(self, source: str, path: str, src: bytes, max_doc: int):
        self.source, self.path, self.src, self.max_doc = source, path, src, max_doc
        self.mid = module_id(source, path)
        self.alloc = IdAllocator(source, path)
        self.nodes, self.edges, self.refs = [], [], []
        self.inputs: dict[str, str] = {}
        self.module_meta: dict = {}
        self.let_strings: dict[str, str] = {}
        self.let_packages: list[ts.Node] = []

    def node(self, key, kind, name, qual, n, signature=None, doc=None, meta=None, parent=None):
        nid = self.alloc(key)
        if doc and len(doc) > self.max_doc:
            doc = doc[: self.max_doc]
        self.nodes.append((nid, self.source, kind, name, qual, self.path, "nix", n.start_point[0] + 1,
                           last_line(n), signature, doc,
                           orjson.dumps(meta, option=orjson.OPT_SORT_KEYS).decode() if meta else None))
        self.edges.append((parent or self.mid, nid, "contains", "exact"))
        return nid

    def run(self, tree: ts.Tree):
        root = tree.root_node
        body = next((c for c in root.named_children if c.type != "comment"), None)
        doc = _comment_before(body) if body is not None else None
        body = self.formals(_unwrap(body))
        body = self.lets(body)
        if body is not None:
            self.analyse(body)
        if not any(n[2] == "package" for n in self.nodes):
            for call in self.let_packages[:1]:
                self.package(call)
        self.path_refs(root)
        self.errors(root)
        first = (self.mid, self.source, "module", self.path.rsplit("/", 1)[-1], self.path, self.path, "nix", 1,
                 last_line(root), None, doc,
                 orjson.dumps(self.module_meta, option=orjson.OPT_SORT_KEYS).decode() if self.module_meta else None)
        self.nodes.insert(0, first)
        self.refs.sort(key=lambda r: (r[3], r[1], r[2], r[0]))
        return self.nodes, self.edges, self.refs

    def formals(self, node):
        """`{ a, b ? d, ... }: body` -> input nodes; returns the body."""
        while node is not None and node.type == "function_expression":
            formals = node.child_by_field_name("formals")
            if formals is not None:
                for f in formals.named_children:
                    if f.type != "formal":
                        continue
                    name_node = f.child_by_field_name("name")
                    if name_node is None or name_node.is_missing or not _t(name_node):
                        continue
                    name = _t(name_node)
                    default = f.child_by_field_name("default")
                    meta = {"default": _value(default)} if default is not None else None
                    self.inputs[name] = self.node(f"arg:{name}", "input", name, name, f, meta=meta)
            else:
                break
            node = _unwrap(node.child_by_field_name("body"))
        return node

    def lets(self, node):
        while node is not None and node.type == "let_expression":
            for bs in node.named_children:
                if bs.type == "binding_set":
                    for b in bs.named_children:
                        if b.type == "binding":
                            path = b.child_by_field_name("attrpath")
                            name = ".".join(_t(a) for a in path.named_children)
                            expr = _unwrap(b.child_by_field_name("expression"))
                            value = _string_value(expr)
                            if value is not None:
                                self.let_strings[name] = value   # for `inherit version;` in the package
                            if expr is not None and expr.type == "apply_expression" and self.is_package_call(expr):
                                self.let_packages.append(expr)   # `let package = buildGoModule {..}; in ...`
                            else:
                                self.binding_node(name, b)
            node = _unwrap(node.child_by_field_name("body"))
        return node

    def binding_node(self, name: str, b: ts.Node, parent=None, prefix=""):
        expr = _unwrap(b.child_by_field_name("expression"))
        if expr is None:
            return
        qual = prefix + name
        if expr.type == "function_expression":
            head = _t(expr)[: expr.child_by_field_name("body").start_byte - expr.start_byte] \
                if expr.child_by_field_name("body") is not None else ""
            params = []
            while expr is not None and expr.type == "function_expression":
                body = expr.child_by_field_name("body")
                params.append(_t(expr)[: body.start_byte - expr.start_byte].strip().rstrip(":").strip())
                expr = _unwrap(body)
            sig = f"{name} = {': '.join(params)}: ..." if params else f"{name} = {head}"
            self.node(qual, "function", name, qual, b, signature=" ".join(sig.split())[:300],
                      doc=_comment_before(b), parent=parent)
        else:
            self.node(qual, "variable", name, qual, b, signature=f"{name} = {_value(expr, 120)}",
                      doc=_comment_before(b), parent=parent)

    def analyse(self, body: ts.Node):
        if body.type == "apply_expression" and self.is_package_call(body):
            self.package(body)
            return
        if body.type in ("attrset_expression", "rec_attrset_expression"):
            top = list(_bindings(body))
            keys = {parts[0] for parts, _, _ in top if parts}
            if keys & {"options", "config", "imports"} and not keys - {"options", "config", "imports", "meta",
                                                                          "disabledModules", "_file", "key"}:
                self.module_meta["nixos_module"] = True
                for parts, expr, b in top:
                    if parts and parts[0] == "options":
                        self.options(parts[1:], expr, b)
                return
            # Library-style file or package set; entries' files are linked by their callPackage imports.
            for parts, _, b in top:
                self.binding_node(".".join(parts), b)

    def is_package_call(self, node: ts.Node) -> bool:
        callee = _callee(node)
        last = callee.rsplit(".", 1)[-1]
        if not (last.endswith(PKG_BUILDERS_SUFFIX) and (last.startswith(("build", "mk")) or "mkDerivation" in last)):
            return False
        args = _args(node)
        return bool(args) and self.attrs_of(args[-1]) is not None

    @staticmethod
    def attrs_of(arg: ts.Node | None):
        arg = _unwrap(arg)
        if arg is not None and arg.type == "function_expression":   # finalAttrs: { ... }
            arg = _unwrap(arg.child_by_field_name("body"))
        if arg is not None and arg.type in ("attrset_expression", "rec_attrset_expression"):
            return arg
        return None

    def package(self, call: ts.Node):
        attrs = self.attrs_of(_args(call)[-1])
        facts: dict = {"builder": _callee(call)}
        inputs: dict[str, list[str]] = {}
        meta: dict = {}
        for name in _inherited(attrs):
            if name in ("pname", "version", "name") and name in self.let_strings:
                facts[name] = self.let_strings[name]
        for parts, expr, _ in _bindings(attrs):
            key = parts[0] if parts else ""
            if key in ("pname", "version", "name") and len(parts) == 1:
                facts[key] = _value(expr)
            elif key == "src" and len(parts) == 1:
                facts["src"] = self.fetcher(expr)
            elif key in INPUT_LISTS:
                inputs[".".join(parts)] = self.list_items(expr)
            elif key == "meta":
                if len(parts) == 1:
                    for mparts, mexpr, _ in _bindings(expr):
                        if mparts and mparts[0] in META_KEYS:
                            meta[mparts[0]] = self.meta_value(mparts[0], mexpr)
                elif parts[1] in META_KEYS:
                    meta[parts[1]] = self.meta_value(parts[1], expr)
        if inputs:
            facts["inputs"] = inputs
        if meta:
            facts["meta"] = meta
        if "pname" not in facts and facts.get("name"):
            pname, version = split_name(facts["name"])
            facts["pname"] = pname
            if version and "version" not in facts:
                facts["version"] = version
        if self.path.rsplit("/", 1)[-1] in ("package.nix", "default.nix") and "/" in self.path:
            facts["attr"] = self.path_name()   # pkgs/by-name/xx/<attr>/package.nix; pkgs/**/<attr>/default.nix
        name = facts.get("pname") or self.path_name()
        nid = self.node(f"pkg:{name}", "package", name, name, call,
                        signature=f"{name} {facts.get('version') or ''}".strip(),
                        doc=meta.get("description"), meta=facts)
        deps = []
        for items in inputs.values():
            for item in items:
                root = _root_name(item)
                if root in self.inputs and root not in deps:
                    deps.append(root)
        for dep in deps:
            self.edges.append((nid, self.inputs[dep], "depends_on", "exact"))

    def path_name(self) -> str:
        parts = self.path.split("/")
        if parts[-1] in ("default.nix", "package.nix") and len(parts) > 1:
            return parts[-2]
        return parts[-1].removesuffix(".nix")

    def fetcher(self, expr):
        expr = _unwrap(expr)
        if expr is None:
            return None
        if expr.type == "apply_expression":
            args = _args(expr)
            out = {"fetcher": _callee(expr)}
            attrs = _unwrap(args[-1]) if args else None
            if attrs is not None and attrs.type in ("attrset_expression", "rec_attrset_expression"):
                bindings = list(_bindings(attrs))
                out["args"] = {".".join(p): _value(e) for p, e, _ in bindings}
                exprs = sorted(".".join(p) for p, e, _ in bindings if _string_value(e) is None)
                if exprs:
                    out["expr_args"] = exprs   # values that are Nix expressions, not strings
            return out
        return {"expression": _value(expr)}

    def list_items(self, expr) -> list[str]:
        expr = _unwrap(expr)
        items = []
        stack = [expr]
        while stack:
            e = _unwrap(stack.pop())
            if e is None:
                continue
            if e.type == "list_expression":
                items.extend(" ".join(_t(c).split()) for c in e.named_children if c.type != "comment")
            elif e.type == "binary_expression":   # a ++ b, lib.optionals ... ++ [...]
                stack.extend(reversed([c for c in e.named_children]))
            elif e.type == "apply_expression" and _callee(e).endswith(("optionals", "optional")):
                stack.append(_args(e)[-1] if _args(e) else None)
        return items

    def meta_value(self, key, expr):
        if key == "license":
            e = _unwrap(expr)
            if e is not None and e.type == "list_expression":
                return [_value(c).rsplit(".", 1)[-1] for c in e.named_children if c.type != "comment"]
            return (_value(expr) or "").rsplit(".", 1)[-1]
        return _value(expr, 500)

    def options(self, prefix: list[str], expr, binding):
        expr = _unwrap(expr)
        if expr is None:
            return
        if expr.type == "apply_expression":
            callee = _callee(expr).rsplit(".", 1)[-1]
            if callee in ("mkOption", "mkEnableOption", "mkPackageOption", "mkPackageOptionMD"):
                self.option(prefix, callee, expr, binding)
                return
        for parts, sub, b in _bindings(expr):
            self.options(prefix + parts, sub, b)

    def option(self, path: list[str], callee: str, call: ts.Node, binding: ts.Node):
        name = ".".join(path)
        args = _args(call)
        meta: dict = {"declared_with": callee}
        if callee == "mkOption" and args:
            for parts, e, _ in _bindings(args[-1]):
                if parts and parts[0] in ("type", "default", "example", "description", "defaultText", "apply",
                                          "readOnly", "internal", "visible"):
                    meta[parts[0]] = _value(e, 500)
        elif callee == "mkEnableOption":
            what = _string_value(args[0]) if args else None
            meta.update(type="types.bool", default="false",
                        description=f"Whether to enable {what}." if what else None)
        elif callee.startswith("mkPackageOption"):
            meta.update(type="types.package", package=_value(args[1]) if len(args) > 1 else None)
        doc = meta.get("description") or _comment_before(binding)
        typ = (meta.get("type") or "").removeprefix("lib.")
        self.node(f"option:{name}", "option", path[-1] if path else name, name, binding,
                  signature=f"{name} : {typ}".strip(" :"), doc=doc, meta=meta)

    def errors(self, root: ts.Node):
        """`throw "message"` and `assert cond;`: what makes an evaluation fail, and why."""
        caps = ts.QueryCursor(query("nix", ERRORS)).captures(root)
        for n in caps.get("throw", []):
            msg = _value(n, 300)
            self.node(f"throw:{n.start_point[0] + 1}", "throw", msg[:80], f"throw {msg[:80]}", n.parent,
                      signature=f"throw {msg[:120]}", doc=msg)
        for n in caps.get("assert", []):
            cond = _value(n, 300)
            self.node(f"assert:{n.start_point[0] + 1}", "assert", cond[:80], f"assert {cond[:80]}", n.parent,
                      signature=f"assert {cond[:120]}", doc=None, meta={"condition": cond})

    def path_refs(self, root: ts.Node):
        caps = ts.QueryCursor(query("nix", REFS)).matches(root)
        for _, c in caps:
            if "path" in c:
                fn = _t(c["fn"][0]).rsplit(".", 1)[-1]
                if fn in ("import", "callPackage", "callPackages") or fn.endswith("callPackage"):
                    p = c["path"][0]
                    self.refs.append((self.mid, "imports", _t(p), p.start_point[0] + 1))
            elif "listpath" in c and _t(c["attr"][0]) == "imports":
                for p in c["listpath"]:
                    self.refs.append((self.mid, "imports", _t(p), p.start_point[0] + 1))


class _NixSpec:
    lang = "nix"

    def extract(self, tree, src, source, path, max_doc=2000):
        return NixExtractor(source, path, src, max_doc).run(tree)


SPEC = _NixSpec()
