"""The published adapter merged into its base: `models/<run>/merged/` (when `train.merge: true`).

It merges what was published (the best checkpoint, which the adapter directory holds), never the
weights in memory at the last step, and always into the unquantised base: a QLoRA adapter merged into
the 4-bit weights would round the update away and make a model nobody can save in full precision."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from ..io import atomic_dir

log = logging.getLogger(__name__)


def merge_adapter(base_model: str, adapter_dir: str | Path, out_dir: str | Path, dtype: str = "float32") -> dict:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    t0 = time.perf_counter()
    adapter_dir, out_dir = Path(adapter_dir), Path(out_dir)
    base = AutoModelForCausalLM.from_pretrained(base_model, dtype=getattr(torch, dtype))
    merged = PeftModel.from_pretrained(base, adapter_dir).merge_and_unload()
    with atomic_dir(out_dir) as tmp:
        merged.save_pretrained(tmp, safe_serialization=True)
        AutoTokenizer.from_pretrained(adapter_dir).save_pretrained(tmp)
    log.info("merged %s into %s (%s) -> %s in %.1fs", adapter_dir, base_model, dtype, out_dir,
             time.perf_counter() - t0)
    return {"merged": str(out_dir), "dtype": dtype}
