"""`train.chat_template`: a named template or a Jinja file, for base models that ship none (a raw
pretrained checkpoint) or to replace their own. Without one, a model with no template stops with
one line instead of transformers' traceback."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError, NanodexError

# ChatML (Qwen, SmolLM2 and many others): the assistant turn ends with <|im_end|>.
CHATML = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
NAMED = {"chatml": CHATML}


def resolve(value: str) -> str:
    """A name from NAMED or a file path -> the Jinja template text."""
    if value in NAMED:
        return NAMED[value]
    path = Path(value)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    raise ConfigError(f"train.chat_template: {value!r} is neither a known name nor a file; expected one of "
                      f"{', '.join(sorted(NAMED))} or the path of a Jinja template file")


def apply(tokenizer, value: str | None, model: str) -> None:
    """Set the configured template on the tokenizer; with none configured, require the model's own."""
    if value:
        tokenizer.chat_template = resolve(value)
    if not getattr(tokenizer, "chat_template", None):
        raise NanodexError(f"{model}: the tokenizer has no chat template; set train.chat_template to "
                           f"{' or '.join(sorted(NAMED))} or the path of a Jinja template file")
