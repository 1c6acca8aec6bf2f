"""Glue for the thin scripts in scripts/: log to the job's log file, run one step, and turn any error
that ends the job into one line, in the job's log and on the terminal, with exit status 1.

The line names the job (rule and source, from the log file's path: logs/<rule>/<source>.log), and
what went wrong where (the error's own message names the URL or file and what to do). A traceback
is written only with NANODEX_DEBUG=1 in the environment (bad input is not a bug; a bug still gets
its type and place on the line, and the debug switch shows the rest).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import PurePath

from .errors import NanodexError
from .log import setup

DEBUG_ENV = "NANODEX_DEBUG"


def job_name(log_file: str | None) -> str:
    """logs/scrape_discourse/forum.log -> "scrape_discourse forum"; logs/graph_merge.log -> "graph_merge"."""
    if not log_file:
        return ""
    parts = [*PurePath(log_file).parent.parts, PurePath(log_file).stem]
    if "logs" in parts:
        parts = parts[len(parts) - parts[::-1].index("logs"):]
    else:
        parts = parts[-2:]
    return " ".join(parts)


def error_line(exc: BaseException, job: str = "") -> str:
    from .sources.http import redact

    if isinstance(exc, NanodexError):
        what = str(exc)
    else:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {PurePath(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        msg = " ".join(str(exc).split()) or "(no message)"
        what = (f"unexpected {type(exc).__name__}{where}: {msg[:300]}; this is a bug in nanodex: "
                f"run again with {DEBUG_ENV}=1 for the traceback and report it")
    what = redact(" ".join(what.split()))
    return f"{job}: {what}" if job else what


def run_step(log_file: str | None, step: Callable, *args, history_log: str | None = None, **kwargs):
    log = setup(log_file, history=history_log)
    try:
        return step(*args, **kwargs)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - every job-ending error becomes one line
        line = error_line(exc, job_name(log_file))
        if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
            log.error("%s", line, exc_info=True)
            traceback.print_exc()
        else:
            log.error("%s", line)
        print(f"nanodex: {line}", file=sys.stderr)
        # flush our handlers only: logging.shutdown() would also close library handlers (absl's
        # closes the stream it was made with, even a stderr that has since been replaced)
        for handler in logging.getLogger().handlers:
            handler.flush()
        sys.exit(getattr(exc, "exit_code", 1))
