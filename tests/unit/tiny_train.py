"""What the training tests share: five Nix Q&A pairs, chat examples made from them, a tiny Qwen2 with
train/eval files written from them, and a train config sized for it."""

import orjson

from nanodex.train.tiny import make_tiny_model

QA = [("How do I enable nginx?", "Set services.nginx.enable = true; in configuration.nix."),
      ("What is a flake?", "A flake is a directory with a flake.nix that declares inputs and outputs."),
      ("How do I pin nixpkgs?", "Add nixpkgs to the flake inputs; flake.lock pins the commit."),
      ("What does mkIf do?", "lib.mkIf makes a definition apply only when its condition holds."),
      ("How do I add a package?", "List it in environment.systemPackages, for example pkgs.ripgrep.")]


def example(i, q, a):
    return {"id": f"e{i}", "messages": [{"role": "system", "content": "You know Nix."},
                                        {"role": "user", "content": q}, {"role": "assistant", "content": a}]}


def tiny_setup(tmp, n_eval: int):
    """(model_dir, train.jsonl, eval.jsonl) under `tmp`: the model's tokenizer trained on the Q&A, 40
    training examples, the first `n_eval` pairs as eval examples."""
    model_dir = make_tiny_model(tmp / "model", [q + " " + a for q, a in QA] * 20, vocab_size=400)
    train_p, eval_p = tmp / "train.jsonl", tmp / "eval.jsonl"
    train_p.write_bytes(b"".join(orjson.dumps(example(i, q, a)) + b"\n" for i, (q, a) in enumerate(QA * 8)))
    eval_p.write_bytes(b"".join(orjson.dumps(example(100 + i, q, a)) + b"\n"
                                for i, (q, a) in enumerate(QA[:n_eval])))
    return model_dir, train_p, eval_p


def config(model_dir, **kw):
    cfg = {"run": "t", "base_model": str(model_dir), "method": "lora", "dtype": "float32",
           "lora": {"r": 8, "alpha": 16, "dropout": 0.0, "target_modules": "all-linear"}, "lr": 5e-3,
           "schedule": "constant", "warmup_steps": 0, "epochs": 1, "max_steps": 30, "batch_size": 2, "grad_accum": 1,
           "max_seq_len": 256, "seed": 0, "packing": "pack", "eval_steps": 10, "eval_max_examples": 0,
           "save_steps": 5, "keep_checkpoints": 2, "merge": False}
    cfg.update(kw)
    return cfg
