"""Nix values as facts: tree helpers, and literal resolution through `let`, `rec` and `finalAttrs`.

A fact is *literal* when it is a string/number (interpolations included) whose every `${...}` resolves
to a literal through the bindings in scope; anything else is an *expression* and is kept as source text.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from ..languages import grammar

ATTRSETS = ("attrset_expression", "rec_attrset_expression", "let_attrset_expression")
# Wrappers whose value is their body for the facts read here.
_BODY_WRAPPERS = ("with_expression", "assert_expression", "let_expression")
MAX_DEPTH = 8
CODE_CALLS = ("callPackage", "callPackages", "import", "callPackageWith")


_FIELD = grammar("nix").field_id_for_name
F_ARGUMENT, F_ATTRPATH, F_ATTRS, F_BODY, F_DEFAULT, F_EXPRESSION, F_FUNCTION = (
    _FIELD(f) for f in ("argument", "attrpath", "attrs", "body", "default", "expression", "function"))
# Named node kinds by id (`kind_id`: an int compare, where `.type` makes a string); each named kind of
# tree-sitter-nix has one id.
_KIND = grammar("nix").id_for_node_kind
K_PAREN, K_WITH, K_ASSERT, K_LET, K_BINDING_SET, K_BINDING, K_APPLY = (
    _KIND(k, True) for k in ("parenthesized_expression", "with_expression", "assert_expression", "let_expression",
                             "binding_set", "binding", "apply_expression"))
_ATTRSET_KINDS = frozenset(_KIND(k, True) for k in ATTRSETS)
_UNWRAPPED = frozenset((K_PAREN, K_WITH, K_ASSERT))   # what `unwrap` strips (without `lets`)


class _File:
    """The file being extracted (set by `source_of` for one extractor run): its bytes, its text when it
    is ASCII (byte offsets are then string offsets: a slice, no decode), and per-tree memos of
    `bindings` and `callee`. Outside a run every helper reads the node itself, as before."""

    src: bytes | None = None
    ascii: str | None = None
    memo: dict | None = None
    callee: dict | None = None


_CUR = _File()


class source_of:
    """`with source_of(src): ...` -- every node the helpers get inside is from the tree parsed from `src`."""

    def __init__(self, src: bytes):
        self.src = src

    def __enter__(self):
        _CUR.src = self.src
        _CUR.ascii = self.src.decode("ascii") if self.src.isascii() else None
        _CUR.memo, _CUR.callee = {}, {}
        return self

    def __exit__(self, *exc):
        _CUR.src = _CUR.ascii = _CUR.memo = _CUR.callee = None
        return False


def may_contain(node: ts.Node, needle: bytes) -> bool:
    """False when `needle` is nowhere in the node's source (a gate before a walk that would need it);
    True when it is, or when the source is not known (outside an extractor run)."""
    src = _CUR.src
    return src is None or src.find(needle, node.start_byte, node.end_byte) >= 0


def text(node: ts.Node | None) -> str:
    if node is None:
        return ""
    s = _CUR.ascii
    if s is not None:
        return s[node.start_byte:node.end_byte]
    if _CUR.src is not None:
        return _CUR.src[node.start_byte:node.end_byte].decode("utf-8", "replace")
    return node.text.decode("utf-8", "replace")


def flat(node: ts.Node | None, limit: int = 200) -> str:
    """Source text on one line (whitespace collapsed), cut at `limit`."""
    if node is None:
        return ""
    start, end = node.start_byte, node.end_byte
    span = 2 * limit + 64
    if end - start > span and _CUR.src is not None:
        # A big node: collapse a prefix of it; enough when the cut falls before its last word (which
        # may be cut short, or end in half a UTF-8 character).
        s = _CUR.ascii
        head = s[start:start + span] if s is not None else _CUR.src[start:start + span].decode("utf-8", "replace")
        c = " ".join(head.split())
        if c.rfind(" ") >= limit:
            return c[:limit]
    return " ".join(text(node).split())[:limit]


def unwrap(node: ts.Node | None, lets: bool = False) -> ts.Node | None:
    """Strip parentheses, `with x;` and `assert c;` (and `let ... in` when `lets`)."""
    while node is not None:
        k = node.kind_id
        if k == K_PAREN:
            node = node.named_child(0)
        elif k == K_WITH or k == K_ASSERT or (lets and k == K_LET):
            node = node.child_by_field_id(F_BODY)
        else:
            return node
    return None


_WRAPPERS = frozenset(("parenthesized_expression", "with_expression", "assert_expression"))


def raw_string(node: ts.Node | None) -> str | None:
    """A string's source between its quotes (interpolations left as written); None if not a string."""
    if node is None:
        return None
    t = node.type
    if t in _WRAPPERS:
        node = unwrap(node)
        if node is None:
            return None
        t = node.type
    if t != "string_expression" and t != "indented_string_expression":
        return None
    t = text(node)
    return t[2:-2] if t.startswith("''") else t[1:-1]


