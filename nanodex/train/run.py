"""train.jsonl (+ eval.jsonl) -> models/<run>/adapter/ (+ metrics.json, loss.png, model card).

    snakemake -c8 train
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import time
from pathlib import Path

from ..config import check_section
from ..errors import ConfigError, NanodexError
from ..io import atomic_dir, sha256_file, write_json_atomic
from ..log import also_to_stderr
from ..quiet import known_warnings
from . import chat_template
from .card import model_card
from .data import encode, one_per_row, pack, read_examples, shuffled, trainable_tokens
from .distributed import full_adapter, init_from_env, launch, process_count, shard, strategy
from .loop import LoopConfig, Stopped, base_of, packed_attention_error, train_loop
from .merge import merge_adapter
from .slurm import requeue_on_usr1, slurm_job_id
from .tracking import tracker_for

log = logging.getLogger(__name__)
# a packed example's logits may move by this fraction of what they move with no boundary at all
# (rounding: 2e-6 of it in float32, 0.025 in bfloat16 on SmolLM2-135M; a leak: 1)
PACKING_TOLERANCE = 0.1
LIBS = ("torch", "transformers", "peft", "accelerate", "bitsandbytes", "tokenizers", "nanodex")


def versions() -> dict:
    out = {}
    for lib in LIBS:
        try:
            out[lib] = importlib.metadata.version(lib)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


def use_gradient_checkpointing(cfg: dict, model) -> bool:
    """auto: on for GPU runs of models with >= 1B parameters (activations dominate their memory)."""
    import torch

    mode = cfg.get("gradient_checkpointing", "auto")
    if mode != "auto":
        return bool(mode)
    return torch.cuda.is_available() and sum(p.numel() for p in model.parameters()) >= 1e9


def enable_gradient_checkpointing(cfg: dict, model) -> bool:
    """Turn it on where use_gradient_checkpointing says so; whether it is on."""
    if not use_gradient_checkpointing(cfg, model):
        return False
    # non-reentrant: works with frozen inputs (LoRA) without enable_input_require_grads tricks
    model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    log.info("gradient checkpointing on (train.gradient_checkpointing: %s)", cfg.get("gradient_checkpointing"))
    return True


def batching_mode(cfg: dict, gpu: bool | None = None) -> str:
    """`pack` (several examples per row, padding-free) pays off where attention skips the masked blocks
    (flash attention's variable-length kernel on a GPU); on a CPU, one example per row with the plain
    padding mask is faster (`gpu`: whether a GPU trains; default: whether torch sees one).
    `packing: auto` picks `random` there: slower than length-grouped batches, but a lower eval loss and
    better fact recall at equal steps (measured in docs/training.md)."""
    import torch

    mode = cfg.get("packing", "auto")
    if mode != "auto":   # pack, group or random (config/schema.yaml)
        return mode
    return "pack" if (torch.cuda.is_available() if gpu is None else gpu) else "random"


def checked_batching(model, cfg: dict, gpu: bool | None = None) -> str:
    """batching_mode, after checking that this model keeps packed examples apart (loop.packed_attention_error):
    `packing: pack` on a model that does not is an error; `auto` falls back to random batches."""
    mode = batching_mode(cfg, gpu)
    if mode != "pack":
        return mode
    error, leak = packed_attention_error(model)
    if error <= PACKING_TOLERANCE * leak:
        return mode
    what = (f"model type {model.config.model_type!r} lets packed examples see each other (their logits move by "
            f"up to {error:.3g}; {leak:.3g} with no boundary at all)")
    if cfg.get("packing") == "pack":
        raise ConfigError(f"train.packing: pack: {what}; expected group or random for this model")
    log.warning("train.packing: auto: %s; using random batches (one example per row) instead", what)
    return "random"


def attention_implementation(cfg: dict) -> str:
    """`train.attention`; auto: flash_attention_2 on a GPU where flash-attn is installed (its
    variable-length kernel runs packed rows without computing masked blocks), else sdpa."""
    import torch

    name = cfg.get("attention", "auto")
    flash = torch.cuda.is_available() and importlib.util.find_spec("flash_attn") is not None
    if name == "auto":
        return "flash_attention_2" if flash else "sdpa"
    if name == "flash_attention_2" and not flash:
        raise ConfigError("train.attention: flash_attention_2 needs a CUDA GPU and the flash-attn package "
                          "(pip install flash-attn); expected sdpa, eager or auto here")
    return name


def resolve_dtype(name: str) -> str:
    """`auto`: bfloat16 where the hardware computes it natively (CUDA GPUs from Ampere on, CPUs with
    AVX512-BF16 or AMX), else float32 (bfloat16 emulated on a CPU is slower than float32)."""
    import torch

    if name != "auto":
        return name
    if torch.cuda.is_available():
        return "bfloat16" if torch.cuda.is_bf16_supported() else "float32"
    native = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    return "bfloat16" if native else "float32"


def load_model(cfg: dict, place: str = "gpu"):
    """`place`: gpu (the GPU when there is one, else the CPU); cpu (fsdp's rank 0: the base stays in
    host memory until it is sharded onto the GPUs); meta (fsdp's other ranks: the architecture only,
    no weights read; rank 0 broadcasts them, distributed.broadcast_weights)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    base = cfg["base_model"]
    dtype = getattr(torch, resolve_dtype(cfg["dtype"]))
    try:
        tok = AutoTokenizer.from_pretrained(base)
        chat_template.apply(tok, cfg.get("chat_template"), base)
        kwargs = {"dtype": dtype, "attn_implementation": attention_implementation(cfg)}
        if cfg["method"] == "qlora":
            from transformers import BitsAndBytesConfig

            try:
                import bitsandbytes  # noqa: F401
            except ImportError:
                raise ConfigError("train.method: qlora needs bitsandbytes (pip install bitsandbytes); "
                                  "expected lora without it") from None
            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                bnb_4bit_compute_dtype=dtype)
        if torch.cuda.is_available() and place == "gpu":
            kwargs["device_map"] = {"": torch.cuda.current_device()}
        if place == "meta":
            with torch.device("meta"):
                model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(base), dtype=dtype,
                                                         attn_implementation=kwargs["attn_implementation"])
        else:
            model = AutoModelForCausalLM.from_pretrained(base, **kwargs)
    except OSError as exc:
        raise NanodexError(f"train.base_model: cannot load {base!r} ({str(exc).splitlines()[0][:200]})") from None
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    return tok, model


