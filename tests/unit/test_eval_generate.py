"""The eval's batched greedy answers: one answer per example, in the examples' order, the same as
answering them one at a time."""

import pytest

torch = pytest.importorskip("torch")

from nanodex.eval.run import greedy_answers  # noqa: E402
from nanodex.train.tiny import make_tiny_model  # noqa: E402

QUESTIONS = ["How do I enable nginx on NixOS?", "What is a flake?", "Pin nixpkgs?",
             "What does lib.mkIf do when its condition is false and the option has a default value?",
             "Which option sets the hostname?", "How do I add ripgrep to environment.systemPackages?", "Why?"]


def ask(q):
    return {"id": q, "messages": [{"role": "system", "content": "You know Nix."}, {"role": "user", "content": q},
                                  {"role": "assistant", "content": ""}]}


def test_batched_answers_keep_the_order_and_match_one_at_a_time(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model_dir = make_tiny_model(tmp_path / "m", QUESTIONS * 20, vocab_size=300)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    examples = [ask(q) for q in QUESTIONS]   # prompts of different lengths, not in length order
    batched = greedy_answers(model, tok, examples, max_new_tokens=8, batch_size=3)
    single = [greedy_answers(model, tok, [e], max_new_tokens=8, batch_size=1)[0] for e in examples]
    assert len(batched) == len(examples)
    assert batched == single
    assert len(set(single)) > 1   # the answers differ, so a reordering would show
