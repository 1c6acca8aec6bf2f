"""Training on a tiny Qwen2 made on the spot: masking, packing, learning, save/reload, resume, errors."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

torch = pytest.importorskip("torch")

from tiny_train import QA, config, example, tiny_setup  # noqa: E402

from nanodex.errors import ConfigError, NanodexError  # noqa: E402
from nanodex.train.data import IGNORE, collate, encode, one_per_row, pack, shared_prefix  # noqa: E402
from nanodex.train.loop import forward_loss  # noqa: E402
from nanodex.train.run import add_lora, train  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tiny")
    return (tmp, *tiny_setup(tmp, n_eval=2))


def tokenizer(model_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_dir)


def test_labels_are_exactly_the_assistant_tokens(tiny):
    _, model_dir, _, _ = tiny
    tok = tokenizer(model_dir)
    ex = example(0, *QA[0])
    enc = encode(tok, ex, 256)
    trained = [t for t, lab in zip(enc.input_ids, enc.labels, strict=True) if lab != IGNORE]
    assert tok.decode(trained) == QA[0][1] + "<|im_end|>\n"
    assert all(lab == IGNORE for lab in enc.labels[:enc.prompt_len])
    assert enc.labels[enc.prompt_len:] == enc.input_ids[enc.prompt_len:]


def test_packed_rows_never_attend_across_examples(tiny):
    """Padding-free packing: no mask tensor, position ids restarting at each example; transformers
    keeps each example to itself, and the same row leaks when that detection is off (a cache, or
    positions that do not restart): the test can fail."""
    from transformers import AutoModelForCausalLM

    _, model_dir, _, _ = tiny
    tok = tokenizer(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa").eval()
    encs = [encode(tok, example(i, q, a), 256) for i, (q, a) in enumerate(QA[:3])]
    rows = pack(encs, 256)
    assert len(rows) == 1 and rows[0].position_ids.count(0) == 3
    b = collate(rows, tok.pad_token_id)
    assert b["attention_mask"] is None

    def logits(batch, use_cache=False):
        return model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                     position_ids=batch["position_ids"], use_cache=use_cache).logits[0]

    with torch.no_grad():
        packed = logits(b)
        offset = 0
        for e in encs:
            alone = model(input_ids=torch.tensor([e.input_ids])).logits[0]
            assert torch.allclose(packed[offset:offset + len(e.input_ids)], alone, atol=1e-4)
            offset += len(e.input_ids)
        n0 = len(encs[0].input_ids)
        # with a cache (use_cache=True builds one) transformers does not look for packed sequences
        assert not torch.allclose(logits(b, use_cache=True)[n0:n0 + 5], packed[n0:n0 + 5], atol=1e-4)
        joined = dict(b, position_ids=torch.arange(b["input_ids"].shape[1])[None])
        assert not torch.allclose(logits(joined)[n0:n0 + 5], packed[n0:n0 + 5], atol=1e-4)


def test_packed_batches_give_the_same_loss_padded_or_flattened(tiny):
    """Rows of a packed batch padded to one length, or flattened into one row without padding (what
    flash-attention's variable-length kernel runs): the loss of each example alone, summed."""
    from transformers import AutoModelForCausalLM

    from nanodex.train.data import flattened

    _, model_dir, _, _ = tiny
    tok = tokenizer(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa").eval()
    encs = [encode(tok, example(i, q, a), 256) for i, (q, a) in enumerate(QA)]
    rows = pack(encs, 100)   # several rows of unequal length: padding tails
    assert len(rows) > 1 and len({len(r) for r in rows}) > 1
    padded = collate(rows, tok.pad_token_id)
    flat = flattened(padded)
    assert flat["input_ids"].shape == (1, sum(len(r) for r in rows))
    with torch.no_grad():
        alone = sum(forward_loss(model, collate(one_per_row([e]), tok.pad_token_id, packed=False))[0] for e in encs)
        for b in (padded, flat):
            loss, n = forward_loss(model, b)
            assert n == sum(sum(1 for x in e.labels[1:] if x != IGNORE) for e in encs)
            assert torch.allclose(loss, alone, rtol=1e-5)


def test_packing_check_refuses_a_model_that_lets_examples_mix(tiny):
    """A recurrent model (Mamba) carries state from one packed example into the next: `packing: pack`
    stops with one line, `auto` falls back to random batches; the attention model passes."""
    from transformers import AutoModelForCausalLM, MambaConfig, MambaForCausalLM

    from nanodex.train.loop import packed_attention_error
    from nanodex.train.run import checked_batching

    _, model_dir, _, _ = tiny
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa")
    error, leak = packed_attention_error(model)
    assert error < 1e-4 < leak
    assert checked_batching(model, {"packing": "pack"}) == "pack"
    torch.manual_seed(0)
    mamba = MambaForCausalLM(MambaConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, state_size=4))
    with pytest.raises(ConfigError, match=r"^train\.packing: pack: model type 'mamba' lets packed examples see "
                                          r"each other .*; expected group or random for this model$"):
        checked_batching(mamba, {"packing": "pack"})
    assert checked_batching(mamba, {"packing": "auto"}, gpu=True) == "random"   # auto packs on a GPU, if it can
    assert checked_batching(model, {"packing": "auto"}, gpu=True) == "pack"
    assert mamba.training   # the check leaves the model's mode as it found it


def test_shared_prefix_is_the_untrained_common_start(tiny):
    _, model_dir, _, _ = tiny
    tok = tokenizer(model_dir)
    rows = one_per_row([encode(tok, example(i, q, a), 256) for i, (q, a) in enumerate(QA)])
    p = shared_prefix(rows)
    assert p > 0 and len({tuple(r.input_ids[:p]) for r in rows}) == 1
    assert len({r.input_ids[p] for r in rows}) > 1 or p == min(len(r) for r in rows) - 1   # longest such start
    # no position whose output is trained is inside it (label j is predicted at j - 1 >= p)
    assert all(lab == IGNORE for r in rows for lab in r.labels[:p + 1])
    assert shared_prefix(rows[:1]) == 0
    assert collate(rows, tok.pad_token_id, packed=False, share_prefix=False)["prefix_len"] == 0


def test_shared_prefix_gives_the_same_loss_and_gradients(tiny):
    from transformers import AutoModelForCausalLM

    _, model_dir, _, _ = tiny
    tok = tokenizer(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa")
    model = add_lora(model, config(model_dir))
    for name, param in model.named_parameters():
        if "lora_B" in name:   # B starts at zero: make the adapter matter
            torch.nn.init.normal_(param, std=0.05)
    # different lengths: right padding after the per-row part
    rows = one_per_row([encode(tok, example(i, q, a), 256) for i, (q, a) in enumerate(QA[:4])])
    results = []
    for share in (False, True):
        b = collate(rows, tok.pad_token_id, packed=False, share_prefix=share)
        assert (b["prefix_len"] > 0) == share
        model.zero_grad()
        loss, n = forward_loss(model, b)
        loss.backward()
        grads = torch.cat([p.grad.flatten() for p in model.parameters() if p.requires_grad])
        results.append((loss.detach(), n, grads))
    (loss0, n0, g0), (loss1, n1, g1) = results
    assert n0 == n1 and torch.allclose(loss0, loss1, rtol=1e-5)
    assert torch.allclose(g0, g1, rtol=1e-4, atol=1e-6 * g0.abs().max())


def test_eval_losses_are_the_training_loss_per_example(tiny):
    """The eval stage's held-out/control losses: forward_loss per row, the same as full logits of each
    example alone, and summing to the batch's training loss."""
    from transformers import AutoModelForCausalLM

    from nanodex.eval.run import example_losses

    _, model_dir, _, _ = tiny
    tok = tokenizer(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa")
    examples = [example(i, q, a) for i, (q, a) in enumerate(QA)]
    sums, counts = example_losses(model, tok, examples, 256, batch_size=3)
    for e, s, c in zip(examples, sums, counts, strict=True):
        b = collate(one_per_row([encode(tok, e, 256)]), tok.pad_token_id, packed=False)
        with torch.no_grad():
            logits = model(input_ids=b["input_ids"]).logits[0, :-1].float()
        labels = b["labels"][0, 1:]
        ref = torch.nn.functional.cross_entropy(logits, labels, ignore_index=IGNORE, reduction="sum")
        assert c == int((labels != IGNORE).sum()) and abs(s - float(ref)) <= 1e-4 * max(1.0, float(ref))
    rows = one_per_row([encode(tok, e, 256) for e in examples])
    b = collate(rows, tok.pad_token_id, packed=False)
    with torch.no_grad():
        total, n = forward_loss(model, b)
        row_sums, row_counts = forward_loss(model, b, per_row=True)
    assert n == int(row_counts.sum()) and torch.allclose(row_sums.sum(), total, rtol=1e-5)


def test_lora_layers_adapts_only_the_last_decoder_layers(tiny):
    from transformers import AutoModelForCausalLM

    _, model_dir, _, _ = tiny
    tok = tokenizer(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa")
    n_layers = len(model.model.layers)
    assert n_layers >= 2
    cfg = config(model_dir)
    cfg["lora"] = {**cfg["lora"], "layers": 1}
    model = add_lora(model, cfg)
    adapted = {name.split(".layers.")[1].split(".")[0] for name, p in model.named_parameters() if p.requires_grad}
    assert adapted == {str(n_layers - 1)}
    # every linear of that layer, as all-linear would: attention and MLP
    kinds = {name.split(".lora_A")[0].rsplit(".", 1)[-1] for name, _ in model.named_parameters() if "lora_A" in name}
    assert {"q_proj", "v_proj", "o_proj", "down_proj"} <= kinds
    for name, param in model.named_parameters():
        if "lora_B" in name:
            torch.nn.init.normal_(param, std=0.05)
    rows = one_per_row([encode(tok, example(i, q, a), 256) for i, (q, a) in enumerate(QA[:2])])
    loss, _ = forward_loss(model, collate(rows, tok.pad_token_id, packed=False))
    loss.backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters() if p.requires_grad)


def test_loss_goes_down_and_adapter_reloads_with_identical_logits(tiny, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    _, model_dir, train_p, eval_p = tiny
    report = train(train_p, eval_p, tmp_path / "run/adapter", config(model_dir))
    assert report["steps"] == 30
    assert report["last_loss"] < report["first_loss"] * 0.7
    adapter = tmp_path / "run/adapter"
    assert {"adapter_config.json", "adapter_model.safetensors", "tokenizer.json", "README.md",
            "nanodex_train.json"} <= {p.name for p in adapter.iterdir()}
    meta = json.loads((adapter / "nanodex_train.json").read_text())
    assert meta["steps"] == 30 and meta["dataset"]["train"]["examples"] == 40 and "torch" in meta["versions"]
    history = json.loads((tmp_path / "run/metrics.json").read_text())
    assert [h["step"] for h in history["history"] if "eval_loss" in h] == [10, 20, 30]
    assert (tmp_path / "run/loss.png").read_bytes()[:4] == b"\x89PNG"
    base = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    reloaded = PeftModel.from_pretrained(base, adapter).eval()
    best = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32),
                                     tmp_path / "run/best").eval()
    ids = torch.tensor([[5, 6, 7, 8, 9]])
    with torch.no_grad():
        assert torch.equal(reloaded(input_ids=ids).logits, best(input_ids=ids).logits)
        plain = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)(input_ids=ids).logits
    assert not torch.allclose(reloaded(input_ids=ids).logits, plain)


def _train_in_subprocess(model_dir, train_p, eval_p, out, **kw):
    code = ("import json, sys, logging; logging.basicConfig(level=logging.INFO);"
            "from nanodex.train.run import train; from nanodex.errors import NanodexError;"
            f"cfg = json.loads({json.dumps(json.dumps(config(model_dir, **kw)))});"
            f"\ntry:\n  print(json.dumps(train({str(train_p)!r}, {str(eval_p)!r}, {str(out)!r}, cfg)))\n"
            "except NanodexError as e:\n  print('STOPPED', e); sys.exit(getattr(e, 'exit_code', 1))")
    return subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": os.getcwd()},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for_checkpoint(ckpts, at_least=1, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ckpts.exists() and len([p for p in ckpts.glob("step-*")]) >= at_least:
            return
        time.sleep(0.05)
    raise AssertionError("no checkpoint appeared")


def test_killed_run_resumes_and_ends_with_the_same_step_count(tiny, tmp_path):
    _, model_dir, train_p, eval_p = tiny
    out = tmp_path / "run/adapter"
    proc = _train_in_subprocess(model_dir, train_p, eval_p, out, max_steps=40, save_steps=4)
    _wait_for_checkpoint(tmp_path / "run/checkpoints")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    done = max(int(p.name[5:]) for p in (tmp_path / "run/checkpoints").glob("step-*"))
    assert 4 <= done < 40
    report = train(train_p, eval_p, out, config(model_dir, max_steps=40, save_steps=4))
    meta = json.loads((out / "nanodex_train.json").read_text())
    assert report["steps"] == 40 and meta["steps"] == 40 and meta["resumed_from"] >= done


def test_sigterm_saves_a_checkpoint_and_stops_cleanly(tiny, tmp_path):
    _, model_dir, train_p, eval_p = tiny
    out = tmp_path / "run/adapter"
    proc = _train_in_subprocess(model_dir, train_p, eval_p, out, max_steps=200, save_steps=50)
    time.sleep(0.5)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (tmp_path / "run/checkpoints").exists():
        time.sleep(0.05)
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGTERM)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 75, output
    assert "stopped by SIGTERM at step" in output and "run again to resume" in output
    saved = sorted((tmp_path / "run/checkpoints").glob("step-*"))
    assert saved and (saved[-1] / "trainer.pt").exists()