def add_lora(model, cfg: dict):
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    lora = cfg["lora"]
    targets = lora["target_modules"]
    if cfg["method"] == "qlora":
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
        # bitsandbytes' CPU backend repacks 4-bit weights for AVX512-BF16 inference on the first no-grad
        # forward, into a layout without autograd: keep the trainable layout.
        for module in model.modules():
            if hasattr(module, "support_avx512bf16_for_cpu"):
                module.support_avx512bf16_for_cpu = False
    targets = "all-linear" if targets in ("all-linear", ["all-linear"]) else targets
    layers = _last_layers(model, lora.get("layers", 0))
    if layers and targets == "all-linear":   # peft takes a layer list only with named targets
        targets = decoder_linear_names(model)
    conf = LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], lora_dropout=lora["dropout"], target_modules=targets,
                      layers_to_transform=layers, task_type="CAUSAL_LM")
    try:
        return get_peft_model(model, conf)
    except ValueError as exc:
        names = sorted({n.rsplit(".", 1)[-1] for n, _ in model.named_modules() if n})
        raise ConfigError(f"train.lora.target_modules: {targets!r} does not match the model ({str(exc)[:120]}); "
                          f"expected all-linear or names like {', '.join(n for n in names if 'proj' in n)[:200]}") \
            from None


def distributed_strategy(cfg: dict, world: int) -> str:
    """`train.distributed` for this run (distributed.strategy), with the base's size read from its
    config on the meta device (nothing loaded) only where auto needs it."""
    import torch

    setting = cfg.get("distributed", "auto")
    if cfg["method"] == "qlora":   # FSDP does not shard bitsandbytes' 4-bit weights; a 4-bit base is small
        if setting == "fsdp" and world > 1:
            raise ConfigError("train.distributed: fsdp does not shard 4-bit weights (method: qlora); "
                              "expected ddp or auto, or method: lora")
        setting = "ddp"
    gpu_bytes = torch.cuda.get_device_properties(0).total_memory if torch.cuda.is_available() else 0
    need_size = setting == "auto" and gpu_bytes and world > 1
    return strategy(setting, _param_bytes(cfg) if need_size else 0, gpu_bytes, world)


def _param_bytes(cfg: dict) -> int:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(cfg["base_model"]))
    itemsize = getattr(torch, resolve_dtype(cfg["dtype"])).itemsize
    return sum(p.numel() for p in model.parameters()) * itemsize


def _decoder_layers(model):
    return getattr(getattr(base_of(model), "model", None), "layers", None)


def _last_layers(model, n: int) -> list[int] | None:
    """Indices of the last `n` decoder layers (None: all of them)."""
    layers = _decoder_layers(model)
    if not n or layers is None or n >= len(layers):
        return None
    return list(range(len(layers) - n, len(layers)))


