"""Progress bars for long loops: tqdm on an interactive terminal, silent under CI or into a log file."""

from __future__ import annotations

import os


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def bar(total: int | None, desc: str, unit: str = "it"):
    if os.environ.get("CI") or not os.isatty(2):
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, mininterval=1.0)
