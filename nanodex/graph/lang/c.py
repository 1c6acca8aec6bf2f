"""C: functions, structs/unions/enums, typedefs, globals, #define constants, #include, calls."""

from .base import Spec

DEFS = r"""
(function_definition declarator: (function_declarator declarator: (identifier) @name)) @def.function
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))) @def.function
(struct_specifier name: (type_identifier) @name body: (field_declaration_list)) @def.struct
(union_specifier name: (type_identifier) @name body: (field_declaration_list)) @def.struct
(enum_specifier name: (type_identifier) @name body: (enumerator_list)) @def.enum
(type_definition declarator: (type_identifier) @name) @def.type
(translation_unit (declaration declarator: (identifier) @name) @def.variable)
(translation_unit (declaration declarator: (init_declarator declarator: (identifier) @name)) @def.variable)
(field_declaration_list (field_declaration declarator: (field_identifier) @name) @def.variable)
(preproc_def name: (identifier) @name) @def.constant
(preproc_function_def name: (identifier) @name) @def.function
"""

REFS = r"""
(call_expression function: (identifier) @call)
(call_expression function: (field_expression field: (field_identifier)) @call)
(preproc_include path: (_) @import)
"""


def refine(node, kind, name):
    if node.type == "declaration" and b"const" in node.text.split(b"=", 1)[0].split():
        return "constant"
    return kind


SPEC = Spec(lang="c", defs=DEFS, refs=REFS, refine=refine)