@pytest.mark.parametrize("change, message", [
    ({"lora": {"r": 0, "alpha": 16, "dropout": 0.0, "target_modules": "all-linear"}},
     r"^train.lora.r: 0 is not allowed; expected a number >= 1 \(LoRA rank\)$"),
    ({"max_seq_len": 8}, r"^train.max_seq_len: 8 is not allowed; expected a number >= 16 "),
    ({"lora": {"r": 8, "alpha": 16, "dropout": 0.0, "target_modules": ["no_such_proj"]}},
     r"^train.lora.target_modules: \['no_such_proj'\] does not match the model"),
    ({"max_seq_len": 20}, r"^train.max_seq_len: 20 is below the prompt of example e0 \(\d+ tokens\)"),
])
def test_bad_config_is_one_line_and_keeps_earlier_outputs(tiny, tmp_path, change, message):
    _, model_dir, train_p, eval_p = tiny
    out = tmp_path / "adapter"
    out.mkdir()
    (out / "keep.txt").write_text("earlier output")
    with pytest.raises(ConfigError, match=message) as err:
        train(train_p, eval_p, out, config(model_dir, **change))
    assert "\n" not in str(err.value)
    assert (out / "keep.txt").read_text() == "earlier output"


def test_missing_dataset_is_one_line(tiny, tmp_path):
    _, model_dir, _, eval_p = tiny
    with pytest.raises(NanodexError, match=r"missing.jsonl: dataset file not found; build it with"):
        train(tmp_path / "missing.jsonl", eval_p, tmp_path / "a", config(model_dir))


