"""NixOS / home-manager module options: `mk*Option` declarations under `options`, followed through
`let ... in`, `//` merges, `lib.optionalAttrs`, let-bound option sets and `types.submodule` (whose
options get the `<name>` / `*` path of the attrsOf / listOf around them); and the
`mkRenamedOptionModule` family -> `option_rename` facts (old path -> new path)."""

from __future__ import annotations

import functools
import re

import tree_sitter as ts

from .nix_values import ATTRSETS, K_APPLY, Scope, args, bindings, callee, flat, let_bindings, raw_string, unwrap

# Any `mk...Option` call declares one option (mkOption, mkEnableOption, mkPackageOption, and helpers such
# as lib.hm.shell.mkBashIntegrationOption); `mkOptionType`, `mkOptionDefault` are not declarations.
OPTION_CALL = re.compile(r"^mk\w*Option(MD)?$")
MKOPTION_KEYS = ("type", "default", "example", "description", "defaultText", "apply", "readOnly", "internal",
                 "visible")
# type constructor -> path segment its element gets (None: same path)
TYPE_WRAPPERS = {"attrsOf": "<name>", "lazyAttrsOf": "<name>", "dagOf": "<name>", "loaOf": "<name>",
                 "listOf": "*", "nonEmptyListOf": "*",
                 "nullOr": None, "uniq": None, "unique": None, "either": None, "oneOf": None, "coercedTo": None,
                 "functionTo": None}
RENAMES = {"mkRenamedOptionModule": "renamed", "mkAliasOptionModule": "renamed",
           "mkChangedOptionModule": "renamed", "mkMergedOptionModule": "renamed",
           "mkRenamedOptionModuleWith": "renamed", "mkRemovedOptionModule": "removed"}


def is_option_call(node: ts.Node | None) -> bool:
    return node is not None and node.kind_id == K_APPLY and _option_callee(callee(node))


@functools.lru_cache(maxsize=4096)
def _option_callee(name: str) -> bool:
    """`lib.mkOption`, `mkEnableOption`, `lib.hm.shell.mkBashIntegrationOption` -> True (by callee text)."""
    return bool(OPTION_CALL.match(name.rsplit(".", 1)[-1]))


