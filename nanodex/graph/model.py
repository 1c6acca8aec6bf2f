"""What an extractor produces for one file: rows ready for SQLite, plus references to resolve.

Rows are plain tuples in the column order of store.py's tables (nodes, edges, refs)."""

from __future__ import annotations

from dataclasses import dataclass, field

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
