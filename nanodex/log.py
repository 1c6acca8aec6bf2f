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
    # Replace the root handlers, closing only our own files: a library's handler (absl's, which
    # rouge-score imports) closes the stream it was made with, which may be a stderr since replaced.
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
        if isinstance(old, logging.FileHandler):
            old.close()
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
    )
    return logging.getLogger("nanodex")


class _StderrNow(logging.StreamHandler):
    """Writes to whatever sys.stderr is at each record, never to a stream that was replaced (and
    maybe closed) since the handler was made."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def also_to_stderr(name: str) -> None:
    """Progress lines of logger `name` on the terminal too, when the job's log goes to a file only
    (stderr not a terminal: piped, under CI); an interactive run already has them there."""
    logger = logging.getLogger(name)
    on_stderr = [h for h in logging.getLogger().handlers
                 if type(h) is logging.StreamHandler and h.stream in (sys.stderr, sys.__stderr__)]
    if sys.stderr.isatty() or on_stderr or any(getattr(h, "_nanodex_progress", False) for h in logger.handlers):
        return
    handler = _StderrNow()
    handler.setFormatter(logging.Formatter("%(asctime)s train: %(message)s", "%H:%M:%S"))
    handler._nanodex_progress = True
    logger.addHandler(handler)
