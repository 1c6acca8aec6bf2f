"""Append-only JSONL journal: items are kept as they arrive, so a killed scrape loses nothing.

Each record is one line, written and fsync'ed before the next request. On open, a torn last line
(a kill mid-write) is cut off, so the journal never holds a truncated record; a corrupt line in the
middle (a disk or editor accident) is skipped and counted, and every record after it is kept.
`publish` writes the latest record per key, sorted, to the final dump in one atomic rename, and
refuses to publish fewer records than the last complete publish (a shrunken dump is a loss, not an
update) unless told so (`allow_shrink`, or NANODEX_ALLOW_SHRINK=1).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson

from ..errors import SourceError
from ..io import atomic_path, read_json, write_json_atomic

log = logging.getLogger(__name__)
ALLOW_SHRINK_ENV = "NANODEX_ALLOW_SHRINK"
MAX_SKIPPED_RUNS = 15            # a failed item is tried again at least every 16th run


def retry_due(fail: dict, entry_mark=None) -> bool:
    """A failed item (topic, page) is state, not forever: retry when its list entry changed
    (`entry_mark`: bump time, revision), or on the bounded schedule: the next run after the first
    failure, then after 1, 3, 7 and at most 15 skipped runs."""
    if entry_mark is not None and entry_mark != fail.get("bumped_at", fail.get("mark")):
        return True
    wait = min(2 ** (max(int(fail.get("failures") or 1), 1) - 1) - 1, MAX_SKIPPED_RUNS)
    return int(fail.get("skipped") or 0) >= wait


class Journal:
    def __init__(self, path: str | os.PathLike, key: Callable[[dict], object]):
        self.path = Path(path)
        self.key = key
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.records: dict = {}
        self.dropped_tail = 0
        self.corrupt_lines = 0
        self._load()
        self._fh = open(self.path, "ab")

    def _load(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        good = 0
        for lineno, line in enumerate(data.splitlines(keepends=True), 1):
            if not line.endswith(b"\n"):
                break   # torn last line: cut off below
            good += len(line)
            try:
                rec = orjson.loads(line)
                key = self.key(rec)
            except (orjson.JSONDecodeError, TypeError, KeyError, AttributeError):
                self.corrupt_lines += 1
                log.warning("%s:%d: corrupt journal line skipped (%d bytes); the records after it are kept",
                            self.path, lineno, len(line))
                continue
            self.records[key] = rec
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

    @property
    def published_path(self) -> Path:
        return self.path.with_name(self.path.name + ".published.json")

    def publish(self, out: str | os.PathLike, sort_key: Callable[[dict], object] | None = None,
                keep: Callable[[dict], bool] | None = None, transform: Callable[[dict], dict] | None = None,
                allow_shrink: bool | None = None) -> int:
        """Write the latest record per key to `out` (JSONL) atomically; return the count."""
        recs = [r for r in self.records.values() if keep is None or keep(r)]
        recs.sort(key=sort_key or self.key)
        if transform is not None:
            recs = [transform(r) for r in recs]
        last = read_json(self.published_path).get("records", 0) if self.published_path.exists() else 0
        if len(recs) < last:
            if allow_shrink is None:
                allow_shrink = os.environ.get(ALLOW_SHRINK_ENV, "") not in ("", "0")
            what = (f"{out}: this run would publish {len(recs)} records, fewer than the {last} of the last "
                    f"complete run ({self.corrupt_lines} corrupt journal lines skipped in {self.path})")
            if not allow_shrink:
                raise SourceError(f"{what}; refusing to publish a shrunken dump. If the loss is expected "
                                  f"(entries deleted upstream), run again with {ALLOW_SHRINK_ENV}=1")
            log.warning("%s; publishing anyway (%s set)", what, ALLOW_SHRINK_ENV)
        with atomic_path(out) as tmp, open(tmp, "wb") as fh:
            for r in recs:
                fh.write(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) + b"\n")
        write_json_atomic(self.published_path, {"records": len(recs)})
        return len(recs)

    def close(self) -> None:
        self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
