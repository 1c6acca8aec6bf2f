"""Rust: structs, enums, unions, traits, functions and methods (impl blocks own their methods),
consts/statics, modules, `use` imports, calls, `impl Trait for Type` (implements)."""

from .base import Spec

DEFS = r"""
(struct_item name: (type_identifier) @name) @def.struct
(union_item name: (type_identifier) @name) @def.struct
(enum_item name: (type_identifier) @name) @def.enum
(trait_item name: (type_identifier) @name) @def.trait
(type_item name: (type_identifier) @name) @def.type
(function_item name: (identifier) @name) @def.function
(function_signature_item name: (identifier) @name) @def.function
(const_item name: (identifier) @name) @def.constant
(static_item name: (identifier) @name) @def.constant
(mod_item name: (identifier) @name body: (declaration_list)) @def.namespace
(impl_item type: (type_identifier) @name) @def.impl
(impl_item type: (generic_type type: (type_identifier) @name)) @def.impl
(field_declaration_list (field_declaration name: (field_identifier) @name) @def.variable)
"""

REFS = r"""
(call_expression function: (identifier) @call)
(call_expression function: (field_expression field: (field_identifier)) @call)
(call_expression function: (scoped_identifier name: (identifier)) @call)
(use_declaration argument: (_) @import)
(impl_item trait: [(type_identifier) (scoped_type_identifier name: (type_identifier))] @implements)
"""


SPEC = Spec(lang="rust", defs=DEFS, refs=REFS, sep="::", scope_only={"impl"})