class Options:
    """Walks an `options` value; `emit(path, meta, node, binding)` makes the node."""

    def __init__(self, scope: Scope, emit):
        self.scope, self.emit = scope, emit
        self.active: set[int] = set()   # let-bound values being walked now (a cycle guard, not a memo)

    def walk(self, prefix: list[str], expr, binding, scope: Scope | None = None, depth: int = 0):
        scope = scope or self.scope
        if depth > 12:
            return
        expr = unwrap(expr)
        while expr is not None and expr.type == "let_expression":
            scope = Scope(scope, {n: v for n, v, _ in let_bindings(expr)})
            expr = unwrap(expr.child_by_field_name("body"))
        if expr is None:
            return
        t = expr.type
        if t == "apply_expression":
            if is_option_call(expr):
                self.option(prefix, expr, binding, scope, {})
                return
            name = callee(expr).rsplit(".", 1)[-1]
            a = args(expr)
            if name in ("optionalAttrs", "mkIf") and a:
                self.walk(prefix, a[-1], binding, scope, depth + 1)
            elif name == "mkMerge" and a and unwrap(a[-1]) is not None and unwrap(a[-1]).type == "list_expression":
                for item in unwrap(a[-1]).named_children:
                    self.walk(prefix, item, binding, scope, depth + 1)
            elif name == "genAttrs" and len(a) == 2:
                self.gen_attrs(prefix, a, binding, scope, depth)
            elif name == "mapAttrs" and len(a) == 2:
                self.map_attrs(prefix, a, binding, scope, depth)
            elif name == "setAttrByPath" and len(a) == 2:   # setAttrByPath modulePath { .. }
                path = option_path(a[0], scope)
                self.walk(prefix + (path.split(".") if path else [f"<{flat(a[0])}>"]), a[1], binding, scope,
                          depth + 1)
            else:
                self.walk_function(prefix, expr, binding, scope, depth)
            return
        if t == "binary_expression" and text_op(expr) == "//":
            left, right = expr.child_by_field_name("left"), expr.child_by_field_name("right")
            lu = unwrap(left)
            if is_option_call(lu):   # mkEnableOption "x" // { default = true; }
                self.option(prefix, lu, binding, scope, dict(_mkoption_meta(right)))
                return
            self.walk(prefix, left, binding, scope, depth + 1)
            self.walk(prefix, right, binding, scope, depth + 1)
            return
        if t == "variable_expression":
            target = scope.lookup(flat(expr))
            if target is not None and target.id not in self.active:
                self.active.add(target.id)
                self.walk(prefix, target, binding, scope, depth + 1)
                self.active.discard(target.id)
            return
        if t in ATTRSETS:
            for parts, sub, b in bindings(expr):
                self.walk(prefix + parts, sub, b, scope, depth + 1)

    def walk_function(self, prefix, call, binding, scope, depth, into=None):
        """`mkOpts "x"` where `mkOpts = name: { .. }` is bound in the file: the options of its body."""
        f = unwrap(call)
        while f is not None and f.type == "apply_expression":
            f = unwrap(f.child_by_field_name("function"))
        if f is None or f.type != "variable_expression":
            return
        target = unwrap(scope.lookup(flat(f)))
        if target is None or target.type != "function_expression" or target.id in self.active:
            return
        self.active.add(target.id)
        body = target
        while body is not None and body.type == "function_expression":
            body = body.child_by_field_name("body")
        (into or self.walk)(prefix, body, binding, scope, depth + 1)
        self.active.discard(target.id)

    def map_attrs(self, prefix, a, binding, scope, depth):
        """`builtins.mapAttrs (name: v: { .. }) set`: one copy of the body per key of a literal set, else `<name>`."""
        fn, st = unwrap(a[0]), unwrap(a[1])
        if fn is None or fn.type != "function_expression":
            return
        if st is not None and st.type == "variable_expression":
            st = unwrap(scope.lookup(flat(st)))
        keys = [".".join(p) for p, _, _ in bindings(st)] if st is not None and st.type in ATTRSETS else ["<name>"]
        body = fn
        while body is not None and body.type == "function_expression":
            body = body.child_by_field_name("body")
        for k in keys:
            self.walk(prefix + [k], body, binding, scope, depth + 1)

    def gen_attrs(self, prefix, a, binding, scope, depth):
        """`lib.genAttrs [ "a" "b" ] (name: mkOption {..})` -> options a and b."""
        names, fn = unwrap(a[0]), unwrap(a[1])
        if names is None or names.type != "list_expression" or fn is None or fn.type != "function_expression":
            return
        body = fn.child_by_field_name("body")
        for item in names.named_children:
            s = raw_string(item)
            if s is not None and "${" not in s:
                self.walk(prefix + [s], body, binding, scope, depth + 1)

    def option(self, path: list[str], call: ts.Node, binding: ts.Node, scope: Scope, extra: dict):
        fn = callee(call).rsplit(".", 1)[-1]
        a = args(call)
        meta: dict = {"declared_with": fn}
        if fn == "mkOption" and a:
            meta.update(_mkoption_meta(a[-1]))
        elif fn == "mkEnableOption":
            what = raw_string(a[0]) if a else None
            meta.update(type="types.bool", default="false",
                        description=f"Whether to enable {what}." if what else None)
        elif fn.startswith("mkPackageOption"):
            pkg = a[1] if len(a) > 1 else None
            name = raw_string(pkg)
            meta.update(type="types.package",
                        package=name if name is not None else (flat(pkg) if pkg is not None else None))
            if name is None and pkg is not None and unwrap(pkg).type == "list_expression":
                meta["package"] = ".".join(raw_string(x) or flat(x) for x in unwrap(pkg).named_children)
        meta.update(extra)
        self.emit(path, {k: v for k, v in meta.items() if v is not None}, call, binding)
        if fn == "mkOption" and a:
            typ = dict((p[0], v) for p, v, _ in bindings(a[-1]) if len(p) == 1).get("type")
            if typ is not None:
                self.submodules(path, typ, binding, scope, 0)

    def submodules(self, path: list[str], typ, binding, scope: Scope, depth: int):
        """Options declared inside `types.submodule` in an option's type."""
        typ = unwrap(typ)
        if typ is None or depth > 6:
            return
        if typ.type == "variable_expression":
            target = scope.lookup(flat(typ))
            if target is not None and target.id not in self.active:
                self.active.add(target.id)
                self.submodules(path, target, binding, scope, depth + 1)
                self.active.discard(target.id)
            return
        if typ.type != "apply_expression":
            return
        name = callee(typ).rsplit(".", 1)[-1]
        a = args(typ)
        if name in TYPE_WRAPPERS:
            seg = TYPE_WRAPPERS[name]
            sub = path + [seg] if seg else path
            items = a
            if name == "oneOf" and a and unwrap(a[0]) is not None and unwrap(a[0]).type == "list_expression":
                items = unwrap(a[0]).named_children
            elif name == "coercedTo" and len(a) == 3:
                items = [a[2]]
            for x in items:
                self.submodules(sub, x, binding, scope, depth + 1)
        elif name == "submodule" and a:
            self.module(path, a[-1], binding, scope, depth)
        elif name not in ("enum", "strMatching", "ints", "between") and typ.type == "apply_expression":
            self.walk_function(path, typ, binding, scope, depth, into=self._submodules_of)
        elif name == "submoduleWith" and a:
            for parts, v, _ in bindings(a[-1]):
                lst = unwrap(v)
                if parts == ["modules"] and lst is not None and lst.type == "list_expression":
                    for m in lst.named_children:
                        self.module(path, m, binding, scope, depth)

    def _submodules_of(self, path, typ, binding, scope, depth):
        self.submodules(path, typ, binding, scope, depth)

    def module(self, path, mod, binding, scope: Scope, depth: int):
        mod = unwrap(mod, lets=False)
        if mod is not None and mod.type == "list_expression":   # types.submodule [ moduleA moduleB ]
            for m in mod.named_children:
                self.module(path, m, binding, scope, depth + 1)
            return
        if mod is not None and mod.type == "variable_expression":
            target = scope.lookup(flat(mod))
            if target is None or target.id in self.active:
                return
            self.active.add(target.id)
            self.module(path, target, binding, scope, depth + 1)
            self.active.discard(target.id)
            return
        while mod is not None and mod.type in ("function_expression", "let_expression"):
            if mod.type == "let_expression":
                scope = Scope(scope, {n: v for n, v, _ in let_bindings(mod)})
            mod = unwrap(mod.child_by_field_name("body"))
        for parts, v, b in bindings(mod):
            if parts and parts[0] == "options":
                self.walk(path + parts[1:], v, b, scope, depth + 1)