def test_save_and_reload_give_identical_logits(tiny, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from nanodex.train.run import add_lora

    _, model_dir, _, _ = tiny
    model = add_lora(AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32),
                     config(model_dir)).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.05)   # a trained-looking adapter (B starts at zero)
    model.save_pretrained(tmp_path / "a")
    reloaded = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32),
                                         tmp_path / "a").eval()
    ids = torch.tensor([[3, 14, 15, 92, 65, 35]])
    with torch.no_grad():
        assert torch.equal(model(input_ids=ids).logits, reloaded(input_ids=ids).logits)


def test_qlora_trains_on_cpu_with_gradients_matching_a_dequantised_reference(tiny):
    bnb = pytest.importorskip("bitsandbytes")
    from transformers import AutoModelForCausalLM

    from nanodex.train.run import add_lora, load_model

    _, model_dir, _, _ = tiny
    cfg = config(model_dir, method="qlora")
    _, qmodel = load_model(cfg)
    qmodel = add_lora(qmodel, cfg)
    # the reference: the same NF4 weights, dequantised into a plain float32 model, with the same LoRA weights
    ref = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    qmods = dict(qmodel.base_model.model.named_modules())
    for name, mod in ref.named_modules():
        q = qmods.get(name)
        if q is not None and isinstance(getattr(q, "base_layer", q), bnb.nn.Linear4bit):
            layer = getattr(q, "base_layer", q)
            mod.weight.data = bnb.functional.dequantize_4bit(layer.weight.data, layer.weight.quant_state).float()
    ref = add_lora(ref, config(model_dir))
    ref.load_state_dict({k: v for k, v in qmodel.state_dict().items() if "lora_" in k}, strict=False)
    ids = torch.tensor([[5, 6, 7, 8, 9, 10, 11, 12]])
    with torch.no_grad():   # a no-grad forward first: the trap that repacks weights for inference on AVX512-BF16
        qmodel(input_ids=ids)
    for m in (qmodel, ref):
        m.train()
        m(input_ids=ids, labels=ids).loss.backward()
    q_grads = {n: p.grad for n, p in qmodel.named_parameters() if p.requires_grad}
    r_grads = {n: p.grad for n, p in ref.named_parameters() if p.requires_grad}
    assert q_grads.keys() == r_grads.keys() and all(g is not None for g in q_grads.values())
    nonzero = [n for n in q_grads if q_grads[n].abs().sum() > 0]
    assert len(nonzero) >= len(q_grads) // 2
    for n in q_grads:
        assert torch.allclose(q_grads[n], r_grads[n], rtol=1e-3, atol=1e-5), n


