"""C++: namespaces, classes/structs/unions/enums, functions and methods (also `A::f` defined out of
class), fields, globals, #define constants, #include, calls, base classes."""

from .base import Spec
from .c import refine

DEFS = r"""
(namespace_definition name: (_) @name) @def.namespace
(class_specifier name: (type_identifier) @name body: (field_declaration_list)) @def.class
(struct_specifier name: (type_identifier) @name body: (field_declaration_list)) @def.struct
(union_specifier name: (type_identifier) @name body: (field_declaration_list)) @def.struct
(enum_specifier name: (type_identifier) @name body: (enumerator_list)) @def.enum
(function_definition declarator: (function_declarator declarator: [(identifier) (field_identifier) (qualified_identifier) (destructor_name) (operator_name)] @name)) @def.function
(function_definition declarator: (reference_declarator (function_declarator declarator: [(identifier) (field_identifier) (qualified_identifier)] @name))) @def.function
(function_definition declarator: (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier) (qualified_identifier)] @name))) @def.function
(field_declaration_list (field_declaration declarator: (function_declarator declarator: [(field_identifier) (destructor_name) (operator_name)] @name)) @def.function)
(field_declaration_list (declaration declarator: (function_declarator declarator: [(identifier) (destructor_name)] @name)) @def.function)
(field_declaration_list (field_declaration declarator: (field_identifier) @name) @def.variable)
(translation_unit (declaration declarator: (identifier) @name) @def.variable)
(translation_unit (declaration declarator: (init_declarator declarator: (identifier) @name)) @def.variable)
(namespace_definition body: (declaration_list (declaration declarator: (init_declarator declarator: (identifier) @name)) @def.variable))
(alias_declaration name: (type_identifier) @name) @def.type
(type_definition declarator: (type_identifier) @name) @def.type
(preproc_def name: (identifier) @name) @def.constant
"""

REFS = r"""
(call_expression function: (identifier) @call)
(call_expression function: (field_expression field: (field_identifier)) @call)
(call_expression function: (qualified_identifier name: (identifier)) @call)
(preproc_include path: (_) @import)
(base_class_clause (type_identifier) @extends)
(base_class_clause (qualified_identifier name: (type_identifier) @extends))
"""

SPEC = Spec(lang="cpp", defs=DEFS, refs=REFS, sep="::", refine=refine)
