"""JavaScript: classes, functions, methods, top-level consts (arrow functions count as functions),
ES imports and require(), calls, extends."""

from .base import Spec

DEFS = r"""
(class_declaration name: (identifier) @name) @def.class
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(method_definition name: (property_identifier) @name) @def.function
(field_definition property: (property_identifier) @name) @def.variable
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @def.function
(program (lexical_declaration (variable_declarator name: (identifier) @name) @def.variable))
(program (variable_declaration (variable_declarator name: (identifier) @name) @def.variable))
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name) @def.variable)))
"""

REFS = r"""
(call_expression function: (identifier) @call)
(call_expression function: (member_expression property: (property_identifier)) @call)
(new_expression constructor: (identifier) @call)
(import_statement source: (string (string_fragment) @import))
(export_statement source: (string (string_fragment) @import))
(call_expression function: (identifier) @_req arguments: (arguments (string (string_fragment) @import)) (#eq? @_req "require"))
(class_heritage (identifier) @extends)
"""

SPEC = Spec(lang="javascript", defs=DEFS, refs=REFS)
