"""Snakemake's terminal output without noise: every nanodex rule is a `script:`, whose "Shell
command" is None, printed for each job under `printshellcmds` (profiles/default). Only those lines
are dropped; a real shell command is still shown."""

from __future__ import annotations

import logging


class _NoEmptyShellCmd(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        event = getattr(record, "event", None)
        return not (str(getattr(event, "value", event)) == "shellcmd" and getattr(record, "shellcmd", "") is None)


def quiet(logger: logging.Logger | None = None) -> None:
    logger = logger or logging.getLogger("snakemake.logging")   # snakemake.logging.logger
    if not any(isinstance(f, _NoEmptyShellCmd) for f in logger.filters):
        logger.addFilter(_NoEmptyShellCmd())