def _logits(model, ids):
    with torch.no_grad():
        return model.eval()(input_ids=ids).logits


@pytest.mark.parametrize("method", ["lora", "qlora"])
def test_merged_model_equals_base_plus_the_published_adapter(tiny, tmp_path, method):
    """The merge applies the adapter that was published (the best checkpoint), into the unquantised base."""
    if method == "qlora":
        pytest.importorskip("bitsandbytes")
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    _, model_dir, train_p, eval_p = tiny
    report = train(train_p, eval_p, tmp_path / "run/adapter",
                   config(model_dir, method=method, packing="group", max_steps=6, eval_steps=2, merge=True))
    assert report["steps"] == 6
    merged = AutoModelForCausalLM.from_pretrained(tmp_path / "run/merged", dtype=torch.float32)
    assert not any("lora" in n for n, _ in merged.named_parameters())
    assert all(p.dtype == torch.float32 for p in merged.parameters())   # never the 4-bit weights
    published = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32),
                                          tmp_path / "run/adapter")
    base = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    ids = torch.tensor([[3, 14, 15, 92, 65, 35, 8, 9]])
    want, got = _logits(published, ids), _logits(merged, ids)
    assert torch.allclose(got, want, atol=1e-4), (got - want).abs().max()
    assert not torch.allclose(got, _logits(base, ids), atol=1e-3)   # the adapter did change the model


