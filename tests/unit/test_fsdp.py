"""FSDP2 (train.distributed: fsdp) on 2 CPU gloo ranks against one process, on a tiny Qwen2 made on the
spot; the strategy choice and the equal pass counts the collectives need."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

torch = pytest.importorskip("torch")

from tiny_train import config as base_config  # noqa: E402
from tiny_train import tiny_setup  # noqa: E402

from nanodex.train.distributed import Ranks, launch, rank_share, strategy  # noqa: E402
from nanodex.train.run import train  # noqa: E402

GiB = 2 ** 30


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return tiny_setup(tmp_path_factory.mktemp("tiny"), n_eval=3)


def config(model_dir, **kw):
    """tiny_train's config, 4 steps of 2 x 2, sharded."""
    return base_config(model_dir, **{"max_steps": 4, "grad_accum": 2, "packing": "group", "eval_steps": 2,
                                     "save_steps": 2, "gpus": 1, "distributed": "fsdp", **kw})


def _history(run_dir):
    return json.loads((run_dir / "metrics.json").read_text())["history"]


def _files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _same_history(h1, h2):
    assert len(h1) == len(h2)
    for a, b in zip(h1, h2, strict=True):
        assert a["loss"] == pytest.approx(b["loss"], rel=1e-4, abs=1e-5), (a, b)
        assert ("eval_loss" in a) == ("eval_loss" in b)
        if "eval_loss" in a:
            assert a["eval_loss"] == pytest.approx(b["eval_loss"], rel=1e-4, abs=1e-5), (a, b)


def _two_ranks(tmp_path, train_p, eval_p, cfg, name="two"):
    job = {"train": str(train_p), "eval": str(eval_p), "out": str(tmp_path / name / "adapter"), "cfg": cfg,
           "run_dir": str(tmp_path / name)}
    return launch(2, job, tmp_path / name)


def _logits(model_dir, adapter):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32),
                                      adapter).eval()
    with torch.no_grad():
        return model(input_ids=torch.tensor([[3, 14, 15, 92, 65, 35, 8, 9]])).logits


def test_strategy_auto_shards_a_base_over_half_a_gpu():
    assert strategy("auto", 10 * GiB, 80 * GiB, 4) == "ddp"
    assert strategy("auto", 41 * GiB, 80 * GiB, 4) == "fsdp"
    assert strategy("auto", 140 * GiB, 0, 2) == "ddp"      # a CPU: no GPU memory to run out of
    assert strategy("fsdp", 1, 80 * GiB, 2) == "fsdp"
    assert strategy("ddp", 140 * GiB, 80 * GiB, 2) == "ddp"
    for setting in ("auto", "ddp", "fsdp"):
        assert strategy(setting, 140 * GiB, 80 * GiB, 1) == "none"


def test_rank_share_pads_the_short_ranks_only_when_even():
    items = ["a", "b", "c"]
    assert rank_share(items, Ranks(1, 2)) == [("b", 1.0)]                          # ddp: as before
    assert rank_share(items, Ranks(0, 2), even=True) == [("a", 1.0), ("c", 1.0)]
    assert rank_share(items, Ranks(1, 2), even=True) == [("b", 1.0), ("a", 0.0)]   # one weight-0 pass
    assert rank_share(["a"], Ranks(2, 3), even=True) == [("a", 0.0)]
    assert rank_share([], Ranks(1, 2), even=True) == []


@pytest.mark.parametrize("packing", ["group", "pack"])
def test_fsdp_on_two_gloo_ranks_equals_one_process(tiny, tmp_path, packing):
    """torchrun with 2 CPU ranks, decoder layers sharded: the same loss history as 1 process at the same
    global batch, only rank 0 writes, and the adapter loads with peft and gives the same logits.
    3 micro-batches a step over 2 ranks: one rank pads with a weight-0 pass (else a deadlock), and
    the eval set (3 rows, batches of 2) is uneven too. `pack`: padding-free packed rows, and the
    packing check run through the sharded model (a collective)."""
    model_dir, train_p, eval_p = tiny
    cfg = config(model_dir, grad_accum=3, packing=packing)
    one = train(train_p, eval_p, tmp_path / "one/adapter", cfg)
    two = _two_ranks(tmp_path, train_p, eval_p, cfg)
    assert two["ranks"] == 2 and two["distributed"] == "fsdp" and two["steps"] == one["steps"] == 4
    _same_history(_history(tmp_path / "one"), _history(tmp_path / "two"))
    launch_files = {"launch.json", "launch.report.json"}
    assert [f for f in _files(tmp_path / "two") if f not in launch_files] == _files(tmp_path / "one")
    for sub in ("adapter", "best", "checkpoints/step-0000004/adapter"):
        want, got = _logits(model_dir, tmp_path / "one" / sub), _logits(model_dir, tmp_path / "two" / sub)
        assert torch.allclose(got, want, atol=1e-4), (sub, (got - want).abs().max())
    from transformers import AutoModelForCausalLM

    with torch.no_grad():
        plain = AutoModelForCausalLM.from_pretrained(model_dir)(input_ids=torch.tensor([[3, 14, 15, 92, 65, 35, 8, 9]]))
    assert not torch.allclose(_logits(model_dir, tmp_path / "two/adapter"), plain.logits, atol=1e-3)   # it learned


