"""Python: classes, functions/methods, module and class variables, imports, calls, bases."""

from .base import Spec, python_string

DEFS = r"""
(class_definition name: (identifier) @name) @def.class
(function_definition name: (identifier) @name) @def.function
(module (expression_statement (assignment left: (identifier) @name) @def.variable))
(class_definition body: (block (expression_statement (assignment left: (identifier) @name) @def.variable)))
"""

REFS = r"""
(call function: (identifier) @call)
(call function: (attribute attribute: (identifier)) @call)
(import_statement name: (dotted_name) @import)
(import_statement name: (aliased_import) @import)
(import_from_statement) @import
(class_definition superclasses: (argument_list (identifier) @extends))
(class_definition superclasses: (argument_list (attribute) @extends))
(assignment left: (identifier) right: (call function: [(identifier) (attribute)])) @assign
"""


def docstring(node, src):
    body = node.child_by_field_name("body")
    if body is None or node.type not in ("function_definition", "class_definition"):
        return None
    first = body.named_child(0) if body.named_child_count else None
    if first is not None and first.type == "expression_statement":
        s = first.named_child(0)
        if s is not None and s.type == "string":
            return python_string(s)
    return None


def _aliased(n) -> str:
    if n.type != "aliased_import":
        return n.text.decode("utf-8", "replace")
    alias = n.child_by_field_name("alias")
    return f"{n.child_by_field_name('name').text.decode()} as {alias.text.decode()}"


def import_text(node):
    """`import a.b as x` -> 'a.b as x'; `from a.b import c as d, e` -> 'a.b:c as d,e'; `from m import *`
    -> 'm:*' (resolved later to a.b's module or its symbols; the aliases bind names for call resolution)."""
    if node.type != "import_from_statement":
        return _aliased(node)
    mod = node.child_by_field_name("module_name")
    names = [_aliased(n) for n in node.children_by_field_name("name")]
    if not names and any(c.type == "wildcard_import" for c in node.children):
        names = ["*"]
    return f"{mod.text.decode() if mod is not None else ''}:{','.join(names)}"


SPEC = Spec(lang="python", defs=DEFS, refs=REFS, docstring=docstring, import_text=import_text)
