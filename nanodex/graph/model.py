"""What an extractor produces for one file: rows ready for SQLite, plus references to resolve."""

from __future__ import annotations

from dataclasses import dataclass, field

# nodes(id, source, kind, name, qualified_name, path, lang, start_line, end_line, signature, docstring, meta_json)
NodeRow = tuple
# edges(src, dst, kind, resolution)
EdgeRow = tuple
# refs(src, kind, name, line): a reference by name (call, import, base class, ...) to resolve later
RefRow = tuple

NODE_KINDS = ("module", "namespace", "class", "struct", "interface", "enum", "trait", "type",
              "function", "method", "variable", "constant", "field",
              # Nix
              "package", "input", "option", "option_rename", "throw", "assert",
              # web sources
              "page", "section", "topic", "post")
EDGE_KINDS = ("contains", "imports", "calls", "extends", "implements", "depends_on", "resolves_to")
CONTAINER_KINDS = {"class", "struct", "interface", "enum", "trait", "impl", "namespace"}


@dataclass
class FileResult:
    path: str
    lang: str
    size: int
    status: str = "ok"          # ok | partial | skipped
    reason: str | None = None   # why skipped/partial: binary, too_large, non_utf8, syntax_error, unreadable
    error_line: int | None = None
    nodes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    refs: list = field(default_factory=list)
