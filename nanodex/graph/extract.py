"""One file in, one FileResult out. Never raises on bad input: a file that cannot be read,
is binary, too large, not UTF-8 or does not parse is skipped or parsed partially, and says why."""

from __future__ import annotations

import codecs
import os
import stat

import tree_sitter as ts

from .lang import spec_for
from .lang.base import extract as generic_extract
from .languages import parser, query
from .model import FileResult

BINARY_SNIFF = 8192
# UTF-32 first: its little-endian BOM starts with UTF-16's.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def from_bom(data: bytes) -> bytes | None:
    """UTF-8 bytes of a file that starts with a UTF-8/16/32 byte-order mark (None without one, or when
    the rest does not decode): UTF-16 text is full of NUL bytes and would look binary."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).encode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def first_error(tree: ts.Tree, lang: str) -> int | None:
    """Line of the first ERROR or MISSING node; None when the file is clean."""
    root = tree.root_node
    if not root.has_error:
        return None
    caps = ts.QueryCursor(query(lang, "(ERROR) @e")).captures(root).get("e")
    if caps:
        return min(n.start_point[0] for n in caps) + 1
    stack = [root]
    while stack:
        n = stack.pop()
        # tree-sitter-nix 0.1.0 marks a valid trailing comma in `{ a, b, }:` as a MISSING formal name.
        if n.is_missing and not (lang == "nix" and n.parent is not None and n.parent.type == "formal"):
            return n.start_point[0] + 1
        if n.has_error:
            stack.extend(reversed(n.children))
    return None


def extract_bytes(data: bytes, lang: str, source: str, path: str, max_doc: int = 2000) -> FileResult:
    res = FileResult(path=path, lang=lang, size=len(data))
    data = from_bom(data) or data
    if b"\0" in data[:BINARY_SNIFF]:
        res.status, res.reason = "skipped", "binary"
        return res
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        res.status, res.reason = "partial", "non_utf8"
        res.error_line = data[: exc.start].count(b"\n") + 1
        data = data.decode("utf-8", "replace").encode("utf-8")
    tree = parser(lang).parse(data)
    err = first_error(tree, lang)
    if err is not None and res.status == "ok":
        res.status, res.reason, res.error_line = "partial", "syntax_error", err
    spec = spec_for(lang)
    if lang == "nix":
        res.nodes, res.edges, res.refs = spec.extract(tree, data, source, path, max_doc)
    else:
        res.nodes, res.edges, res.refs = generic_extract(spec, tree, data, source, path, max_doc)
    return res


def extract_file(root: str, path: str, lang: str, source: str, max_bytes: int, max_doc: int = 2000) -> FileResult:
    full = os.path.join(root, path)
    try:
        # O_NONBLOCK: a FIFO put where a file was must not hang the stage; it is refused below.
        fd = os.open(full, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        with open(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return FileResult(path=path, lang=lang, size=0, status="skipped", reason="not_a_regular_file")
            if st.st_size > max_bytes:
                return FileResult(path=path, lang=lang, size=st.st_size, status="skipped", reason="too_large")
            data = fh.read()
    except OSError as exc:
        return FileResult(path=path, lang=lang, size=0, status="skipped",
                          reason=f"unreadable: {exc.strerror or exc}")
    try:
        return extract_bytes(data, lang, source, path, max_doc)
    except Exception as exc:  # a grammar or extractor bug must not sink the whole source
        return FileResult(path=path, lang=lang, size=len(data), status="skipped",
                          reason=f"extractor_error: {type(exc).__name__}: {exc}")
