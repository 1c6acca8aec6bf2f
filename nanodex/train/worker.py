"""One rank of a multi-process training run, started by torchrun (see distributed.launch).

    python -m torch.distributed.run --standalone --nproc_per_node=2 -m nanodex.train.worker JOB.json
"""

from __future__ import annotations

import json
import logging
import sys

from ..errors import NanodexError
from ..io import write_json_atomic
from .distributed import init_from_env


def main(job_path: str) -> int:
    job = json.loads(open(job_path, encoding="utf-8").read())
    ranks = init_from_env()
    logging.basicConfig(level=logging.INFO if ranks.main else logging.WARNING, stream=sys.stdout,
                        format=f"[rank {ranks.rank}] %(levelname)s %(name)s: %(message)s", force=True)
    from .run import train

    try:
        report = train(job["train"], job["eval"], job["out"], job["cfg"], run_dir=job["run_dir"])
    except NanodexError as exc:
        logging.getLogger("nanodex").error("%s", exc)
        return getattr(exc, "exit_code", 1)
    if ranks.main:
        write_json_atomic(job["report"], report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