def decoder_linear_names(model) -> list[str]:
    """Short names of the linear layers inside the decoder blocks (q_proj, ..., down_proj): what
    all-linear means, spelled out (the output head is never adapted)."""
    import torch

    names = set()
    for name, module in _decoder_layers(model).named_modules():
        if isinstance(module, torch.nn.Linear) or type(module).__name__.startswith("Linear"):
            names.add(name.rsplit(".", 1)[-1])
    return sorted(names)


def train(train_path, eval_path, out_dir, cfg: dict, run_dir=None) -> dict:
    import torch

    known_warnings(cfg.get("method", "lora"))
    also_to_stderr("nanodex.train.loop")   # step, loss, tokens/s, ETA in snakemake's output
    t0 = time.perf_counter()
    job = slurm_job_id()
    log.info("---- training -> %s%s", out_dir, f" in SLURM job {job}" if job else "")
    check_section("train", cfg)   # the limits live in config/schema.yaml
    out_dir = Path(out_dir)
    run_dir = Path(run_dir or out_dir.parent)
    ranks = init_from_env()
    if "WORLD_SIZE" not in os.environ:   # not under torchrun yet: one process per GPU when there are several
        n = process_count(cfg.get("gpus", "auto"), torch.cuda.device_count() if torch.cuda.is_available() else 0)
        if n > 1:
            return launch(n, {"train": str(train_path), "eval": str(eval_path) if eval_path else None,
                              "out": str(out_dir), "cfg": cfg, "run_dir": str(run_dir)}, run_dir)
    torch.manual_seed(cfg["seed"])
    dtype_name = resolve_dtype(cfg["dtype"])
    _log_device(dtype_name)
    train_ex, eval_ex = _read_sets(train_path, eval_path, cfg)
    plan = distributed_strategy(cfg, ranks.world)
    tok, model = load_model(cfg, "gpu" if plan != "fsdp" else "cpu" if ranks.main else "meta")
    model = add_lora(model, cfg)
    enable_gradient_checkpointing(cfg, model)
    if plan == "fsdp":
        if _decoder_layers(model) is None:
            raise ConfigError(f"train.distributed: fsdp shards the decoder layers (model.layers), which "
                              f"{cfg['base_model']!r} does not have; expected ddp")
        shard(model, _decoder_layers(model), ranks, model.state_dict() if ranks.main else {})
        log.info("%d ranks, the decoder layers sharded (train.distributed: %s)", ranks.world, cfg.get("distributed"))
    mode = checked_batching(model, cfg)   # on the model as it trains (sharded: a collective, every rank)
    train_rows, eval_rows = _rows(tok, train_ex, eval_ex, cfg, mode == "pack")
    loop_cfg = LoopConfig(**{k: cfg[k] for k in LoopConfig.__dataclass_fields__ if k in cfg}, batching=mode)
    state = _run_loop(model, train_rows, eval_rows, tok.pad_token_id, loop_cfg, cfg, run_dir,
                      _config_hash(cfg, train_path, eval_path), ranks.main)
    report = {"steps": state["step"], "seconds": round(time.perf_counter() - t0, 2), "rows": len(train_rows),
              "tokens": state["tokens"], "best_eval_loss": state.get("best_eval"), "ranks": ranks.world,
              "first_loss": state["history"][0]["loss"] if state["history"] else None,
              "last_loss": state["history"][-1]["loss"] if state["history"] else None,
              "distributed": plan}
    final = full_adapter(model)   # fsdp: a collective, on every rank
    if not ranks.main:
        return report
    meta = {"config": cfg, "dataset": {"train": {"path": str(train_path), "sha256": sha256_file(train_path),
                                                 "examples": len(train_ex)},
                                       "eval": {"path": str(eval_path), "sha256": sha256_file(eval_path),
                                                "examples": len(eval_ex)} if eval_path else None},
            "system_prompt": system_prompt(train_ex), "versions": versions(), "dtype": dtype_name,
            "steps": state["step"], "best_step": state.get("best_step"),
            "best_eval_loss": state.get("best_eval"), "resumed_from": state.get("resumed_from")}
    _save_adapter(model, tok, state, meta, out_dir, run_dir, final)
    if cfg.get("merge"):
        del model   # the merge reloads the base unquantised and applies the published adapter
        merge_adapter(cfg["base_model"], out_dir, run_dir / "merged", dtype_name)
    log.info("trained %d steps in %.1fs: loss %s -> %s, best eval %s -> %s", state["step"], report["seconds"],
             report["first_loss"], report["last_loss"], report["best_eval_loss"], out_dir)
    return report