def callee_node(node: ts.Node) -> ts.Node:
    while node is not None and node.kind_id == K_APPLY:
        node = node.child_by_field_id(F_FUNCTION)
    return node


def callee(node: ts.Node) -> str:
    """`lib.mkOption {..}` -> 'lib.mkOption'; `(f x) y` -> the text of `(f x)` unwrapped to `f x`'s callee."""
    memo = _CUR.callee if node is not None else None
    if memo is not None:
        hit = memo.get(node.id)
        if hit is not None:
            return hit
    n = callee_node(node)
    inner = unwrap(n) if n is not None and n.kind_id in _UNWRAPPED else n
    if inner is not None and inner.type == "apply_expression":   # (buildGoModule.override {..}) {..}
        out = callee(inner)
    else:
        out = text(n)
    if memo is not None:
        memo[node.id] = out
    return out


def args(node: ts.Node) -> list[ts.Node]:
    out = []
    while node is not None and node.kind_id == K_APPLY:
        out.append(node.child_by_field_id(F_ARGUMENT))
        node = node.child_by_field_id(F_FUNCTION)
    out.reverse()
    return out


def root_name(expr: str) -> str:
    return expr.lstrip("(").split(".", 1)[0].split(" ", 1)[0].strip("()")


# An attrpath of plain names only (`a.b-c.d'`): its parts are its text split at the dots.
_PLAIN_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_'\-]*(?:\.[A-Za-z_][A-Za-z0-9_'\-]*)*")


def attrpath_parts(binding: ts.Node) -> list[str]:
    path = binding.child_by_field_id(F_ATTRPATH)
    if path is None:
        return []
    if _CUR.ascii is not None and not path.has_error:
        t = _CUR.ascii[path.start_byte:path.end_byte]
        if _PLAIN_PATH.fullmatch(t):
            return t.split(".")
    return [text(a).strip('"') for a in path.named_children]


def bindings(attrset: ts.Node | None) -> list:
    """(attrpath parts, value node, binding node) for each `a.b = v;` of an attrset (do not mutate:
    within an extractor run the list is memoised per attrset)."""
    if attrset is None:
        return []
    if attrset.kind_id in _UNWRAPPED:
        attrset = unwrap(attrset)
        if attrset is None:
            return []
    if attrset.kind_id not in _ATTRSET_KINDS:
        return []
    memo = _CUR.memo
    if memo is not None:
        hit = memo.get(attrset.id)
        if hit is not None:
            return hit
    out = []
    s = _CUR.ascii
    plain = _PLAIN_PATH.fullmatch
    for bs in attrset.named_children:
        if bs.kind_id != K_BINDING_SET:
            continue
        for b in bs.named_children:
            if b.kind_id == K_BINDING:   # attrpath_parts, inline: this is the hottest loop of the walk
                path = b.child_by_field_id(F_ATTRPATH)
                if path is None:
                    parts = []
                elif s is not None and not path.has_error and plain(t := s[path.start_byte:path.end_byte]):
                    parts = t.split(".")
                else:
                    parts = [text(a).strip('"') for a in path.named_children]
                out.append((parts, b.child_by_field_id(F_EXPRESSION), b))
    if memo is not None:
        memo[attrset.id] = out
    return out


def inherits(attrset: ts.Node | None):
    """(name, source expression text or None, node) for `inherit a;` (None) and `inherit (s) a;` ('s')."""
    attrset = unwrap(attrset)
    if attrset is None or attrset.type not in ATTRSETS:
        return
    for bs in attrset.named_children:
        if bs.type != "binding_set":
            continue
        for b in bs.named_children:
            if b.type in ("inherit", "inherit_from"):
                frm = flat(b.child_by_field_name("expression")) if b.type == "inherit_from" else None
                attrs = b.child_by_field_name("attrs")
                for a in attrs.named_children if attrs is not None else ():
                    if a.type == "identifier" and not a.is_missing:
                        yield text(a), frm, a


def let_bindings(node: ts.Node):
    """(name, value node, binding node) of a `let ... in` expression's single-name bindings."""
    for bs in node.named_children:
        if bs.type == "binding_set":
            for b in bs.named_children:
                if b.type == "binding":
                    parts = attrpath_parts(b)
                    if len(parts) == 1:
                        yield parts[0], b.child_by_field_name("expression"), b


_ESCAPES = {"\\n": "\n", "\\t": "\t", "\\r": "\r", "''$": "$", "'''": "''", "''\\n": "\n", "''\\t": "\t"}