def test_fsdp_resumes_from_its_checkpoint(tiny, tmp_path):
    """A 2-rank fsdp run stopped after step 2 (its checkpoint kept) and run again ends with the loss
    history of one uninterrupted process."""
    import shutil

    model_dir, train_p, eval_p = tiny
    cfg = config(model_dir)
    train(train_p, eval_p, tmp_path / "one/adapter", cfg)
    _two_ranks(tmp_path, train_p, eval_p, cfg)
    run = tmp_path / "two"
    shutil.rmtree(run / "checkpoints/step-0000004")            # as if stopped right after step 2
    shutil.rmtree(run / "adapter")
    again = _two_ranks(tmp_path, train_p, eval_p, cfg)
    meta = json.loads((run / "adapter/nanodex_train.json").read_text())
    assert again["steps"] == 4 and meta["resumed_from"] == 2
    _same_history(_history(tmp_path / "one"), _history(run))
    want, got = _logits(model_dir, tmp_path / "one/adapter"), _logits(model_dir, run / "adapter")
    assert torch.allclose(got, want, atol=1e-4), (got - want).abs().max()


def _grads(model_dir, out, ranks, clip=0.0, *extra, timeout=300):
    """tests/unit/fsdp_grads.py in 1 process or under torchrun; a hang (unequal collectives) is killed
    with its whole process group and fails the test."""
    script = str(Path(__file__).with_name("fsdp_grads.py"))
    launcher = ["-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={ranks}"] if ranks > 1 else []
    proc = subprocess.Popen([sys.executable, *launcher, script, str(model_dir), str(out), str(clip), *extra],
                            env={**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"{ranks} ranks did not finish in {timeout}s (a rank left in a collective?)") from None
    assert proc.returncode == 0, output[-3000:]
    return torch.load(out)


def _assert_close(got, want):
    assert got.keys() == want.keys()
    for name in want:
        assert torch.allclose(got[name], want[name], rtol=1e-4, atol=1e-7), (name, (got[name] - want[name]).abs().max())


def test_fsdp_gradients_are_the_one_process_sums(tiny, tmp_path):
    """3 micro-batches over 2 sharded ranks (one pads with a weight-0 pass, else a deadlock): the same
    LoRA gradients as one process. FSDP's default mean halves them (what set_gradient_divide_factor
    fixes; the loss history barely shows it, AdamW being near scale-free); clip_grad_norm_ over the
    sharded gradients uses the global norm."""
    model_dir, _, _ = tiny
    one = _grads(model_dir, tmp_path / "one.pt", 1)
    _assert_close(_grads(model_dir, tmp_path / "two.pt", 2), one)
    averaged = _grads(model_dir, tmp_path / "mean.pt", 2, 0.0, "average")
    _assert_close({n: 2 * g for n, g in averaged.items()}, one)
    norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in one.values()]))
    assert norm > 0.02
    clipped = _grads(model_dir, tmp_path / "one-clipped.pt", 1, 0.01)
    _assert_close(_grads(model_dir, tmp_path / "two-clipped.pt", 2, 0.01), clipped)


@pytest.mark.parametrize("first_ranks", [1, 2])
def test_a_run_resumes_under_the_other_strategy(tiny, tmp_path, first_ranks):
    """train.gpus: auto, requeued where another number of processes runs: a one-process checkpoint
    (optimizer state by position) resumes on 2 sharded ranks (by name), and the other way round."""
    import shutil

    model_dir, train_p, eval_p = tiny
    cfg = config(model_dir, gpus="auto")
    train(train_p, eval_p, tmp_path / "ref/adapter", cfg)
    run = tmp_path / "run"
    for ranks in (first_ranks, 3 - first_ranks):
        if ranks == 1:
            train(train_p, eval_p, run / "adapter", cfg)
        else:
            _two_ranks(tmp_path, train_p, eval_p, cfg, name="run")
        if ranks == first_ranks:
            shutil.rmtree(run / "checkpoints/step-0000004")   # as if stopped right after step 2
            shutil.rmtree(run / "adapter")
    assert json.loads((run / "adapter/nanodex_train.json").read_text())["resumed_from"] == 2
    _same_history(_history(tmp_path / "ref"), _history(run))
    want, got = _logits(model_dir, tmp_path / "ref/adapter"), _logits(model_dir, run / "adapter")
    assert torch.allclose(got, want, atol=1e-4), (got - want).abs().max()


def test_qlora_is_not_sharded(tiny):
    from nanodex.errors import ConfigError
    from nanodex.train.run import distributed_strategy

    model_dir, _, _ = tiny
    assert distributed_strategy(config(model_dir, method="qlora", distributed="auto"), 2) == "ddp"
    assert distributed_strategy(config(model_dir, method="qlora"), 1) == "none"
    with pytest.raises(ConfigError, match=r"^train\.distributed: fsdp does not shard 4-bit weights"):
        distributed_strategy(config(model_dir, method="qlora"), 2)
    if not torch.cuda.is_available():
        assert distributed_strategy(config(model_dir, distributed="auto"), 2) == "ddp"   # a CPU


def test_fsdp_with_gradient_checkpointing_gives_the_same_history(tiny, tmp_path):
    """Recomputed layers gather their shards again in the backward pass: the same losses."""
    model_dir, train_p, eval_p = tiny
    _two_ranks(tmp_path, train_p, eval_p, config(model_dir, gradient_checkpointing=False), name="plain")
    _two_ranks(tmp_path, train_p, eval_p, config(model_dir, gradient_checkpointing=True), name="ckpt")
    _same_history(_history(tmp_path / "plain"), _history(tmp_path / "ckpt"))
