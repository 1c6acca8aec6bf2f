"""Go: functions, methods (owned by their receiver type), struct/interface/other types,
package-level const/var, imports, calls."""

from .base import Spec

DEFS = r"""
(function_declaration name: (identifier) @name) @def.function
(method_declaration name: (field_identifier) @name) @def.function
(type_spec name: (type_identifier) @name type: (struct_type)) @def.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @def.interface
(type_spec name: (type_identifier) @name) @def.type
(source_file (const_declaration (const_spec name: (identifier) @name) @def.constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @def.variable))
(field_declaration_list (field_declaration name: (field_identifier) @name) @def.variable)
(method_elem name: (field_identifier) @name) @def.function
"""

REFS = r"""
(call_expression function: (identifier) @call)
(call_expression function: (selector_expression field: (field_identifier)) @call)
(import_spec path: (interpreted_string_literal) @import)
"""


def owner(node, kind, src):
    if node.type != "method_declaration":
        return None
    recv = node.child_by_field_name("receiver")
    if recv is None:
        return None
    for param in recv.named_children:
        t = param.child_by_field_name("type")
        while t is not None and t.type in ("pointer_type", "generic_type"):
            t = t.named_child(0) if t.type == "pointer_type" else t.child_by_field_name("type")
        if t is not None and t.type == "type_identifier":
            return t.text.decode()
    return None


def import_text(node):
    """`import st "x/store"` -> 'x/store as st' (the alias is the name calls use)."""
    path = node.text.decode().strip('"`')
    alias = node.parent.child_by_field_name("name") if node.parent is not None else None
    return f"{path} as {alias.text.decode()}" if alias is not None else path


SPEC = Spec(lang="go", defs=DEFS, refs=REFS, owner=owner, import_text=import_text)
