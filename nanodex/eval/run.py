"""models/<run>/adapter + eval.jsonl -> reports/<run>/eval.json + eval.md: base vs adapter.

Held-out loss and perplexity on assistant tokens, greedy answers scored by identifier recall,
ROUGE-L and Nix code that parses, and a fixed general control set to show forgetting; bootstrap
95% intervals and n on every number.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path

from ..io import write_bytes_atomic, write_json_atomic
from ..train.data import IGNORE, collate, encode, one_per_row, read_examples
from .metrics import identifier_recall, nix_parse_ok, ratio_ci, rouge_l, summary

log = logging.getLogger(__name__)


def example_losses(model, tok, examples, max_seq_len, batch_size=8):
    """(sum of token losses, token count) per example, assistant tokens only."""
    import torch

    encs = [encode(tok, e, max_seq_len) for e in examples]
    rows = one_per_row(encs)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    sums, counts = [0.0] * len(rows), [0] * len(rows)
    model.eval()
    with torch.no_grad():
        for k in range(0, len(order), batch_size):
            idx = order[k:k + batch_size]
            b = collate([rows[i] for i in idx], tok.pad_token_id, packed=False)
            logits = model(input_ids=b["input_ids"].to(model.device),
                           attention_mask=b["attention_mask"].to(model.device)).logits[:, :-1].float().cpu()
            labels = b["labels"][:, 1:]
            loss = torch.nn.functional.cross_entropy(logits.transpose(1, 2), labels, ignore_index=IGNORE,
                                                     reduction="none")
            for j, i in enumerate(idx):
                sums[i] = float(loss[j].sum())
                counts[i] = int((labels[j] != IGNORE).sum())
    return sums, counts


def greedy_answers(model, tok, examples, max_new_tokens, batch_size=8):
    import torch

    tok.padding_side = "left"
    out = []
    model.eval()
    for k in range(0, len(examples), batch_size):
        prompts = [tok.apply_chat_template(e["messages"][:-1], add_generation_prompt=True, tokenize=False)
                   for e in examples[k:k + batch_size]]
        enc = tok(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
        with torch.no_grad():
            gen = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False,
                                 pad_token_id=tok.pad_token_id)
        for row in gen[:, enc["input_ids"].shape[1]:]:
            out.append(tok.decode(row, skip_special_tokens=True).strip())
    return out


def _loss_block(sums, counts, seed):
    total = sum(counts)
    mean = sum(sums) / max(total, 1)
    ci = ratio_ci(sums, counts, seed)
    return {"loss": round(mean, 4), "perplexity": round(math.exp(mean), 3), "loss_ci95": ci,
            "n_examples": len(sums), "n_tokens": total}


def _answer_scores(examples, answers, seed):
    recall, rouge, parses = [], [], []
    for ex, ans in zip(examples, answers, strict=True):
        ref = ex["messages"][-1]["content"]
        r = identifier_recall(ref, ans)
        if r is not None:
            recall.append(r)
        rouge.append(rouge_l(ref, ans))
        p = nix_parse_ok(ans)
        if p is not None:
            parses.append(1.0 if p else 0.0)
    return {"identifier_recall": summary(recall, seed), "rouge_l": summary(rouge, seed),
            "nix_parse_rate": summary(parses, seed)}


def evaluate(adapter_dir, eval_path, control_path, out_json, out_md, base_model: str, max_examples: int = 32,
             max_new_tokens: int = 64, max_seq_len: int = 1024, seed: int = 0) -> dict:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    t0 = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(adapter_dir)
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    examples = read_examples(eval_path)[: max_examples or None]
    control = read_examples(control_path)
    # float32 on the CPU; on a GPU bfloat16 (a 7B base in float32 does not fit next to its activations)
    cuda = torch.cuda.is_available()
    model = AutoModelForCausalLM.from_pretrained(base_model, dtype=torch.bfloat16 if cuda else torch.float32)
    if cuda:
        model.to("cuda")
    results = {}
    for name in ("base", "adapter"):
        if name == "adapter":
            model = PeftModel.from_pretrained(model, adapter_dir)
        sums, counts = example_losses(model, tok, examples, max_seq_len)
        csums, ccounts = example_losses(model, tok, control, max_seq_len)
        answers = greedy_answers(model, tok, examples, max_new_tokens)
        results[name] = {"heldout": _loss_block(sums, counts, seed), "control": _loss_block(csums, ccounts, seed),
                         **_answer_scores(examples, answers, seed),
                         "samples": [{"id": e["id"], "question": e["messages"][1]["content"][:300],
                                      "answer": a[:500]} for e, a in list(zip(examples, answers, strict=True))[:5]]}
        log.info("%s: held-out loss %.4f, control loss %.4f", name, results[name]["heldout"]["loss"],
                 results[name]["control"]["loss"])
    report = {"base_model": base_model, "adapter_dir": str(adapter_dir), "eval_examples": len(examples),
              "control_examples": len(control), "max_new_tokens": max_new_tokens, "seed": seed, **results,
              "seconds": round(time.perf_counter() - t0, 1)}
    write_json_atomic(out_json, report)
    write_bytes_atomic(out_md, markdown(report).encode())
    return report


def _fmt(block, key="mean"):
    if block.get(key) is None:
        return "–"
    ci = block.get("ci95") or block.get("loss_ci95")
    return f"{block[key]} [{ci[0]}, {ci[1]}] (n={block.get('n', block.get('n_examples'))})" if ci else str(block[key])


def markdown(r: dict) -> str:
    b, a = r["base"], r["adapter"]
    rows = [("held-out loss (assistant tokens)", _fmt(b["heldout"], "loss"), _fmt(a["heldout"], "loss")),
            ("held-out perplexity", str(b["heldout"]["perplexity"]), str(a["heldout"]["perplexity"])),
            ("control loss (forgetting)", _fmt(b["control"], "loss"), _fmt(a["control"], "loss")),
            ("identifier recall", _fmt(b["identifier_recall"]), _fmt(a["identifier_recall"])),
            ("ROUGE-L", _fmt(b["rouge_l"]), _fmt(a["rouge_l"])),
            ("Nix code that parses", _fmt(b["nix_parse_rate"]), _fmt(a["nix_parse_rate"]))]
    lines = [f"# Eval: `{Path(r['adapter_dir']).parent.name}`", "",
             f"Base model `{r['base_model']}` vs the adapter, on {r['eval_examples']} held-out examples "
             f"(greedy, {r['max_new_tokens']} new tokens) and {r['control_examples']} general control examples. "
             "Intervals: bootstrap 95%.", "", "| metric | base | adapter |", "| --- | --- | --- |"]
    lines += [f"| {m} | {x} | {y} |" for m, x, y in rows]
    return "\n".join(lines) + "\n"
