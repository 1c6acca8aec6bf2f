"""The merged model as one GGUF file, plus an Ollama `Modelfile`, for local use (llama.cpp, Ollama).

    snakemake -c2 models/demo/gguf      (needs train.merge: true)

Written with `gguf` (gguf-py, the GGUF library maintained in the llama.cpp repository): its tensor-name
map, BPE vocabulary reader and writer. llama.cpp's own `convert_hf_to_gguf.py` is not on PyPI, so the
small part that script does for Llama/Qwen2 models (hyperparameters, the q/k row order of Llama's
rotary layout) is done here; transformers reads the file back (the test compares logits)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ..errors import NanodexError
from ..io import atomic_path

log = logging.getLogger(__name__)
# model_type -> gguf architecture name; both are decoder-only with RMSNorm, SwiGLU and rotary positions
ARCHS = {"llama": "LLAMA", "qwen2": "QWEN2"}
CHATML_MARK = "<|im_start|>"


def _llama_rope_order(w, n_head: int):
    """HF stores q/k rows as [half of every head; other half]; llama.cpp wants them interleaved per head."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def _rope_theta(cfg) -> float:
    theta = getattr(cfg, "rope_theta", None)
    if theta is None:
        theta = (getattr(cfg, "rope_parameters", None) or {}).get("rope_theta", 10000.0)
    return float(theta)


def export_gguf(merged_dir: str | Path, out_path: str | Path, dtype: str = "float16") -> dict:
    import gguf
    import numpy as np
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    merged_dir, out_path = Path(merged_dir), Path(out_path)
    cfg = AutoConfig.from_pretrained(merged_dir)
    if cfg.model_type not in ARCHS:
        raise NanodexError(f"{merged_dir}: GGUF export knows {', '.join(ARCHS)} models; this one is "
                           f"{cfg.model_type!r}")
    arch = getattr(gguf.MODEL_ARCH, ARCHS[cfg.model_type])
    n_head, n_kv = cfg.num_attention_heads, cfg.num_key_value_heads
    names = gguf.get_tensor_name_map(arch, cfg.num_hidden_layers)
    model = AutoModelForCausalLM.from_pretrained(merged_dir, dtype=torch.float32)
    tok = AutoTokenizer.from_pretrained(merged_dir)
    with atomic_path(out_path) as tmp:   # the file appears whole or not at all
        w = gguf.GGUFWriter(tmp, gguf.MODEL_ARCH_NAMES[arch])
        w.add_name(merged_dir.parent.name or "nanodex")
        w.add_context_length(cfg.max_position_embeddings)
        w.add_embedding_length(cfg.hidden_size)
        w.add_block_count(cfg.num_hidden_layers)
        w.add_feed_forward_length(cfg.intermediate_size)
        w.add_head_count(n_head)
        w.add_head_count_kv(n_kv)
        w.add_rope_dimension_count(getattr(cfg, "head_dim", None) or cfg.hidden_size // n_head)
        w.add_rope_freq_base(_rope_theta(cfg))
        w.add_layer_norm_rms_eps(cfg.rms_norm_eps)
        half = dtype == "float16"
        w.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if half else gguf.LlamaFileType.ALL_F32)

        vocab = gguf.BpeVocab(merged_dir)
        tokens, types = [], []
        for text, _score, ttype in vocab.all_tokens():
            tokens.append(text)
            types.append(ttype)
        w.add_tokenizer_model("gpt2")
        w.add_tokenizer_pre("qwen2" if cfg.model_type == "qwen2" else "smollm")
        w.add_token_list(tokens)
        w.add_token_types(types)
        special = gguf.SpecialVocab(merged_dir, load_merges=True, n_vocab=len(tokens))
        special.add_to_gguf(w, quiet=True)
        if tok.chat_template and special.chat_template is None:
            w.add_chat_template(tok.chat_template)

        count = 0
        tied = getattr(cfg, "tie_word_embeddings", False)
        for name, t in model.state_dict().items():
            if tied and name == "lm_head.weight":
                continue   # llama.cpp reuses token_embd for a tied output
            arr = t.float().numpy()
            if cfg.model_type == "llama" and name.endswith("q_proj.weight"):
                arr = _llama_rope_order(arr, n_head)
            elif cfg.model_type == "llama" and name.endswith("k_proj.weight"):
                arr = _llama_rope_order(arr, n_kv)
            gname = names.get_name(name, try_suffixes=(".weight", ".bias"))
            if gname is None:
                raise NanodexError(f"{merged_dir}: no GGUF name for tensor {name}")
            # 1-d tensors (norms, biases) stay float32, as llama.cpp's converter keeps them
            w.add_tensor(gname, arr.astype(np.float16) if half and arr.ndim > 1 else arr)
            count += 1
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()
    log.info("wrote %s: %d tensors, %s, %.1f MB", out_path, count, dtype, out_path.stat().st_size / 1e6)
    return {"tensors": count, "dtype": dtype, "bytes": out_path.stat().st_size}


def modelfile(gguf_name: str, chat_template: str | None, system: str | None) -> str:
    """An Ollama Modelfile: the ChatML template in Ollama's Go syntax and the training system prompt."""
    lines = [f"FROM ./{gguf_name}", ""]
    if chat_template and CHATML_MARK in chat_template:
        lines += ['TEMPLATE """{{- if .System }}<|im_start|>system',
                  "{{ .System }}<|im_end|>",
                  "{{ end }}{{- range .Messages }}<|im_start|>{{ .Role }}",
                  "{{ .Content }}<|im_end|>",
                  '{{ end }}<|im_start|>assistant', '"""', 'PARAMETER stop "<|im_end|>"', ""]
    elif chat_template:
        raise NanodexError("Modelfile: the model's chat template is not ChatML; expected a template with "
                           f"{CHATML_MARK} (Ollama needs it rewritten in Go template syntax)")
    if system:
        lines += ['SYSTEM """' + system.replace('"""', "'''") + '"""', ""]
    return "\n".join(lines)


def export_local(merged_dir: str | Path, adapter_dir: str | Path, out_dir: str | Path) -> dict:
    """models/<run>/gguf/: <run>.gguf + Modelfile (system prompt from the adapter's training metadata)."""
    from transformers import AutoTokenizer

    merged_dir, out_dir = Path(merged_dir), Path(out_dir)
    run = merged_dir.parent.name or "model"
    out_dir.mkdir(parents=True, exist_ok=True)
    report = export_gguf(merged_dir, out_dir / f"{run}.gguf")
    meta_path = Path(adapter_dir) / "nanodex_train.json"
    system = json.loads(meta_path.read_text()).get("system_prompt") if meta_path.exists() else None
    template = AutoTokenizer.from_pretrained(merged_dir).chat_template
    with atomic_path(out_dir / "Modelfile") as tmp:
        Path(tmp).write_text(modelfile(f"{run}.gguf", template, system))
    return report
