"""File extension -> language, and the tree-sitter grammar for each language.

Grammars come from the per-language wheels (tree-sitter-python, tree-sitter-nix, ...) that work
with the current `tree-sitter` bindings; see README ("Why these grammars").
"""

from __future__ import annotations

import functools
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


@functools.cache
def grammar(lang: str) -> ts.Language:
    if lang == "python":
        import tree_sitter_python as m
        ptr = m.language()
    elif lang == "java":
        import tree_sitter_java as m
        ptr = m.language()
    elif lang == "javascript":
        import tree_sitter_javascript as m
        ptr = m.language()
    elif lang == "typescript":
        import tree_sitter_typescript as m
        ptr = m.language_typescript()
    elif lang == "tsx":
        import tree_sitter_typescript as m
        ptr = m.language_tsx()
    elif lang == "c":
        import tree_sitter_c as m
        ptr = m.language()
    elif lang == "cpp":
        import tree_sitter_cpp as m
        ptr = m.language()
    elif lang == "go":
        import tree_sitter_go as m
        ptr = m.language()
    elif lang == "rust":
        import tree_sitter_rust as m
        ptr = m.language()
    elif lang == "nix":
        import tree_sitter_nix as m
        ptr = m.language()
    else:
        raise KeyError(f"no tree-sitter grammar for language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return ts.Language(ptr)


@functools.cache
def parser(lang: str) -> ts.Parser:
    return ts.Parser(grammar(lang))


@functools.cache
def query(lang: str, source: str) -> ts.Query:
    return ts.Query(grammar(lang), source)
