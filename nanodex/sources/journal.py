"""Append-only JSONL journal: items are kept as they arrive, so a killed scrape loses nothing.

Each record is one line, written and fsync'ed before the next request. On open, a torn last line
(a kill mid-write) is cut off, so the journal never holds a truncated record. `publish` writes the
latest record per key, sorted, to the final dump in one atomic rename.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson

from ..io import atomic_path


class Journal:
    def __init__(self, path: str | os.PathLike, key: Callable[[dict], object]):
        self.path = Path(path)
        self.key = key
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.records: dict = {}
        self.dropped_tail = 0
        self._load()
        self._fh = open(self.path, "ab")

    def _load(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        good = 0
        for line in data.splitlines(keepends=True):
            if not line.endswith(b"\n"):
                break
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                break
            self.records[self.key(rec)] = rec
            good += len(line)
        if good < len(data):
            self.dropped_tail = len(data) - good
            with open(self.path, "r+b") as fh:
                fh.truncate(good)

    def __contains__(self, key) -> bool:
        return key in self.records

    def get(self, key):
        return self.records.get(key)

    def append(self, record: dict) -> None:
        self._fh.write(orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self.records[self.key(record)] = record

    def values(self) -> Iterator[dict]:
        return iter(self.records.values())

    def publish(self, out: str | os.PathLike, sort_key: Callable[[dict], object] | None = None,
                keep: Callable[[dict], bool] | None = None) -> int:
        """Write the latest record per key to `out` (JSONL) atomically; return the count."""
        recs = [r for r in self.records.values() if keep is None or keep(r)]
        recs.sort(key=sort_key or self.key)
        with atomic_path(out) as tmp, open(tmp, "wb") as fh:
            for r in recs:
                fh.write(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) + b"\n")
        return len(recs)

    def close(self) -> None:
        self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