class Scope:
    """Names a value can refer to: let bindings (nearest first) and a package's own attributes
    (visible unqualified in `rec { }`, and as `<self>.name` for `finalAttrs: { }`)."""

    def __init__(self, parent: Scope | None = None, names: dict | None = None, self_names: tuple = (),
                 own: dict | None = None, rec: bool = False):
        self.parent, self.names = parent, names or {}
        self.self_names, self.own, self.rec = self_names, own if own is not None else {}, rec
        self.prev: tuple | None = None   # (name, attrs) of `prev` in `pkg.overrideAttrs (prev: { .. })`

    def lookup(self, name: str):
        s = self
        while s is not None:
            if s.rec and name in s.own:
                return s.own[name]
            if name in s.names:
                return s.names[name]
            s = s.parent
        return None

    def self_attr(self, root: str, attr: str):
        s = self
        while s is not None:
            if root in s.self_names:
                return s.own.get(attr)
            s = s.parent
        return None

    def literal(self, value, depth: int = 0) -> str | None:
        """The literal string a value stands for, or None when it is (or uses) an expression.
        `value` is a node, or a str: a name to look up."""
        if depth > MAX_DEPTH or value is None:
            return None
        if isinstance(value, str):
            return self.literal(self.lookup(value), depth + 1) if self.lookup(value) is not None else None
        node = unwrap(value)
        if node is None:
            return None
        t = node.type
        if t in ("string_expression", "indented_string_expression"):
            out = []
            for c in node.named_children:
                if c.type == "string_fragment":
                    out.append(text(c))
                elif c.type == "escape_sequence":
                    e = text(c)
                    out.append(_ESCAPES.get(e, e[-1:]))
                elif c.type == "dollar_escape":
                    out.append("$")
                elif c.type == "interpolation":
                    v = self.literal(c.named_child(0), depth + 1)
                    if v is None:
                        return None
                    out.append(v)
            s = "".join(out)
            return _dedent(s) if t == "indented_string_expression" else s
        if t in ("integer_expression", "float_expression"):
            return text(node)
        if t == "variable_expression":
            target = self.lookup(text(node))
            return self.literal(target, depth + 1) if target is not None else None
        if t == "select_expression" and node.child_by_field_name("default") is None:
            base = node.child_by_field_name("expression")
            path = node.child_by_field_name("attrpath")
            parts = [text(a) for a in path.named_children] if path is not None else []
            if base is not None and base.type == "variable_expression" and len(parts) == 1:
                target = self.self_attr(text(base), parts[0])
                return self.literal(target, depth + 1) if target is not None else None
        return None


def _dedent(s: str) -> str:
    lines = s.split("\n")
    if lines and not lines[0].strip():
        lines = lines[1:]
    indents = [len(x) - len(x.lstrip(" ")) for x in lines if x.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(x[cut:] for x in lines).rstrip(" ")


_NAME_VERSION = re.compile(r"^(.+?)-(\d[^-]*(?:-.*)?)$")


def split_name(name: str) -> tuple[str, str | None]:
    """`bvi-1.3.2` -> (`bvi`, `1.3.2`): the version starts at the first dash followed by a digit
    (builtins.parseDrvName's rule)."""
    m = _NAME_VERSION.match(name)
    return (m.group(1), m.group(2)) if m else (name, None)


_DATA_LEAVES = frozenset(("string_expression", "indented_string_expression", "integer_expression",
                          "float_expression", "path_expression", "hpath_expression", "spath_expression",
                          "uri_expression", "variable_expression", "select_expression"))


def _binding_values(attrset: ts.Node):
    """The value nodes of an attrset's bindings, in order (`bindings` without the attrpath text)."""
    memo = _CUR.memo
    if memo is not None:
        hit = memo.get(attrset.id)
        if hit is not None:
            return [v for _, v, _ in hit]
    return [b.child_by_field_id(F_EXPRESSION) for bs in attrset.named_children if bs.type == "binding_set"
            for b in bs.named_children if b.type == "binding"]


def is_plain_data(node: ts.Node | None, depth: int = 0) -> bool:
    """A value that is data, not code: literals, names, lists/attrsets of those, and applications of
    a name to such values (`freeform "32"`, `option yes`) -- what kernel configs and tables are made of."""
    if node is not None and node.kind_id in _UNWRAPPED:
        node = unwrap(node)
    if node is None or depth > 4:
        return node is None
    t = node.type
    if t in _DATA_LEAVES:
        return True
    if t == "list_expression":
        for c in node.named_children:
            if c.type != "comment" and not is_plain_data(c, depth + 1):
                return False
        return True
    if t == "attrset_expression" or t == "rec_attrset_expression":
        for v in _binding_values(node):
            if not is_plain_data(v, depth + 1):
                return False
        return True
    if t == "apply_expression":
        f = callee_node(node)
        if f is None or text(f).rsplit(".", 1)[-1] in CODE_CALLS:
            return False   # `callPackage ./x { }` entries are what a package set is for, not data
        if f.type not in ("variable_expression", "select_expression"):
            return False
        for a in args(node):
            if not is_plain_data(a, depth + 1):
                return False
        return True
    return False
