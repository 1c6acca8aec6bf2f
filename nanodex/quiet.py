"""The known spurious warnings of the training stack, silenced one by one by their exact message
(never all warnings): each is noise that says nothing about the run."""

from __future__ import annotations

import logging
import warnings


class _DropMessage(logging.Filter):
    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)


GEMM_4BIT = "Failed to load CPU gemm_4bit_forward"


def known_warnings(method: str = "lora") -> None:
    # peft reads `model.is_gradient_checkpointing`, which transformers 5 deprecates (peft's to change).
    warnings.filterwarnings("ignore", message=r"`is_gradient_checkpointing` is deprecated", category=FutureWarning)
    # bitsandbytes' CPU backend, imported by peft whenever it is installed, looks for an optional 4-bit
    # kernel at import: irrelevant unless the base is 4-bit (QLoRA), where the warning stays.
    if method != "qlora":
        bnb = logging.getLogger("bitsandbytes.backends.cpu.ops")
        if not any(isinstance(f, _DropMessage) for f in bnb.filters):
            bnb.addFilter(_DropMessage(GEMM_4BIT))
