"""Chat examples -> token ids with labels on assistant tokens only -> packed rows.

Packing puts several examples in one row of `max_seq_len` tokens with position ids restarting at
each example and no attention mask: transformers reads the restarts as sequence boundaries and builds
the block-diagonal causal mask itself (SDPA, eager), or runs flash-attention's variable-length kernel
on the batch flattened into one row (`flattened`), so no token attends across examples (the model
sees exactly what it would see one example at a time) and almost no compute goes to padding.
"""

from __future__ import annotations

import hashlib
import os
import random
from dataclasses import dataclass, field

import orjson

from ..errors import ConfigError, NanodexError

IGNORE = -100


def _ids(out) -> list[int]:
    if hasattr(out, "keys"):
        out = out["input_ids"]
    return list(out)


@dataclass
class Encoded:
    id: str
    input_ids: list[int]
    labels: list[int]
    prompt_len: int


def encode(tokenizer, example: dict, max_seq_len: int) -> Encoded:
    """Tokenise with the tokenizer's own chat template; labels are the assistant's tokens only."""
    messages = example["messages"]
    prompt = _ids(tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True, tokenize=True))
    full = _ids(tokenizer.apply_chat_template(messages, tokenize=True))
    if full[: len(prompt)] != prompt:
        raise NanodexError(f"example {example['id']}: the chat template does not render the prompt as a prefix of "
                           f"the conversation; cannot mask the assistant tokens")
    if len(prompt) >= max_seq_len:
        raise ConfigError(f"train.max_seq_len: {max_seq_len} is below the prompt of example {example['id']} "
                          f"({len(prompt)} tokens); expected a value > {len(prompt)}")
    full = full[:max_seq_len]
    labels = [IGNORE] * len(prompt) + full[len(prompt):]
    if all(x == IGNORE for x in labels):
        raise NanodexError(f"example {example['id']}: no trainable token (all labels masked); the answer is empty "
                           f"after the chat template")
    return Encoded(example["id"], full, labels, len(prompt))


def read_examples(path) -> list[dict]:
    try:
        with open(path, "rb") as fh:
            return [orjson.loads(line) for line in fh if line.strip()]
    except FileNotFoundError:
        raise NanodexError(f"{path}: dataset file not found; build it with `snakemake -c8 dataset`") from None
    except orjson.JSONDecodeError as exc:
        raise NanodexError(f"{path}: invalid JSON line ({exc}); expected the dataset stage's output") from None


@dataclass
class Row:
    input_ids: list[int] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    position_ids: list[int] = field(default_factory=list)   # restart at 0 at each example: its boundary

    def add(self, enc: Encoded) -> None:
        self.input_ids += enc.input_ids
        self.labels += enc.labels
        self.position_ids += list(range(len(enc.input_ids)))

    def __len__(self):
        return len(self.input_ids)


def shuffled(items: list, seed: int, salt: str = "") -> list:
    rng = random.Random(int.from_bytes(hashlib.blake2b(f"{seed}:{salt}".encode(), digest_size=8).digest(), "big"))
    out = list(items)
    rng.shuffle(out)
    return out


def pack(encoded: list[Encoded], max_seq_len: int) -> list[Row]:
    """Greedy packing in the given order: an example goes in the current row while it fits."""
    rows: list[Row] = []
    row = Row()
    for enc in encoded:
        if len(row) + len(enc.input_ids) > max_seq_len and len(row):
            rows.append(row)
            row = Row()
        row.add(enc)
    if len(row):
        rows.append(row)
    return rows


def one_per_row(encoded: list[Encoded]) -> list[Row]:
    rows = []
    for enc in encoded:
        r = Row()
        r.add(enc)
        rows.append(r)
    return rows


def collate(rows: list[Row], pad_id: int, packed: bool = True, share_prefix: bool = True):
    """Tensors for a batch: input_ids, labels, position_ids, attention_mask.

    Packed rows (`packed=True`) get no mask (attention_mask None): position ids restart at 0 at each
    example, and at the padding tail, which so forms a segment of its own; transformers builds the
    block-diagonal causal mask from them (masking_utils.find_packed_sequence_indices), but only when
    the forward pass has no cache (forward_loss passes use_cache=False). `lengths` holds each row's
    real length, for `flattened`.
    One example per row (`packed=False`): the usual 2D padding mask, which keeps attention on its
    fastest path, and `prefix_len` says how many leading tokens every row shares (forward_loss runs
    them once)."""
    import torch

    length = max(len(r) for r in rows)
    b = len(rows)
    input_ids = torch.full((b, length), pad_id, dtype=torch.long)
    labels = torch.full((b, length), IGNORE, dtype=torch.long)
    position_ids = torch.zeros((b, length), dtype=torch.long)
    for i, r in enumerate(rows):
        n = len(r)
        input_ids[i, :n] = torch.tensor(r.input_ids)
        labels[i, :n] = torch.tensor(r.labels)
        position_ids[i, :n] = torch.tensor(r.position_ids)
        position_ids[i, n:] = torch.arange(length - n)
    lengths = [len(r) for r in rows]
    if packed:
        return {"input_ids": input_ids, "labels": labels, "position_ids": position_ids, "attention_mask": None,
                "lengths": lengths}
    mask = (torch.arange(length)[None] < torch.tensor(lengths)[:, None]).long()
    return {"input_ids": input_ids, "labels": labels, "position_ids": position_ids, "attention_mask": mask,
            "prefix_len": shared_prefix(rows) if share_prefix else 0}


def flattened(b: dict) -> dict:
    """A packed batch as one row without its padding: what flash-attention's variable-length kernel
    needs (transformers takes the sequence boundaries from the position ids only for batch size 1)."""
    import torch

    real = torch.arange(b["input_ids"].shape[1])[None] < torch.tensor(b["lengths"])[:, None]
    return {"input_ids": b["input_ids"][real][None], "labels": b["labels"][real][None],
            "position_ids": b["position_ids"][real][None], "attention_mask": None, "lengths": [int(real.sum())]}


def shared_prefix(rows: list[Row]) -> int:
    """Leading tokens every row has in common and none trains on: the chat template's system prompt and
    the start of the user turn (about a third of a short Q&A example). At least one token of each row is
    left after it, and it ends before the first labelled token's predecessor, so every position whose
    output feeds the loss stays in the per-row part. 0 for a single row or no common start."""
    if len(rows) < 2:
        return 0
    common = len(os.path.commonprefix([r.input_ids for r in rows]))
    limit = min(min(len(r) - 1, next((i for i, x in enumerate(r.labels) if x != IGNORE), len(r)) - 1) for r in rows)
    return max(0, min(common, limit))


def length_grouped(rows: list[Row], batch_size: int, seed: int, salt: str, chunk: int = 64) -> list[list[Row]]:
    """Batches of similar lengths (little padding) in a random order: shuffle, sort within chunks of
    `chunk` batches, cut, shuffle the batches. Deterministic from (seed, salt)."""
    order = shuffled(rows, seed, salt)
    batches = []
    span = batch_size * chunk
    for i in range(0, len(order), span):
        part = sorted(order[i:i + span], key=len, reverse=True)
        batches += [part[j:j + batch_size] for j in range(0, len(part), batch_size)]
    return shuffled(batches, seed, salt + ":batches")


def trainable_tokens(rows: list[Row]) -> int:
    return sum(sum(1 for x in r.labels if x != IGNORE) for r in rows)
