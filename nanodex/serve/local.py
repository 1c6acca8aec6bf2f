"""`nanodex ask --local`: answer with the base model + adapter loaded in this process (transformers +
peft), streamed token by token: a first answer right after training, without a vLLM server."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import NanodexError


def adapter_meta(adapter_dir) -> dict:
    """nanodex_train.json of an adapter ({} when it has none, e.g. an adapter made elsewhere)."""
    try:
        return json.loads((Path(adapter_dir) / "nanodex_train.json").read_text())
    except (OSError, ValueError):
        return {}


def training_system_prompt(adapter_dir) -> str | None:
    return adapter_meta(adapter_dir).get("system_prompt")


def base_model_of(adapter_dir) -> str:
    """The base the adapter was trained on: nanodex's metadata, else peft's adapter_config.json."""
    base = adapter_meta(adapter_dir).get("config", {}).get("base_model")
    if not base:
        try:
            base = json.loads((Path(adapter_dir) / "adapter_config.json").read_text()).get("base_model_name_or_path")
        except (OSError, ValueError):
            base = None
    if not base:
        raise NanodexError(f"{adapter_dir}: no base model recorded (nanodex_train.json, adapter_config.json); "
                           f"pass --base-model")
    return base


class LocalModel:
    """Loaded on first use, so that an interactive session ended at once loads nothing."""

    def __init__(self, adapter_dir, base_model: str | None = None):
        adapter_dir = Path(adapter_dir)
        if not (adapter_dir / "adapter_config.json").is_file():
            raise NanodexError(f"{adapter_dir}: no adapter here (adapter_config.json); train one with `make train` "
                               f"or pass --adapter")
        self.adapter_dir, self.base_model = adapter_dir, base_model or base_model_of(adapter_dir)
        self._model = self._tok = None

    def _load(self):
        import torch
        from peft import PeftModel
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from ..quiet import known_warnings

        known_warnings()
        self._tok = AutoTokenizer.from_pretrained(self.adapter_dir)
        if not self._tok.chat_template:
            raise NanodexError(f"{self.adapter_dir}: the tokenizer has no chat template; set train.chat_template "
                               f"and train again")
        try:
            base = AutoModelForCausalLM.from_pretrained(self.base_model, dtype=torch.float32)
        except OSError as exc:
            raise NanodexError(f"{self.base_model}: cannot load the base model ({str(exc).splitlines()[0][:200]})") \
                from None
        self._model = PeftModel.from_pretrained(base, self.adapter_dir).eval()

    def ask(self, question: str, system: str | None = None, max_tokens: int = 512, out=None) -> str:
        import torch
        from transformers import TextStreamer

        if self._model is None:
            self._load()
        out = out or sys.stdout
        parts: list[str] = []

        class _Out(TextStreamer):     # TextStreamer prints to stdout; write to `out` and keep the text
            def on_finalized_text(self, text: str, stream_end: bool = False):
                parts.append(text)
                out.write(text)
                out.flush()

        messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": question}]
        enc = self._tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                            return_dict=True)
        with torch.no_grad():
            self._model.generate(**enc, max_new_tokens=max_tokens, do_sample=False,
                                 streamer=_Out(self._tok, skip_prompt=True, skip_special_tokens=True),
                                 pad_token_id=self._tok.pad_token_id or self._tok.eos_token_id)
        if not "".join(parts).endswith("\n"):
            out.write("\n")
        return "".join(parts).strip()
