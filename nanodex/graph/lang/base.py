"""The generic, query-driven extractor shared by the C-family, Python, Go, Rust and JS/TS specs.

A spec gives two tree-sitter queries:
- `defs`: each match captures a definition node as `@def.<kind>` and its name as `@name`;
- `refs`: captures `@call` (the callee: a name or a member access, whose receiver is kept as a name
  chain, see `callee`), `@import`, `@extends`, `@implements` (name nodes).
Nesting comes from byte ranges (a definition inside another is contained by it), so a method is a
function whose container is a class-like definition. Queries beat Python tree walks (see README).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson
import tree_sitter as ts

from ..ids import IdAllocator, module_id
from ..languages import query
from ..model import CONTAINER_KINDS

_WS = re.compile(r"\s+")
_UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")
COMMENT_TYPES = {"comment", "line_comment", "block_comment"}
# Wrappers whose preceding comment documents the definition they wrap.
WRAPPERS = {"export_statement", "decorated_definition", "template_declaration", "lexical_declaration",
            "variable_declaration", "declaration", "field_declaration", "type_declaration",
            "const_declaration", "var_declaration", "attribute_item"}


@dataclass
class Spec:
    lang: str
    defs: str
    refs: str
    sep: str = "."
    # (def node, kind, src) -> owner name (e.g. Go receiver type) or None
    owner: Callable | None = None
    docstring: Callable | None = None
    # kind fix-ups: (def node, kind, name) -> kind
    refine: Callable | None = None
    scope_only: set = field(default_factory=set)   # def kinds that qualify names but are not nodes (impl)
    import_text: Callable | None = None


def clean_comment(text: str) -> str:
    lines = []
    for line in text.splitlines():
        s = line.strip()
        for prefix in ("/**", "/*!", "/*", "///", "//!", "//", "#"):
            if s.startswith(prefix):
                s = s[len(prefix):]
                break
        if s.endswith("*/"):
            s = s[:-2]
        s = s.strip()
        if s.startswith("*"):
            s = s[1:].strip()
        lines.append(s)
    return "\n".join(lines).strip()


def preceding_comment(node: ts.Node) -> str | None:
    """Comments directly above a definition (or above its export/decorator wrapper)."""
    target = node
    while target.parent is not None and target.parent.type in WRAPPERS and target.prev_named_sibling is None:
        target = target.parent
    parts = []
    prev = target.prev_sibling
    line = target.start_point[0]
    while prev is not None and prev.type in COMMENT_TYPES and prev.end_point[0] >= line - 1:
        parts.append(prev.text.decode("utf-8", "replace"))
        line = prev.start_point[0]
        prev = prev.prev_sibling
    if not parts:
        return None
    return clean_comment("\n".join(reversed(parts))) or None


def last_line(node: ts.Node) -> int:
    """1-based last line; a node ending in a newline (#define, a whole file) ends on the line before."""
    row, col = node.end_point
    return row if col == 0 and row > node.start_point[0] else row + 1


def signature_of(node: ts.Node, src: bytes) -> str:
    body = node.child_by_field_name("body")
    end = body.start_byte if body is not None else min(node.end_byte, node.start_byte + 300)
    text = src[node.start_byte:end].decode("utf-8", "replace")
    if body is None:
        text = text.split("\n", 1)[0]
    text = _WS.sub(" ", text).strip().rstrip("{:").strip()
    return text[:300]


class Def:
    __slots__ = ("node", "kind", "name", "start", "end", "parent", "rparent", "qual", "id", "owner")

    def __init__(self, node, kind, name):
        self.node, self.kind, self.name = node, kind, name
        self.start, self.end = node.start_byte, node.end_byte
        self.parent = self.rparent = None
        self.qual = name
        self.id = None
        self.owner = None


def extract(spec: Spec, tree: ts.Tree, src: bytes, source: str, path: str, max_doc: int = 2000):
    """Return (nodes, edges, refs) rows for one parsed file."""
    root = tree.root_node
    mid = module_id(source, path)
    nodes = [(mid, source, "module", path.rsplit("/", 1)[-1], path, path, spec.lang, 1,
              last_line(root), None, _module_doc(spec, root), None)]
    edges = []
    alloc = IdAllocator(source, path)
    ordered = _definitions(spec, root)
    _nest(ordered)
    by_qual: dict[str, Def] = {}
    for d in ordered:
        parent = _qualify(spec, d, src, by_qual)
        d.kind = _kind_of(spec, d, parent)
        if d.kind in spec.scope_only:
            target = by_qual.get(d.qual)
            d.id = target.id if target is not None else (d.parent.id if d.parent is not None else mid)
            if target is not None:
                d.parent = target
            continue
        by_qual.setdefault(d.qual, d)
        d.id = alloc(d.qual)
        nodes.append(_node_row(spec, d, src, source, path, max_doc))
        container = d.parent.id if d.parent is not None and d.parent.id else mid
        edges.append((container, d.id, "contains", "exact"))
    return nodes, edges, _references(spec, root, mid, ordered)


def _definitions(spec: Spec, root) -> list[Def]:
    """Definitions in source order (outer before inner), de-duplicated by node: the earliest pattern
    in the query wins (more specific first)."""
    defs: dict[tuple, tuple[int, Def]] = {}
    for pattern, caps in ts.QueryCursor(query(spec.lang, spec.defs)).matches(root):
        name_nodes = caps.get("name")
        if not name_nodes:
            continue
        for cap, nodes_ in caps.items():
            if cap.startswith("def."):
                node = nodes_[0]
                key = (node.start_byte, node.end_byte, node.kind_id)
                if key in defs and defs[key][0] <= pattern:
                    continue
                raw = name_nodes[0].text.decode("utf-8", "replace")
                d = Def(node, cap[4:], raw)
                if "::" in raw:
                    d.owner, _, d.name = raw.rpartition("::")
                    d.owner = d.owner.replace("::", spec.sep)
                defs[key] = (pattern, d)
    return sorted((d for _, d in defs.values()), key=lambda d: (d.start, -d.end))


def _nest(ordered: list[Def]) -> None:
    """Containment by byte ranges: each definition's parent (and lexical parent) is the innermost one
    around it."""
    stack: list[Def] = []
    for d in ordered:
        while stack and stack[-1].end <= d.start:
            stack.pop()
        d.parent = d.rparent = stack[-1] if stack else None
        stack.append(d)


def _qualify(spec: Spec, d: Def, src: bytes, by_qual: dict[str, Def]):
    """Set d's owner and qualified name; an owner defined in the file becomes its parent. Returns the
    parent its kind is judged by (the lexical one unless the owner was found)."""
    if d.owner is None and spec.owner is not None:
        d.owner = spec.owner(d.node, d.kind, src)
    parent = d.parent
    if d.owner:
        base = parent.qual + spec.sep if parent is not None and parent.kind in ("namespace",) else ""
        owner_qual = base + d.owner if not d.owner.startswith(base) else d.owner
        d.qual = owner_qual + spec.sep + d.name
        owner_def = by_qual.get(owner_qual) or by_qual.get(d.owner)
        if owner_def is not None:
            parent = owner_def
            d.parent = owner_def
    elif parent is not None:
        d.qual = parent.qual + spec.sep + d.name
    return parent


def _kind_of(spec: Spec, d: Def, parent) -> str:
    """function -> method inside a class (or with an owner), variable -> field, UPPER_CASE -> constant,
    then the language's own refinement."""
    kind = d.kind
    in_type = parent is not None and parent.kind in CONTAINER_KINDS - {"namespace"}
    if kind == "function" and (in_type or d.owner):
        kind = "method"
    if kind == "variable" and in_type:
        kind = "field"
    if kind in ("variable", "field") and _UPPER.match(d.name):
        kind = "constant"
    if spec.refine is not None:
        kind = spec.refine(d.node, kind, d.name)
    return kind


def _node_row(spec: Spec, d: Def, src: bytes, source: str, path: str, max_doc: int) -> tuple:
    n = d.node
    doc = spec.docstring(n, src) if spec.docstring else preceding_comment(n)
    if doc and len(doc) > max_doc:
        doc = doc[:max_doc]
    meta = orjson.dumps({"owner": d.owner}).decode() if d.owner and d.parent is None else None
    return (d.id, source, d.kind, d.name, d.qual, path, spec.lang, n.start_point[0] + 1,
            last_line(n), signature_of(n, src), doc, meta)


def _references(spec: Spec, root, mid: str, ordered: list[Def]) -> list[tuple]:
    """imports, assigns, calls, extends and implements, each from the innermost definition around it,
    stable on (line, kind): bases keep their written order (the MRO is nearest first)."""
    starts = [d.start for d in ordered]

    def enclosing(byte: int) -> str:
        i = bisect.bisect_right(starts, byte) - 1
        d = ordered[i] if i >= 0 else None
        while d is not None and not (d.start <= byte < d.end):
            d = d.rparent
        return d.id if d is not None else mid

    refs = [row for cap, nodes_ in ts.QueryCursor(query(spec.lang, spec.refs)).captures(root).items()
            if not cap.startswith("_") for n in nodes_ if (row := _reference(spec, cap, n, mid, enclosing))]
    refs.sort(key=lambda r: (r[3], r[1]))
    return refs


def _reference(spec: Spec, cap: str, n, mid: str, enclosing) -> tuple | None:
    """The ref row of one captured node (None: an import with no text)."""
    if cap == "import":
        text = spec.import_text(n) if spec.import_text else n.text.decode("utf-8", "replace")
        return (mid, "imports", text, n.start_point[0] + 1) if text else None
    if cap == "assign":   # `x = Cls(...)`: x's class, for `x.m()` (Python)
        left = n.child_by_field_name("left").text.decode("utf-8", "replace")
        text, name = callee(n.child_by_field_name("right").child_by_field_name("function"))
        return (enclosing(n.start_byte), "assigns", f"{left}={text}", name.start_point[0] + 1)
    if cap == "call":
        text, name = callee(n)
        return (enclosing(name.start_byte), "calls", text, name.start_point[0] + 1)
    kind = {"extends": "extends", "implements": "implements"}[cap]
    return (enclosing(n.start_byte), kind, chain(n), n.start_point[0] + 1)


# Member access: node type -> (object field, name field). `a.b`, `a::b`, `a->b`, Java `a.m()`.
ACCESS = {"attribute": ("object", "attribute"), "member_expression": ("object", "property"),
          "field_access": ("object", "field"), "method_invocation": ("object", "name"),
          "selector_expression": ("operand", "field"), "field_expression": ("value", "field"),
          "scoped_identifier": ("path", "name"), "qualified_identifier": ("scope", "name"),
          "scoped_type_identifier": ("path", "name")}
NAMES = {"identifier", "type_identifier", "namespace_identifier", "field_identifier", "property_identifier",
         "package_identifier", "this", "self", "super", "crate", "dotted_name"}
UNKNOWN = "?"   # a receiver that is not a plain name chain (a call result, a subscript, a literal)


def _obj(node: ts.Node, field: str) -> ts.Node | None:
    if node.type == "field_expression":   # C/C++ call it `argument`, Rust `value`
        return node.child_by_field_name("value") or node.child_by_field_name("argument")
    return node.child_by_field_name(field)


def chain(node: ts.Node | None, depth: int = 0) -> str:
    """A receiver as a dotted name chain (`self`, `os.path`, `super()`, `super(Base)`), else `?`."""
    if node is None or depth > 8:
        return UNKNOWN
    t = node.type
    if t in NAMES:
        return node.text.decode("utf-8", "replace").replace("::", ".")
    if t in ACCESS:
        of, nf = ACCESS[t]
        name = node.child_by_field_name(nf)
        obj = _obj(node, of)
        if name is None:
            return UNKNOWN
        if obj is None:
            return name.text.decode("utf-8", "replace")
        left = chain(obj, depth + 1)
        return UNKNOWN if left == UNKNOWN else f"{left}.{name.text.decode('utf-8', 'replace')}"
    if t == "call":   # Python super() / super(Cls, self)
        fn = node.child_by_field_name("function")
        if fn is not None and fn.type == "identifier" and fn.text == b"super":
            args = node.child_by_field_name("arguments")
            first = args.named_child(0) if args is not None and args.named_child_count else None
            return f"super({first.text.decode()})" if first is not None and first.type == "identifier" else "super()"
    return UNKNOWN


def callee(node: ts.Node) -> tuple[str, ts.Node]:
    """A call's callee expression (a name or a member access, as the `@call` capture) -> (`[receiver.]name`,
    the name node): `f`, `self.f`, `super().f`, `mod.sub.f`, `?.f`. No `.parent` walks: they are slow."""
    if node.type in ACCESS:
        of, nf = ACCESS[node.type]
        name = node.child_by_field_name(nf)
        if name is not None:
            obj = _obj(node, of)
            text = name.text.decode("utf-8", "replace")
            return (text if obj is None else f"{chain(obj)}.{text}"), name
    return node.text.decode("utf-8", "replace"), node


def _module_doc(spec: Spec, root: ts.Node) -> str | None:
    if spec.lang == "python":
        first = root.named_child(0) if root.named_child_count else None
        if first is not None and first.type == "expression_statement" and first.named_child(0) is not None \
                and first.named_child(0).type == "string":
            return python_string(first.named_child(0))
    return None


def python_string(node: ts.Node) -> str | None:
    content = [c for c in node.named_children if c.type == "string_content"]
    text = "".join(c.text.decode("utf-8", "replace") for c in content)
    import inspect
    return inspect.cleandoc(text) or None
