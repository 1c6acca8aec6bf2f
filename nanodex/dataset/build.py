"""brain nodes (+ curated examples) -> data/dataset/train.jsonl, val.jsonl, eval.jsonl, recall.jsonl,
rejects.jsonl, report.

Stream: generate -> validate -> exact dedup -> near dedup (batched MinHash LSH: question + answer, and
the answer alone, except for fact paraphrases, which repeat their fact by design) -> split by group ->
a SQLite spool -> each file in a seeded hash order (a fact's paraphrases spread across the file), a
question kept only in the first split it appears in (train, eval, recall, val).
Same inputs + config + seed -> byte-identical files.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import orjson
import yaml

from ..brain.build import iter_nodes
from ..errors import NanodexError
from ..graph.members import container_members
from ..io import atomic_path, write_json_atomic
from .dedup import ExactDedup, NearDedup, normalised_answer
from .example import DEFAULT_SYSTEM, user_text
from .generate import CONTAINERS, Generator, curated_examples
from .secrets import redact
from .split import heldout_split, order_key, split_of
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
        # facts from a file that did not parse are not stated (a "version" of a broken file is no fact)
        broken = {f"{s}:{p}" for s, p in con.execute("SELECT source, path FROM files WHERE status != 'ok'")}
        packages: dict[str, list[dict]] = {}
        for nid, src, name, path, m in con.execute(
                "SELECT id, source, name, path, meta_json FROM nodes WHERE kind = 'package' ORDER BY id"):
            if f"{src}:{path}" in broken:
                continue
            facts = orjson.loads(m) if m else {}
            packages.setdefault(facts.get("attr") or name, []).append({"id": nid, "path": path, "facts": facts})
    except sqlite3.DatabaseError as exc:
        raise NanodexError(f"{graph_db}: not a nanodex graph database ({exc})") from None
    finally:
        con.close()
    return ids, members, pools, packages, broken


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


@dataclass(frozen=True)
class DatasetParams:
    """What shapes the examples and the splits (the config's `dataset` section)."""

    seed: int = 0
    eval_ratio: float = 0.1
    val_ratio: float = 0.1          # 0 without a val file
    negative_ratio: float = 0.5
    near_dup_threshold: float = 0.85
    num_perm: int = 64
    system_prompt: str = DEFAULT_SYSTEM
    min_question_chars: int = 8
    max_question_chars: int = 4000
    min_answer_chars: int = 20
    max_answer_chars: int = 8000
    paraphrases: int = 5

    def report(self) -> dict:
        return {"seed": self.seed, "eval_ratio": self.eval_ratio, "val_ratio": self.val_ratio,
                "paraphrases": self.paraphrases, "negative_ratio": self.negative_ratio,
                "near_dup_threshold": self.near_dup_threshold, "num_perm": self.num_perm}

    def split_for(self, ex: dict) -> str | None:
        """train / eval / val by the example's group; a held-out phrasing of a taught fact: recall
        (or val); None for one of a fact never taught."""
        split = split_of(ex["meta"]["group"], self.eval_ratio, self.val_ratio, self.seed)
        if not ex["meta"].get("heldout"):
            return split
        if split != "train":
            return None   # a fact never taught: its group's other examples test generalisation
        return heldout_split(ex["meta"]["fact_id"], self.val_ratio, self.seed)


SPLITS = ("train", "eval", "recall", "val")   # a question is kept in the first of these it is in


def build_dataset(nodes_dir, graph_db, train_path, eval_path, rejects_path=None, report_path=None,
                  curated_dir=None, seed: int = 0, eval_ratio: float = 0.1, negative_ratio: float = 0.5,
                  near_dup_threshold: float = 0.85, num_perm: int = 64, system_prompt: str = DEFAULT_SYSTEM,
                  min_question_chars: int = 8, max_question_chars: int = 4000, min_answer_chars: int = 20,
                  max_answer_chars: int = 8000, val_path=None, recall_path=None, val_ratio: float = 0.1,
                  paraphrases: int = 5) -> dict:
    """Without `val_path` there is no val split (val_ratio 0); without `recall_path` the held-out
    phrasings of taught facts are not written."""
    t0 = time.perf_counter()
    p = DatasetParams(seed, eval_ratio, val_ratio if val_path else 0.0, negative_ratio, near_dup_threshold,
                      num_perm, system_prompt, min_question_chars, max_question_chars, min_answer_chars,
                      max_answer_chars, paraphrases)
    outputs = {"train": train_path, "eval": eval_path, "recall": recall_path, "val": val_path}
    ids, members, pools, packages, broken = graph_index(graph_db)
    gen = Generator(p.system_prompt, seed=p.seed, negative_ratio=p.negative_ratio, members=members, pools=pools,
                    paraphrases=p.paraphrases, packages=packages, broken=broken)
    validators = Validators(p.min_question_chars, p.max_question_chars, p.min_answer_chars, p.max_answer_chars, ids)
    counts = {"candidates": Counter(), "dropped": Counter(), "duplicates": Counter(),
              **{k: Counter() for k in SPLITS}}
    with _Spool() as spool, atomic_path(rejects_path or Path(train_path).with_name(".rejects.discard")) as tmp_rej, \
            open(tmp_rej, "wb") as frej:
        sieve = _Sieve(p, outputs, counts, frej, spool)
        for ex in _candidates(gen, nodes_dir, curated_dir, p.system_prompt):
            sieve.add(ex, validators.check(ex))
        sieve.drain()
        spool.write(outputs, counts)
    if not rejects_path:
        Path(train_path).with_name(".rejects.discard").unlink(missing_ok=True)
    elapsed = time.perf_counter() - t0
    report = _report(counts, outputs, gen.negatives, p, elapsed)
    if report_path:
        write_json_atomic(report_path, report)
    log.info("dataset: %d candidates -> %s (%d dropped, %d exact + %d near duplicates) in %.1fs", report["candidates"],
             ", ".join(f"{v} {k}" for k, v in report["examples"].items()), sum(counts["dropped"].values()),
             counts["duplicates"]["exact"], counts["duplicates"]["near"] + counts["duplicates"]["near_answer"],
             elapsed)
    return report


def _candidates(gen: Generator, nodes_dir, curated_dir, system_prompt: str):
    """Every candidate example, in generation order: from the brain nodes, builder how-tos, curated files."""
    for node in iter_nodes(nodes_dir):
        yield from gen.examples(node)
    yield from gen.builder_howtos()
    for origin, items in load_curated(curated_dir):
        yield from curated_examples(items, system_prompt, origin)


class _Spool:
    """Kept examples by split in a temporary SQLite file, written out in their seeded order."""

    def __enter__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="nanodex-dataset-")
        self.con = sqlite3.connect(Path(self.dir.name) / "spool.sqlite")
        self.con.execute("CREATE TABLE ex (split TEXT, key BLOB, prompt BLOB, category TEXT, body BLOB)")
        return self

    def __exit__(self, *exc):
        self.con.close()
        self.dir.cleanup()

    def add(self, rows: list[tuple]) -> None:
        self.con.executemany("INSERT INTO ex VALUES (?,?,?,?,?)", rows)

    def write(self, outputs: dict, counts: dict) -> None:
        """Each split's file; a question asked in an earlier split is left out of the later ones."""
        seen: set[bytes] = set()
        for split in SPLITS:
            path = outputs[split]
            if path is None:
                continue
            mine: set[bytes] = set()
            with atomic_path(path) as tmp, open(tmp, "wb") as fh:
                for prompt, category, body in self.con.execute(
                        "SELECT prompt, category, body FROM ex WHERE split = ? ORDER BY key, body", (split,)):
                    if prompt in seen:   # asked in an earlier split already: never in two
                        counts["duplicates"]["question_in_earlier_split"] += 1
                        continue
                    mine.add(prompt)
                    counts[split][category] += 1
                    fh.write(body + b"\n")
            seen |= mine


