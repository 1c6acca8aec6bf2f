"""The graph's SQLite schema and a batched writer.

Bulk inserts run with indexes absent (created once at the end: ~2.4x faster), one transaction per
batch of files, and the database is written to a temporary file that replaces the target only when
complete (a killed run leaves the old graph, or none, never half of one).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator

from ..errors import NanodexError
from ..io import atomic_path, write_json_atomic
from .stats import graph_stats

SCHEMA_VERSION = 2   # 2: refs.dst (the target of a resolved ref)

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    source TEXT NOT NULL, path TEXT NOT NULL, lang TEXT NOT NULL, size INTEGER,
    sha256 TEXT, status TEXT NOT NULL, reason TEXT, error_line INTEGER, nodes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, path));
CREATE TABLE nodes (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    qualified_name TEXT NOT NULL, path TEXT NOT NULL, lang TEXT NOT NULL,
    start_line INTEGER, end_line INTEGER, signature TEXT, docstring TEXT, meta_json TEXT);
CREATE TABLE edges (
    src TEXT NOT NULL REFERENCES nodes(id), dst TEXT NOT NULL REFERENCES nodes(id),
    kind TEXT NOT NULL, resolution TEXT NOT NULL);
CREATE TABLE refs (src TEXT NOT NULL REFERENCES nodes(id), kind TEXT NOT NULL, name TEXT NOT NULL,
    line INTEGER, resolved INTEGER NOT NULL DEFAULT 0, dst TEXT);
"""

# A worker's shard (build.py): the same columns without keys, so no index is kept up row by row there;
# its rows meet the keys when they are appended to the graph, whose tables have them.
SHARD_TABLES = (TABLES.replace(",\n    PRIMARY KEY (source, path)", "").replace(" PRIMARY KEY", "")
                .replace(" REFERENCES nodes(id)", ""))

INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS edges_unique ON edges(src, dst, kind);
CREATE INDEX IF NOT EXISTS edges_dst ON edges(dst, kind);
CREATE INDEX IF NOT EXISTS nodes_name ON nodes(name, kind);
CREATE INDEX IF NOT EXISTS nodes_qualified ON nodes(qualified_name);
CREATE INDEX IF NOT EXISTS nodes_path ON nodes(path);
CREATE INDEX IF NOT EXISTS nodes_kind_lang ON nodes(kind, lang);
CREATE INDEX IF NOT EXISTS refs_src ON refs(src);
"""

NODE_SQL = "INSERT INTO nodes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
EDGE_SQL = "INSERT INTO edges VALUES (?,?,?,?)"
REF_SQL = "INSERT INTO refs (src, kind, name, line) VALUES (?,?,?,?)"
FILE_SQL = "INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?)"


def connect(path: str, create: bool = False, shard: bool = False) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, uri=True)   # uri: ATTACH ... mode=ro
    con.execute("PRAGMA foreign_keys = ON")
    if create:
        con.execute("PRAGMA journal_mode = OFF")   # a fresh temporary file: nothing to roll back to
        con.execute("PRAGMA synchronous = OFF")
        con.executescript(SHARD_TABLES if shard else TABLES)
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return con


def append_database(con: sqlite3.Connection, path: str, read_only: bool = True) -> dict:
    """Copy every row of another graph database (same schema) into `con`, in its order; return its meta."""
    uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
    con.execute("ATTACH DATABASE ? AS other", (uri,))
    try:
        meta = dict(con.execute("SELECT key, value FROM other.meta"))
        con.execute("BEGIN")
        for table in ("files", "nodes", "edges", "refs"):
            con.execute(f"INSERT INTO main.{table} SELECT * FROM other.{table} ORDER BY rowid")
        con.execute("COMMIT")
    finally:
        con.execute("DETACH DATABASE other")
    return meta


def create_indexes(con: sqlite3.Connection) -> None:
    con.executescript(INDEXES)


class NewGraph:
    """What `new_graph` yields: the connection, and the graph's stats once it is finished."""

    def __init__(self, con: sqlite3.Connection):
        self.con, self.stats = con, None


@contextlib.contextmanager
def new_graph(out_db: str | os.PathLike, dangling: str = "internal error, dangling edge") -> Iterator[NewGraph]:
    """How every graph database is made (a source's code graph, a web dump's graph, the merge): a
    fresh database in a temporary file, filled with foreign keys off; on a clean exit the keys are
    checked once (a dangling edge stops it: `<out_db>: <dangling> <row>`), the stats counted into
    `.stats`, and the file replaces `out_db` in one rename (a failure leaves the old graph, or none)."""
    with atomic_path(out_db) as tmp:
        con = connect(str(tmp), create=True)
        try:
            con.execute("PRAGMA foreign_keys = OFF")   # checked once, at the end, not per row
            graph = NewGraph(con)
            yield graph
            con.execute("PRAGMA foreign_keys = ON")
            bad = con.execute("PRAGMA foreign_key_check").fetchone()
            if bad:
                raise NanodexError(f"{out_db}: {dangling} {bad}")
            graph.stats = graph_stats(con)
        finally:
            con.close()


def write_report(report_path: str | os.PathLike | None, report: dict) -> dict:
    """A graph's JSON report (when it is asked for), written once the graph is in place."""
    if report_path:
        write_json_atomic(report_path, report)
    return report


class Writer:
    """Buffers rows and writes them in one transaction per batch."""

    def __init__(self, con: sqlite3.Connection, batch_files: int = 500):
        self.con, self.batch_files = con, batch_files
        self.nodes: list = []
        self.edges: list = []
        self.refs: list = []
        self.files: list = []

    def add(self, source: str, sha256: str | None, res) -> None:
        self.nodes.extend(res.nodes)
        self.edges.extend(res.edges)
        self.refs.extend(res.refs)
        self.files.append((source, res.path, res.lang, res.size, sha256, res.status, res.reason,
                           res.error_line, len(res.nodes)))
        if len(self.files) >= self.batch_files:
            self.flush()

    def flush(self) -> None:
        if not self.files:
            return
        con = self.con
        con.execute("BEGIN")
        con.executemany(FILE_SQL, self.files)
        con.executemany(NODE_SQL, self.nodes)
        con.executemany(EDGE_SQL, self.edges)
        con.executemany(REF_SQL, self.refs)
        con.execute("COMMIT")
        self.nodes, self.edges, self.refs, self.files = [], [], [], []
