"""One module per language: a `SPEC` (tree-sitter queries + small hooks) for the generic
extractor, or, for Nix, an extractor of its own."""

from __future__ import annotations

import functools
import importlib

_MODULES = {"python": "python", "java": "java", "javascript": "javascript", "typescript": "typescript",
            "tsx": "typescript", "c": "c", "cpp": "cpp", "go": "go", "rust": "rust", "nix": "nix"}


@functools.cache   # once per language, not once per file
def spec_for(lang: str):
    mod = importlib.import_module(f"{__name__}.{_MODULES[lang]}")
    return mod.SPECS[lang] if hasattr(mod, "SPECS") else mod.SPEC
