"""Glue for the thin scripts in scripts/: log to the job's log file, run one step, and turn a
NanodexError into a one-line message and exit status 1 (no traceback for bad input)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from .errors import NanodexError
from .log import setup


def run_step(log_file: str | None, step: Callable, *args, history_log: str | None = None, **kwargs):
    log = setup(log_file, history=history_log)
    try:
        return step(*args, **kwargs)
    except NanodexError as exc:
        log.error("%s", exc)
        print(f"nanodex: {exc}", file=sys.stderr)
        logging.shutdown()
        sys.exit(getattr(exc, "exit_code", 1))