def _files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_two_gloo_ranks_equal_one_process_at_the_same_global_batch(tiny, tmp_path):
    """torchrun with 2 CPU ranks (gloo): the same loss history as 1 process, and only rank 0 writes."""
    from nanodex.train.distributed import launch

    _, model_dir, train_p, eval_p = tiny
    cfg = config(model_dir, packing="group", max_steps=4, batch_size=2, grad_accum=2, eval_steps=2, gpus=1)
    one = train(train_p, eval_p, tmp_path / "one/adapter", cfg)
    two = launch(2, {"train": str(train_p), "eval": str(eval_p), "out": str(tmp_path / "two/adapter"),
                     "cfg": cfg, "run_dir": str(tmp_path / "two")}, tmp_path / "two")
    assert two["ranks"] == 2 and two["steps"] == one["steps"] == 4
    h1 = json.loads((tmp_path / "one/metrics.json").read_text())["history"]
    h2 = json.loads((tmp_path / "two/metrics.json").read_text())["history"]
    for a, b in zip(h1, h2, strict=True):
        assert a["loss"] == pytest.approx(b["loss"], rel=1e-4, abs=1e-5), (a, b)
        assert ("eval_loss" in a) == ("eval_loss" in b)
        if "eval_loss" in a:
            assert a["eval_loss"] == pytest.approx(b["eval_loss"], rel=1e-4, abs=1e-5)
    launch_files = {"launch.json", "launch.report.json"}
    assert [f for f in _files(tmp_path / "two") if f not in launch_files] == _files(tmp_path / "one")


