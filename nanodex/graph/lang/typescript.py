"""TypeScript/TSX: classes, interfaces, enums, type aliases, functions, methods, top-level
consts (arrow functions count as functions), ES imports, calls, extends/implements."""

from .base import Spec

DEFS = r"""
(class_declaration name: (type_identifier) @name) @def.class
(abstract_class_declaration name: (type_identifier) @name) @def.class
(interface_declaration name: (type_identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(type_alias_declaration name: (type_identifier) @name) @def.type
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(method_definition name: (property_identifier) @name) @def.function
(method_signature name: (property_identifier) @name) @def.function
(abstract_method_signature name: (property_identifier) @name) @def.function
(public_field_definition name: (property_identifier) @name) @def.variable
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @def.function
(program (lexical_declaration (variable_declarator name: (identifier) @name) @def.variable))
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name) @def.variable)))
(internal_module name: (identifier) @name) @def.namespace
"""

REFS = r"""
(call_expression function: (identifier) @call)
(call_expression function: (member_expression property: (property_identifier)) @call)
(new_expression constructor: (identifier) @call)
(import_statement source: (string (string_fragment) @import))
(export_statement source: (string (string_fragment) @import))
(class_heritage (extends_clause value: (identifier) @extends))
(class_heritage (implements_clause (type_identifier) @implements))
(extends_type_clause (type_identifier) @extends)
"""

SPECS = {
    "typescript": Spec(lang="typescript", defs=DEFS, refs=REFS),
    "tsx": Spec(lang="tsx", defs=DEFS, refs=REFS),
}
