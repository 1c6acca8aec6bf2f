"""Stable node ids: `<source>:<path>` for a file, `<source>:<path>#<key>` for what it defines.

Same input -> same ids. A key defined twice in one file (overloads, redefinitions) gets `@2`, `@3`
in source order, so ids stay unique and stable while the file is unchanged.
"""

from __future__ import annotations


def module_id(source: str, path: str) -> str:
    return f"{source}:{path}"


class IdAllocator:
    def __init__(self, source: str, path: str):
        self.prefix = f"{source}:{path}#"
        self.seen: dict[str, int] = {}

    def __call__(self, key: str) -> str:
        n = self.seen.get(key, 0) + 1
        self.seen[key] = n
        return f"{self.prefix}{key}" if n == 1 else f"{self.prefix}{key}@{n}"
