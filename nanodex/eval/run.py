"""models/<run>/adapter + the dataset's eval sets -> reports/<run>/eval.json + eval.md: base vs adapter.

- fact recall (closed book): taught facts asked with held-out question forms (recall.jsonl), scored
  by the fact itself (version, builder, default, option path; dependencies as F1);
- held-out generalisation: groups never trained on (eval.jsonl), identifier recall and ROUGE-L;
- invented identifiers: pkgs.X / option paths in all generated answers that the graph lacks;
- the fixed Nix set (config/eval/nix_set.jsonl): share of key facts matched;
- held-out and control loss (forgetting).
Every number has n and a 95% bootstrap interval clustered by group (file, package, topic).
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path

from ..dataset.example import DEFAULT_SYSTEM, Example, assistant_text, prompt_messages, system_text, user_text
from ..io import write_bytes_atomic, write_json_atomic
from ..train.data import collate, encode, one_per_row, read_examples
from ..train.loop import forward_loss
from ..train.run import resolve_dtype
from .metrics import identifier_recall, nix_parse_ok, ratio_ci, rouge_l, summary
from .scoring import Graph, clustered_mean, fact_score, invented, key_fact_share, read_nix_set

CONTRACT_KEYS = ("fact_recall", "heldout", "invented_identifiers", "nix_set")

log = logging.getLogger(__name__)


def example_losses(model, tok, examples, max_seq_len, batch_size=8):
    """(sum of token losses, token count) per example, assistant tokens only: training's own loss
    (train.loop.forward_loss), on batches of similar lengths."""
    import torch

    encs = [encode(tok, e, max_seq_len) for e in examples]
    rows = one_per_row(encs)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    sums, counts = [0.0] * len(rows), [0] * len(rows)
    model.eval()
    with torch.no_grad():
        for k in range(0, len(order), batch_size):
            idx = order[k:k + batch_size]
            row_sums, row_counts = forward_loss(model, collate([rows[i] for i in idx], tok.pad_token_id, packed=False),
                                                per_row=True)
            for j, i in enumerate(idx):
                sums[i] = float(row_sums[j])
                counts[i] = int(row_counts[j])
    return sums, counts


def greedy_answers(model, tok, examples, max_new_tokens, batch_size=16):
    """Greedy answers in the order of `examples`; prompts are batched by length (little left padding)."""
    import torch

    tok.padding_side = "left"
    prompts = [tok(tok.apply_chat_template(prompt_messages(e), add_generation_prompt=True, tokenize=False),
                   add_special_tokens=False)["input_ids"] for e in examples]
    order = sorted(range(len(prompts)), key=lambda i: (len(prompts[i]), i))
    out = [""] * len(prompts)
    model.eval()
    for k in range(0, len(order), batch_size):
        idx = order[k:k + batch_size]
        enc = tok.pad({"input_ids": [prompts[i] for i in idx]}, return_tensors="pt").to(model.device)
        with torch.no_grad():
            gen = model.generate(**enc, max_new_tokens=max_new_tokens, do_sample=False,
                                 pad_token_id=tok.pad_token_id)
        for i, row in zip(idx, gen[:, enc["input_ids"].shape[1]:], strict=True):
            out[i] = tok.decode(row, skip_special_tokens=True).strip()
    return out


def _loss_block(sums, counts, seed, groups=None):
    """Token-weighted mean loss; its interval resamples whole groups when `groups` is given."""
    total = sum(counts)
    mean = sum(sums) / max(total, 1)
    if groups is not None and total:
        kept = [(s / c, c, g) for s, c, g in zip(sums, counts, groups, strict=True) if c]
        ci = clustered_mean([k[0] for k in kept], [k[2] for k in kept], seed, weights=[k[1] for k in kept])["ci"]
    else:
        ci = ratio_ci(sums, counts, seed)
    return {"loss": round(mean, 4), "perplexity": round(math.exp(mean), 3), "loss_ci95": ci,
            "n_examples": len(sums), "n_tokens": total}


def _answer_scores(examples, answers, seed):
    recall, rouge, parses = [], [], []
    for ex, ans in zip(examples, answers, strict=True):
        ref = assistant_text(ex)
        r = identifier_recall(ref, ans)
        if r is not None:
            recall.append(r)
        rouge.append(rouge_l(ref, ans))
        p = nix_parse_ok(ans)
        if p is not None:
            parses.append(1.0 if p else 0.0)
    return {"identifier_recall": summary(recall, seed), "rouge_l": summary(rouge, seed),
            "nix_parse_rate": summary(parses, seed)}


def _group(ex: dict) -> str:
    return (ex.get("meta") or {}).get("group") or ex.get("id") or ""


def nix_set_examples(items: list[dict], system: str) -> list[dict]:
    return [{"id": it.get("id") or f"nix_set#{i}",
             "messages": Example(it["question"], it.get("answer") or "", system).messages(),
             "meta": {"group": f"nix_set:{it.get('topic') or it.get('id') or i}"}, "key_facts": it["key_facts"]}
            for i, it in enumerate(items)]


def score_side(heldout, heldout_answers, recall, recall_answers, nix, nix_answers, graph, seed) -> dict:
    """The contract's four blocks for one model: {"value", "ci", "n", ...} each."""
    fr, fr_groups, by_kind = [], [], {}
    for ex, ans in zip(recall, recall_answers, strict=True):
        fact = ex["meta"]["fact"]
        subject = fact.get("subject") or ""
        v = fact_score(fact["kind"], fact["value"], ans, graph.packages if graph else set(), subject)
        fr.append(v)
        fr_groups.append(_group(ex))
        by_kind.setdefault(fact["kind"], []).append(v)
    fact_recall = clustered_mean(fr, fr_groups, seed)
    fact_recall["by_kind"] = {k: {"value": round(sum(v) / len(v), 4), "n": len(v)} for k, v in sorted(by_kind.items())}

    idr, idr_groups, rl, rl_groups = [], [], [], []
    for ex, ans in zip(heldout, heldout_answers, strict=True):
        ref = assistant_text(ex)
        r = identifier_recall(ref, ans)
        if r is not None:
            idr.append(r)
            idr_groups.append(_group(ex))
        rl.append(rouge_l(ref, ans))
        rl_groups.append(_group(ex))
    held = clustered_mean(idr, idr_groups, seed)
    held["metric"] = "identifier_recall"
    held["rouge_l"] = clustered_mean(rl, rl_groups, seed)

    ks = [key_fact_share(ans, ex["key_facts"]) for ex, ans in zip(nix, nix_answers, strict=True)]
    nix_block = clustered_mean(ks, [_group(e) for e in nix], seed)

    inv = {"value": None, "ci": None, "n": 0}
    if graph is not None:
        vals, groups, weights, answers_with = [], [], [], 0
        for ex, ans in zip([*heldout, *recall, *nix], [*heldout_answers, *recall_answers, *nix_answers],
                           strict=True):
            bad, total = invented(ans, graph)
            if total:
                answers_with += 1
                vals.append(bad / total)
                weights.append(total)
                groups.append(_group(ex))
        inv = clustered_mean(vals, groups, seed, weights=weights)
        inv["n"] = int(sum(weights))   # identifiers named
        inv["answers"] = answers_with
    return {"fact_recall": fact_recall, "heldout": held, "invented_identifiers": inv, "nix_set": nix_block}


