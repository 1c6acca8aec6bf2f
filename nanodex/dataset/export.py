"""Exports of train/eval in the shapes fine-tuning services and tools take.

- OpenAI chat fine-tuning JSONL: `{"messages": [{"role": "system"|"user"|"assistant", "content": ...}]}`
- Anthropic / Bedrock JSONL: `{"system": ..., "messages": [{"role": "user", ...}, {"role": "assistant", ...}]}`
- generic JSONL: `{"prompt", "completion", "metadata", "source"}`
- CSV (written by DuckDB): id, split, category, source, question, answer, refs
"""

from __future__ import annotations

from pathlib import Path

import orjson

from ..io import atomic_path
from .example import assistant_text, user_text


def _read(path):
    with open(path, "rb") as fh:
        for line in fh:
            yield orjson.loads(line)


def openai_record(ex):
    return {"messages": ex["messages"]}


def anthropic_record(ex):
    system, *turns = ex["messages"]
    return {"system": system["content"], "messages": [{"role": t["role"], "content": t["content"]} for t in turns]}


def generic_record(ex):
    return {"prompt": user_text(ex), "completion": assistant_text(ex),
            "metadata": {"id": ex["id"], "category": ex["category"], "refs": ex["refs"], **ex["meta"]},
            "source": ex["source"]}


FORMATS = {"openai": openai_record, "anthropic": anthropic_record, "generic": generic_record}


def export_jsonl(fmt: str, inputs: dict[str, str | Path], outputs: dict[str, str | Path]) -> dict:
    """`inputs`/`outputs`: split name -> path (train, eval)."""
    make = FORMATS[fmt]
    counts = {}
    for split, src in inputs.items():
        n = 0
        with atomic_path(outputs[split]) as tmp, open(tmp, "wb") as out:
            for ex in _read(src):
                out.write(orjson.dumps(make(ex)) + b"\n")
                n += 1
        counts[split] = n
    return counts


def export_csv(train: str | Path, eval_: str | Path, out: str | Path) -> int:
    import duckdb

    con = duckdb.connect()
    try:
        query = """
        SELECT id, split, category, source, messages[2].content AS question, messages[3].content AS answer,
               array_to_string(refs, ' ') AS refs
        FROM (SELECT *, 'train' AS split FROM read_json(?, format='newline_delimited')
              UNION ALL BY NAME
              SELECT *, 'eval' AS split FROM read_json(?, format='newline_delimited'))
        ORDER BY split DESC, id
        """
        rel = con.execute(f"SELECT COUNT(*) FROM ({query})", [str(train), str(eval_)]).fetchone()[0]
        with atomic_path(out) as tmp:
            con.execute(f"COPY ({query}) TO '{tmp}' (HEADER, DELIMITER ',')", [str(train), str(eval_)])
    finally:
        con.close()
    return rel


def export_parquet(train: str | Path, eval_: str | Path, outputs: dict[str, str | Path]) -> dict:
    """train/eval as Parquet (DuckDB), one file per split, rows ordered by id: `messages` stays a list
    of {role, content} structs (what chat fine-tuning reads), `meta` is a JSON string (its keys vary by
    category). Loadable with datasets.load_dataset("parquet", data_files={"train": ..., "eval": ...})."""
    import duckdb

    con = duckdb.connect()
    counts = {}
    try:
        for split, src in (("train", train), ("eval", eval_)):
            query = ("SELECT id, category, source, messages, refs, to_json(meta)::VARCHAR AS meta "
                     "FROM read_json(?, format='newline_delimited') ORDER BY id")
            counts[split] = con.execute(f"SELECT COUNT(*) FROM ({query})", [str(src)]).fetchone()[0]
            with atomic_path(outputs[split]) as tmp:
                con.execute(f"COPY ({query}) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)", [str(src)])
    finally:
        con.close()
    return counts
