"""brain nodes (+ curated examples) -> data/dataset/train.jsonl, eval.jsonl, rejects.jsonl, report.

Stream: generate -> validate -> exact dedup -> near dedup (batched MinHash LSH) -> split by group.
Same inputs + config + seed -> byte-identical files.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import Counter
from pathlib import Path

import orjson
import yaml

from ..brain.build import iter_nodes
from ..errors import NanodexError
from ..graph.members import container_members
from ..io import atomic_path, write_json_atomic
from .dedup import ExactDedup, NearDedup
from .example import DEFAULT_SYSTEM
from .generate import CONTAINERS, Generator, curated_examples
from .split import in_eval
from .validate import Validators

log = logging.getLogger(__name__)
POOL_CAP = 50_000


def graph_index(graph_db: str | Path):
    """Node ids (for ref validation), complete member lists of containers (for true negatives),
    and name pools per kind and language (for plausible absent names)."""
    con = sqlite3.connect(f"file:{graph_db}?mode=ro", uri=True)
    try:
        ids = {r[0] for r in con.execute("SELECT id FROM nodes")}
        members = container_members(con, CONTAINERS)   # own + inherited, marked (graph/members.py)
        pools: dict[str, list[str]] = {}
        for kind, lang, name in con.execute(
                "SELECT DISTINCT kind, lang, name FROM nodes WHERE kind NOT IN "
                "('module', 'page', 'section', 'topic', 'post', 'throw', 'assert') ORDER BY kind, lang, name"):
            pool = pools.setdefault(f"{kind}:{lang}", [])
            if len(pool) < POOL_CAP:
                pool.append(name)
        pkg = sorted({(orjson.loads(m).get("attr") if m else None) or n
                      for n, m in con.execute("SELECT name, meta_json FROM nodes WHERE kind = 'package'")})
        pools["package"] = pkg[:POOL_CAP]
    except sqlite3.DatabaseError as exc:
        raise NanodexError(f"{graph_db}: not a nanodex graph database ({exc})") from None
    finally:
        con.close()
    return ids, members, pools


def load_curated(curated_dir: str | Path | None) -> list[tuple[str, list[dict]]]:
    out = []
    if not curated_dir:
        return out
    for path in sorted(Path(curated_dir).glob("*.yaml")):
        try:
            items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            raise NanodexError(f"{path}: invalid YAML ({str(exc).splitlines()[0]})") from None
        if not isinstance(items, list):
            raise NanodexError(f"{path}: expected a list of {{question, answer, category}} entries")
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not item.get("question") or not item.get("answer"):
                raise NanodexError(f"{path}: entry {i + 1} needs a non-empty `question` and `answer`")
        out.append((path.stem, items))
    return out


def build_dataset(nodes_dir, graph_db, train_path, eval_path, rejects_path=None, report_path=None,
                  curated_dir=None, seed: int = 0, eval_ratio: float = 0.1, negative_ratio: float = 0.5,
                  near_dup_threshold: float = 0.85, num_perm: int = 64, system_prompt: str = DEFAULT_SYSTEM,
                  min_question_chars: int = 8, max_question_chars: int = 4000, min_answer_chars: int = 20,
                  max_answer_chars: int = 8000) -> dict:
    t0 = time.perf_counter()
    ids, members, pools = graph_index(graph_db)
    gen = Generator(system_prompt, seed=seed, negative_ratio=negative_ratio, members=members, pools=pools)
    validators = Validators(min_question_chars, max_question_chars, min_answer_chars, max_answer_chars, ids)
    exact = ExactDedup()
    near = NearDedup(threshold=near_dup_threshold, num_perm=num_perm)
    counts = {"candidates": Counter(), "dropped": Counter(), "duplicates": Counter(), "train": Counter(),
              "eval": Counter()}
    batch: list[dict] = []

    def candidates():
        for node in iter_nodes(nodes_dir):
            yield from gen.examples(node)
        for origin, items in load_curated(curated_dir):
            yield from curated_examples(items, system_prompt, origin)

    with atomic_path(train_path) as tmp_train, atomic_path(eval_path) as tmp_eval, \
            atomic_path(rejects_path or Path(train_path).with_name(".rejects.discard")) as tmp_rej, \
            open(tmp_train, "wb") as ftrain, open(tmp_eval, "wb") as feval, open(tmp_rej, "wb") as frej:

        def reject(ex, reason, dup_of=None):
            rec = {"reason": reason, "id": ex["id"], "category": ex["category"], "source": ex["source"],
                   "question": ex["messages"][1]["content"][:500], "refs": ex["refs"]}
            if dup_of:
                rec["duplicate_of"] = dup_of
            frej.write(orjson.dumps(rec) + b"\n")

        def drain():
            kept, dups = near.filter(batch)
            for ex, first in dups:
                ex.pop("_norm", None)
                counts["duplicates"]["near"] += 1
                reject(ex, "near_duplicate", first)
            for ex in kept:
                ex.pop("_norm", None)
                split = "eval" if in_eval(ex["meta"]["group"], eval_ratio, seed) else "train"
                counts[split][ex["category"]] += 1
                (feval if split == "eval" else ftrain).write(orjson.dumps(ex) + b"\n")
            batch.clear()

        for ex in candidates():
            counts["candidates"][ex["category"]] += 1
            reason = validators.check(ex)
            if reason:
                counts["dropped"][reason] += 1
                reject(ex, reason)
                continue
            if exact.is_dup(ex):
                counts["duplicates"]["exact"] += 1
                reject(ex, "exact_duplicate")
                continue
            batch.append(ex)
            if len(batch) >= near.batch:
                drain()
        drain()
    if not rejects_path:
        Path(train_path).with_name(".rejects.discard").unlink(missing_ok=True)
    elapsed = time.perf_counter() - t0
    total = sum(counts["candidates"].values())
    report = {
        "candidates": total,
        "examples": {"train": sum(counts["train"].values()), "eval": sum(counts["eval"].values())},
        "negatives_generated": gen.negatives,
        "candidates_by_category": dict(sorted(counts["candidates"].items())),
        "train_by_category": dict(sorted(counts["train"].items())),
        "eval_by_category": dict(sorted(counts["eval"].items())),
        "dropped": dict(sorted(counts["dropped"].items())),
        "duplicates": dict(sorted(counts["duplicates"].items())),
        "params": {"seed": seed, "eval_ratio": eval_ratio, "negative_ratio": negative_ratio,
                   "near_dup_threshold": near_dup_threshold, "num_perm": num_perm},
        "timing": {"seconds": round(elapsed, 3), "candidates_per_s": round(total / elapsed, 1) if elapsed else None},
    }
    if report_path:
        write_json_atomic(report_path, report)
    log.info("dataset: %d candidates -> %d train, %d eval (%d dropped, %d exact + %d near duplicates) in %.1fs",
             total, report["examples"]["train"], report["examples"]["eval"], sum(counts["dropped"].values()),
             counts["duplicates"]["exact"], counts["duplicates"]["near"], elapsed)
    return report