def test_report_to_tensorboard_writes_event_files(tiny, tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    _, model_dir, train_p, eval_p = tiny
    train(train_p, eval_p, tmp_path / "run/adapter", config(model_dir, max_steps=3, report_to="tensorboard"))
    events = list((tmp_path / "run/tensorboard").glob("events.out.tfevents.*"))
    assert events
    acc = EventAccumulator(str(events[0].parent))
    acc.Reload()
    assert [e.step for e in acc.Scalars("train/loss")] == [1, 2, 3]


def test_gradient_checkpointing_gives_the_same_loss_history(tiny, tmp_path):
    _, model_dir, train_p, eval_p = tiny
    plain = train(train_p, eval_p, tmp_path / "a/adapter", config(model_dir, max_steps=3, gradient_checkpointing=False))
    ckpt = train(train_p, eval_p, tmp_path / "b/adapter", config(model_dir, max_steps=3, gradient_checkpointing=True))
    h1 = json.loads((tmp_path / "a/metrics.json").read_text())["history"]
    h2 = json.loads((tmp_path / "b/metrics.json").read_text())["history"]
    assert plain["steps"] == ckpt["steps"] == 3
    assert [round(h["loss"], 4) for h in h1] == [round(h["loss"], 4) for h in h2]


def test_progress_line_has_step_loss_rate_and_eta():
    from nanodex.train.loop import progress_line

    assert progress_line(5, 20, 2.12345, None, 1560, 5, 5.0) == \
        "step 5/20 (25%) loss 2.1235 | 312 tokens/s | ETA 0:00:15"
    assert progress_line(20, 20, 1.5, 1.25, 0, 20, 0.0) == \
        "step 20/20 (100%) loss 1.5000 eval 1.2500 | 0 tokens/s | ETA 0:00:00"
    assert progress_line(1, 4000, 3.0, None, 100, 1, 2.0).endswith("ETA 2:13:18")


def test_random_batching_mixes_lengths_and_grouping_sorts_them():
    """`packing: random`: one example per row in the shuffled order (a batch mixes lengths); `group`:
    every batch cut from a length-sorted run. Both cover every row once per epoch, from (seed, epoch)."""
    from nanodex.train.data import Row
    from nanodex.train.loop import LoopConfig, batches_for_step
    from nanodex.train.run import batching_mode

    rows = [Row(input_ids=[1] * n, labels=[1] * n, position_ids=list(range(n)))
            for n in range(1, 33)]
    for grouped in (True, False):
        cfg = LoopConfig(batch_size=4, batching="group" if grouped else "random", seed=3)
        batches = [batches_for_step(rows, s, cfg)[0] for s in range(8)]
        assert sorted(len(r) for b in batches for r in b) == list(range(1, 33))
        spans = [max(len(r) for r in b) - min(len(r) for r in b) for b in batches]
        assert (max(spans) <= 3) == grouped   # grouped: 4 neighbours of a sorted run of 1..32
        assert batches == [batches_for_step(rows, s, cfg)[0] for s in range(8)]
    assert batching_mode({"packing": "random"}) == "random"
    assert batching_mode({"packing": "group"}) == "group"
    # auto: random batches on a CPU (lower loss at equal steps than grouped, docs/training.md)
    assert batching_mode({"packing": "auto"}) == ("pack" if torch.cuda.is_available() else "random")


def test_attention_kernel_choice():
    """`train.attention: auto` is flash_attention_2 only on a GPU with flash-attn installed; asking for
    it where it cannot run is one line naming the field."""
    import importlib.util

    from nanodex.train.run import attention_implementation

    flash = torch.cuda.is_available() and importlib.util.find_spec("flash_attn") is not None
    assert attention_implementation({"attention": "auto"}) == ("flash_attention_2" if flash else "sdpa")
    assert attention_implementation({"attention": "eager"}) == "eager"
    if not flash:
        with pytest.raises(ConfigError, match=r"^train\.attention: flash_attention_2 needs a CUDA GPU and the "
                                              r"flash-attn package .*; expected sdpa, eager or auto here$"):
            attention_implementation({"attention": "flash_attention_2"})