def text_op(node: ts.Node) -> str:
    op = node.child_by_field_name("operator")
    return op.text.decode() if op is not None else ""


def _mkoption_meta(attrs) -> dict:
    meta = {}
    for parts, e, _ in bindings(attrs):
        if len(parts) == 1 and parts[0] in MKOPTION_KEYS:
            s = raw_string(e)
            meta[parts[0]] = s[:500] if s is not None else flat(e, 500)
    return meta


def option_path(node: ts.Node | None, scope: Scope) -> str | None:
    """`[ "services" "foo" "port" ]` -> 'services.foo.port'; None when a part is not literal."""
    node = unwrap(node)
    if node is None or node.type != "list_expression":
        return None
    parts = []
    for c in node.named_children:
        if c.type == "comment":
            continue
        v = scope.literal(c)
        if v is None:
            return None
        parts.append(v)
    return ".".join(parts) if parts else None


def rename_facts(call: ts.Node, scope: Scope) -> list[dict]:
    """Facts of one `mk*OptionModule` call (several for mkMergedOptionModule's list of old paths)."""
    fn = callee(call).rsplit(".", 1)[-1]
    how = RENAMES.get(fn)
    if how is None:
        return []
    a = args(call)
    out = []
    if fn == "mkRenamedOptionModuleWith" and a:
        kv = {p[0]: v for p, v, _ in bindings(a[0]) if len(p) == 1}
        frm, to = option_path(kv.get("from"), scope), option_path(kv.get("to"), scope)
        if frm:
            f = {"from": frm, "to": to, "how": how, "declared_with": fn, "message": None}
            since = scope.literal(kv.get("sinceRelease")) if kv.get("sinceRelease") is not None else None
            if since:
                f["since"] = since
            out.append(f)
    elif fn == "mkRemovedOptionModule" and a:
        frm = option_path(a[0], scope)
        if frm:
            msg = scope.literal(a[1]) if len(a) > 1 else None
            if msg is None and len(a) > 1:
                msg = raw_string(a[1]) or flat(a[1], 500)
            out.append({"from": frm, "to": None, "how": how, "declared_with": fn, "message": (msg or "")[:500]})
    elif fn == "mkMergedOptionModule" and len(a) >= 2:
        lst, to = unwrap(a[0]), option_path(a[1], scope)
        for c in lst.named_children if lst is not None and lst.type == "list_expression" else ():
            frm = option_path(c, scope)
            if frm:
                out.append({"from": frm, "to": to, "how": how, "declared_with": fn, "message": None})
    elif len(a) >= 2:
        frm, to = option_path(a[0], scope), option_path(a[1], scope)
        if frm:
            out.append({"from": frm, "to": to, "how": how, "declared_with": fn, "message": None})
    return out
