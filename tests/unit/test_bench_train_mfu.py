"""benchmarks/train_mfu.py (the trainer's GPU check) runs end to end on a CPU with the tiny shape and
counts what it says it counts."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT

pytest.importorskip("torch")


def test_tiny_shape_trains_and_reports_one_json_line():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks/train_mfu.py"), "--shape", "tiny",
                           "--batch-size", "2", "--seq-len", "256", "--steps", "2", "--warmup", "1",
                           "--dtype", "float32"],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    # tiny Qwen2, tied embedding: 2 layers x (q 4160 + k 2080 + v 2080 + o 4096 + mlp 24576 + norms 128)
    # + embedding 32768 + final norm 64; the LoRA weights are not counted
    assert out["matmul_params"] == 2 * 37120 + 32768 + 64
    assert out["tokens_per_s"] > 0 and out["peak_memory_gib"] > 0
    assert out["attention"] == "sdpa" and out["timed_steps"] == 2
    assert (out["mfu"] is None) == (out["device"] == "cpu")


def test_peak_table_takes_the_first_matching_name():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from train_mfu import peak_tflops
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert peak_tflops("NVIDIA H100 PCIe") == 756.0
    assert peak_tflops("NVIDIA H100 80GB HBM3") == 989.0
    assert peak_tflops("NVIDIA H200") == 989.0
    assert peak_tflops("NVIDIA A100-SXM4-80GB") == 312.0
    assert peak_tflops("Tesla T4") is None
