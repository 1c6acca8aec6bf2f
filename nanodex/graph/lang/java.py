"""Java: classes, interfaces, enums, records, methods/constructors, fields, imports, calls."""

from .base import Spec

DEFS = r"""
(class_declaration name: (identifier) @name) @def.class
(record_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(annotation_type_declaration name: (identifier) @name) @def.interface
(method_declaration name: (identifier) @name) @def.function
(constructor_declaration name: (identifier) @name) @def.function
(field_declaration declarator: (variable_declarator name: (identifier) @name)) @def.variable
(constant_declaration declarator: (variable_declarator name: (identifier) @name)) @def.constant
"""

REFS = r"""
(method_invocation name: (identifier)) @call
(object_creation_expression type: (type_identifier) @call)
(object_creation_expression type: (generic_type (type_identifier) @call))
(import_declaration (scoped_identifier) @import)
(superclass (type_identifier) @extends)
(superclass (generic_type (type_identifier) @extends))
(super_interfaces (type_list (type_identifier) @implements))
(super_interfaces (type_list (generic_type (type_identifier) @implements)))
(extends_interfaces (type_list (type_identifier) @extends))
"""


def refine(node, kind, name):
    if node.type == "field_declaration":
        mods = node.named_child(0)
        if mods is not None and mods.type == "modifiers":
            words = mods.text.split()
            if b"static" in words and b"final" in words:
                return "constant"
    return kind


SPEC = Spec(lang="java", defs=DEFS, refs=REFS, refine=refine)