def _log_device(dtype_name: str) -> None:
    import torch

    if torch.cuda.is_available():
        log.info("training on %s in %s", torch.cuda.get_device_name(), dtype_name)
    else:
        log.info("no GPU found: training on the CPU with %d threads in %s (expected for the demo; slow for real "
                 "models)", torch.get_num_threads(), dtype_name)


def _read_sets(train_path, eval_path, cfg: dict) -> tuple[list[dict], list[dict]]:
    """The training examples and the checkpoint-selection examples (at most train.eval_max_examples)."""
    train_ex, eval_ex = read_examples(train_path), read_examples(eval_path) if eval_path else []
    if cfg.get("eval_max_examples"):
        eval_ex = eval_ex[: cfg["eval_max_examples"]]
    if not train_ex:
        raise NanodexError(f"{train_path}: no training examples")
    return train_ex, eval_ex


def _rows(tok, train_ex: list[dict], eval_ex: list[dict], cfg: dict, packed: bool):
    """The examples tokenised and batched into rows: packed (several per row, the train set shuffled
    first) or one per row."""
    enc_train = [encode(tok, e, cfg["max_seq_len"]) for e in train_ex]
    enc_eval = [encode(tok, e, cfg["max_seq_len"]) for e in eval_ex]
    if packed:
        train_rows = pack(shuffled(enc_train, cfg["seed"], "pack"), cfg["max_seq_len"])
        eval_rows = pack(enc_eval, cfg["max_seq_len"])
    else:
        train_rows, eval_rows = one_per_row(enc_train), one_per_row(enc_eval)
    log.info("%d train examples -> %d rows (%s; %d trainable tokens), %d eval examples", len(enc_train),
             len(train_rows), "packed" if packed else "one example per row", trainable_tokens(train_rows),
             len(enc_eval))
    return train_rows, eval_rows


def _config_hash(cfg: dict, train_path, eval_path) -> str:
    """What a checkpoint must match to be resumed from: the config and the data files' contents."""
    return hashlib.sha256(json.dumps({"cfg": cfg, "train": sha256_file(train_path),
                                      "eval": sha256_file(eval_path) if eval_path else None},
                                     sort_keys=True).encode()).hexdigest()[:16]


def _run_loop(model, train_rows, eval_rows, pad_id, loop_cfg: LoopConfig, cfg: dict, run_dir: Path,
              config_hash: str, main: bool) -> dict:
    """train_loop with the experiment tracker (if any) fed each step; a stop signal under SLURM
    requeues the job."""
    tracker = tracker_for(cfg, run_dir, main)
    try:
        return train_loop(model, train_rows, eval_rows, pad_id, loop_cfg, run_dir, config_hash,
                          on_step=(lambda st: tracker.log(st["history"][-1])) if tracker else None)
    except Stopped as exc:
        requeued = requeue_on_usr1(exc.signal)
        if requeued:
            raise Stopped(f"{exc}; {requeued}", exc.signal) from None
        raise
    finally:
        if tracker:
            tracker.close()


def _save_adapter(model, tok, state: dict, meta: dict, out_dir: Path, run_dir: Path,
                  adapter: dict | None = None) -> None:
    """The adapter (the best eval checkpoint when there is one, else the final weights; `adapter`:
    fsdp's, gathered) with its tokenizer, nanodex_train.json and model card; metrics.json and loss.png
    in the run directory."""
    with atomic_dir(out_dir) as tmp:
        if state.get("best_step") and (run_dir / "best").exists():
            shutil.copytree(run_dir / "best", tmp, dirs_exist_ok=True)
        else:
            model.save_pretrained(tmp, state_dict=adapter)
        tok.save_pretrained(tmp)
        write_json_atomic(tmp / "nanodex_train.json", meta)
        (tmp / "README.md").write_text(model_card(meta))
    write_json_atomic(run_dir / "metrics.json", {"history": state["history"], "best_step": state.get("best_step"),
                                                 "best_eval_loss": state.get("best_eval")})
    loss_plot(state["history"], run_dir / "loss.png")


def system_prompt(examples: list[dict]) -> str | None:
    """The system message the training examples carry (the most common one): `nanodex ask` sends it."""
    from collections import Counter

    from ..dataset.example import system_text

    seen = Counter(s for s in map(system_text, examples) if s is not None)
    return seen.most_common(1)[0][0] if seen else None


def loss_plot(history: list[dict], out) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..io import atomic_path

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot([h["step"] for h in history], [h["loss"] for h in history], label="train loss")
    ev = [h for h in history if "eval_loss" in h]
    if ev:
        ax.plot([h["step"] for h in ev], [h["eval_loss"] for h in ev], "o-", label="eval loss")
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("loss")
    ax.legend()
    fig.tight_layout()
    with atomic_path(out) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)
