"""Logging for pipeline scripts: one file per job (Snakemake's `log:`), plus stderr when interactive."""

from __future__ import annotations

import logging
import sys


def setup(log_file: str | None = None, level: int = logging.INFO, history: str | None = None) -> logging.Logger:
    """`history`: a second log file, appended to by every attempt (Snakemake deletes the `log:` file
    before each run of a job, and a training run resumed over several attempts should keep all of them)."""
    handlers: list[logging.Handler] = []
    if log_file:
        handlers.append(logging.FileHandler(log_file, mode="w", encoding="utf-8"))
    if history:
        handlers.append(logging.FileHandler(history, mode="a", encoding="utf-8"))
    if not log_file or sys.stderr.isatty():
        handlers.append(logging.StreamHandler(sys.stderr))
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    return logging.getLogger("nanodex")
