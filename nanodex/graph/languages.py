"""File extension -> language, and the tree-sitter grammar for each language.

Grammars come from the per-language wheels (tree-sitter-python, tree-sitter-nix, ...) that work
with the current `tree-sitter` bindings; see README ("Why these grammars").
"""

from __future__ import annotations

import functools
import importlib
import os

import tree_sitter as ts

EXTENSIONS: dict[str, str] = {
    ".py": "python", ".pyi": "python",
    ".java": "java",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".tsx": "tsx",
    ".c": "c", ".h": "c",
    ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".c++": "cpp", ".hpp": "cpp", ".hh": "cpp", ".hxx": "cpp",
    ".go": "go",
    ".rs": "rust",
    ".nix": "nix",
}

LANGUAGES = ("python", "java", "javascript", "typescript", "tsx", "c", "cpp", "go", "rust", "nix")


def language_for(path: str) -> str | None:
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


# language -> (grammar wheel's module, its function returning the language pointer)
GRAMMARS = {
    "python": ("tree_sitter_python", "language"),
    "java": ("tree_sitter_java", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "nix": ("tree_sitter_nix", "language"),
}


@functools.cache
def grammar(lang: str) -> ts.Language:
    if lang not in GRAMMARS:
        raise KeyError(f"no tree-sitter grammar for language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    module, fn = GRAMMARS[lang]
    return ts.Language(getattr(importlib.import_module(module), fn)())


@functools.cache
def parser(lang: str) -> ts.Parser:
    return ts.Parser(grammar(lang))


@functools.cache
def query(lang: str, source: str) -> ts.Query:
    return ts.Query(grammar(lang), source)