def evaluate(adapter_dir, eval_path, control_path, out_json, out_md, base_model: str, max_examples: int = 32,
             max_new_tokens: int = 64, max_seq_len: int = 1024, seed: int = 0, recall_path=None, graph_db=None,
             nix_set_path=None, max_recall: int = 0, max_nix_set: int = 0, dtype: str = "auto") -> dict:
    """`dtype`: train.dtype, resolved as training resolves it (auto: bfloat16 where the hardware has it)."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    t0 = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(adapter_dir)
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    examples = read_examples(eval_path)[: max_examples or None]
    recall = read_examples(recall_path)[: max_recall or None] if recall_path else []
    control = read_examples(control_path)
    system = next((s for s in map(system_text, [*recall, *examples]) if s is not None), DEFAULT_SYSTEM)
    nix = nix_set_examples(read_nix_set(nix_set_path), system)[: max_nix_set or None] if nix_set_path else []
    graph = Graph.from_db(graph_db) if graph_db else None
    # the dtype training computed in (train.dtype; a 7B base in float32 does not fit next to its activations)
    cuda = torch.cuda.is_available()
    torch_dtype = getattr(torch, resolve_dtype(dtype))
    model = AutoModelForCausalLM.from_pretrained(base_model, dtype=torch_dtype)
    if cuda:
        model.to("cuda")
    results = {}
    for name in ("base", "adapter"):
        if name == "adapter":
            model = PeftModel.from_pretrained(model, adapter_dir)
            if not cuda and torch_dtype == torch.float32:   # merging changes the weights by rounding only,
                # and drops LoRA's extra matmuls
                model = model.merge_and_unload()
        sums, counts = example_losses(model, tok, examples, max_seq_len)
        csums, ccounts = example_losses(model, tok, control, max_seq_len)
        answers = greedy_answers(model, tok, examples, max_new_tokens)
        recall_answers = greedy_answers(model, tok, recall, max_new_tokens)
        nix_answers = greedy_answers(model, tok, nix, max_new_tokens)
        scores = score_side(examples, answers, recall, recall_answers, nix, nix_answers, graph, seed)
        results[name] = {"heldout": _loss_block(sums, counts, seed, [_group(e) for e in examples]),
                         "control": _loss_block(csums, ccounts, seed),
                         **_answer_scores(examples, answers, seed), "scores": scores,
                         "samples": [{"id": e["id"], "question": user_text(e)[:300],
                                      "answer": a[:500]} for e, a in list(zip(examples, answers, strict=True))[:5]],
                         "recall_samples": [{"question": user_text(e)[:300],
                                             "expected": e["meta"]["fact"]["value"], "answer": a[:300]}
                                            for e, a in list(zip(recall, recall_answers, strict=True))[:8]],
                         "nix_set_samples": [{"question": user_text(e)[:300], "answer": a[:500]}
                                             for e, a in list(zip(nix, nix_answers, strict=True))[:5]]}
        log.info("%s: fact recall %s, held-out loss %.4f, control loss %.4f", name,
                 scores["fact_recall"]["value"], results[name]["heldout"]["loss"], results[name]["control"]["loss"])
    contract = {k: {side: results[side]["scores"][k] for side in ("base", "adapter")} for k in CONTRACT_KEYS}
    report = {**contract, "base_model": base_model, "adapter_dir": str(adapter_dir), "eval_examples": len(examples),
              "recall_examples": len(recall), "nix_set_examples": len(nix), "control_examples": len(control),
              "max_new_tokens": max_new_tokens, "seed": seed, **results,
              "seconds": round(time.perf_counter() - t0, 1)}
    write_json_atomic(out_json, report)
    write_bytes_atomic(out_md, markdown(report).encode())
    return report


def _fmt(block, key="mean"):
    if block.get(key) is None:
        return "–"
    ci = block.get("ci95") or block.get("loss_ci95")
    return f"{block[key]} [{ci[0]}, {ci[1]}] (n={block.get('n', block.get('n_examples'))})" if ci else str(block[key])


def _cell(block) -> str:
    if not block or block.get("value") is None:
        return "–"
    ci = block.get("ci")
    ci_text = f" [{ci[0]}, {ci[1]}]" if ci else ""
    return f"{block['value']}{ci_text} (n={block.get('n')})"


CONTRACT_ROWS = [("fact recall, held-out phrasings (closed book)", "fact_recall", None),
                 ("held-out groups: identifier recall", "heldout", None),
                 ("held-out groups: ROUGE-L", "heldout", "rouge_l"),
                 ("invented identifiers (share, lower is better)", "invented_identifiers", None),
                 ("fixed Nix set: key facts", "nix_set", None)]


def markdown(r: dict) -> str:
    b, a = r["base"], r["adapter"]
    lines = [f"# Eval: `{Path(r['adapter_dir']).parent.name}`", "",
             f"Base model `{r['base_model']}` vs the adapter: {r.get('recall_examples', 0)} fact questions in "
             f"held-out phrasings, {r['eval_examples']} examples of held-out groups, {r.get('nix_set_examples', 0)} "
             f"fixed Nix questions (greedy, {r['max_new_tokens']} new tokens) and {r['control_examples']} general "
             "control examples. Intervals: 95% bootstrap, resampling whole groups (file, package, topic).", "",
             "| metric | base | adapter |", "| --- | --- | --- |"]
    for label, key, sub in CONTRACT_ROWS:
        if key not in r:
            continue
        cells = [(r[key][side] or {}).get(sub) if sub else r[key][side] for side in ("base", "adapter")]
        lines.append(f"| {label} | {_cell(cells[0])} | {_cell(cells[1])} |")
    rows = [("held-out loss (assistant tokens)", _fmt(b["heldout"], "loss"), _fmt(a["heldout"], "loss")),
            ("held-out perplexity", str(b["heldout"]["perplexity"]), str(a["heldout"]["perplexity"])),
            ("control loss (forgetting)", _fmt(b["control"], "loss"), _fmt(a["control"], "loss")),
            ("Nix code that parses", _fmt(b["nix_parse_rate"]), _fmt(a["nix_parse_rate"]))]
    lines += [f"| {m} | {x} | {y} |" for m, x, y in rows]
    kinds = sorted(set((r.get("fact_recall", {}).get("base") or {}).get("by_kind", {}))
                   | set((r.get("fact_recall", {}).get("adapter") or {}).get("by_kind", {})))
    if kinds:
        lines += ["", "Fact recall by fact kind:", "", "| fact kind | base | adapter |", "| --- | --- | --- |"]
        for k in kinds:
            cells = [((r["fact_recall"][side] or {}).get("by_kind") or {}).get(k) for side in ("base", "adapter")]
            lines.append(f"| {k} | " + " | ".join(f"{c['value']} (n={c['n']})" if c else "–" for c in cells) + " |")
    return "\n".join(lines) + "\n"