class _Sieve:
    """Validation and exact dedup per example, near dedup per batch; rejects written with their reason,
    the rest spooled by split."""

    def __init__(self, p: DatasetParams, outputs: dict, counts: dict, frej, spool: _Spool):
        self.p, self.outputs, self.counts, self.frej, self.spool = p, outputs, counts, frej, spool
        self.exact = ExactDedup()
        self.near = NearDedup(threshold=p.near_dup_threshold, num_perm=p.num_perm)
        self.near_answer = NearDedup(threshold=p.near_dup_threshold, num_perm=p.num_perm, text=normalised_answer)
        self.batch: list[dict] = []

    def reject(self, ex: dict, reason: str, dup_of=None) -> None:
        rec = {"reason": reason, "id": ex["id"], "category": ex["category"], "source": ex["source"],
               "question": redact(user_text(ex))[:500], "refs": ex["refs"]}
        if dup_of:
            rec["duplicate_of"] = dup_of
        self.frej.write(orjson.dumps(rec) + b"\n")

    def add(self, ex: dict, invalid: str | None) -> None:
        """One candidate; `invalid`: why the validators refuse it (None: valid)."""
        counts = self.counts
        counts["candidates"][ex["category"]] += 1
        if invalid:
            counts["dropped"][invalid] += 1
            self.reject(ex, invalid)
            return
        if self.exact.is_dup(ex):
            counts["duplicates"]["exact"] += 1
            self.reject(ex, "exact_duplicate")
            return
        self.batch.append(ex)
        if len(self.batch) >= self.near.batch:
            self.drain()

    def drain(self) -> None:
        """Near dedup of the batch (not of fact paraphrases), then its survivors into the spool."""
        batch = self.batch
        facts = [e for e in batch if "fact_id" in e["meta"]]
        kept, dups = self.near.filter([e for e in batch if "fact_id" not in e["meta"]])
        kept, adups = self.near_answer.filter(kept)
        for (ex, first), why in [(d, "near") for d in dups] + [(d, "near_answer") for d in adups]:
            ex.pop("_norm", None)
            self.counts["duplicates"][why] += 1
            self.reject(ex, "near_duplicate" if why == "near" else "near_duplicate_answer", first)
        keep = {id(e) for e in kept} | {id(e) for e in facts}
        rows = []
        for ex in batch:   # generation order, so the spool (and the tie order) is stable
            if id(ex) not in keep:
                continue
            ex.pop("_norm", None)
            split = self.p.split_for(ex)
            if split is None or self.outputs[split] is None:
                continue
            prompt = hashlib.blake2b(user_text(ex).encode(), digest_size=16).digest()
            rows.append((split, order_key(self.p.seed, ex["id"]), prompt, ex["category"], orjson.dumps(ex)))
        self.spool.add(rows)
        batch.clear()


def _report(counts: dict, outputs: dict, negatives: int, p: DatasetParams, elapsed: float) -> dict:
    total = sum(counts["candidates"].values())
    report = {
        "candidates": total,
        "examples": {k: sum(counts[k].values()) for k in SPLITS if outputs[k] is not None},
        "negatives_generated": negatives,
        "candidates_by_category": dict(sorted(counts["candidates"].items())),
        "train_by_category": dict(sorted(counts["train"].items())),
        "eval_by_category": dict(sorted(counts["eval"].items())),
        "val_by_category": dict(sorted(counts["val"].items())),
        "recall_by_category": dict(sorted(counts["recall"].items())),
        "dropped": dict(sorted(counts["dropped"].items())),
        "duplicates": dict(sorted(counts["duplicates"].items())),
        "params": p.report(),
        "timing": {"seconds": round(elapsed, 3), "candidates_per_s": round(total / elapsed, 1) if elapsed else None},
    }
    return report
