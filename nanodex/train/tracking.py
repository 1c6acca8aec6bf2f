"""Experiment tracking (`train.report_to`): the step history sent to TensorBoard, W&B or MLflow.

TensorBoard's event files go to models/<run>/tensorboard/ (`tensorboard --logdir models`); W&B and
MLflow take their project, server and key from their own environment variables (WANDB_PROJECT,
WANDB_API_KEY, MLFLOW_TRACKING_URI), never from the config."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError

METRICS = ("loss", "eval_loss", "lr", "trainable_tokens")


class Tracker:
    def __init__(self, kind: str, run_dir: Path, run: str, cfg: dict):
        self.kind, self._writer = kind, None
        try:
            if kind == "tensorboard":
                from torch.utils.tensorboard import SummaryWriter

                self._writer = SummaryWriter(log_dir=str(Path(run_dir) / "tensorboard"))
            elif kind == "wandb":
                import wandb

                self._writer = wandb.init(name=run, config=cfg, resume="allow")
            elif kind == "mlflow":
                import mlflow

                mlflow.start_run(run_name=run)
                mlflow.log_params({k: v for k, v in cfg.items() if not isinstance(v, dict)})
                self._writer = mlflow
        except ImportError as exc:
            raise ConfigError(f"train.report_to: {kind} needs its package ({exc.name}): pip install {exc.name}; "
                              f"expected none or an installed tracker") from None

    def log(self, entry: dict) -> None:
        values = {k: float(entry[k]) for k in METRICS if k in entry}
        step = entry["step"]
        if self.kind == "tensorboard":
            for k, v in values.items():
                self._writer.add_scalar(f"train/{k}", v, step)
        elif self.kind == "wandb":
            self._writer.log(values, step=step)
        elif self.kind == "mlflow":
            self._writer.log_metrics(values, step=step)

    def close(self) -> None:
        if self.kind == "tensorboard":
            self._writer.close()
        elif self.kind == "wandb":
            self._writer.finish()
        elif self.kind == "mlflow":
            self._writer.end_run()


def tracker_for(cfg: dict, run_dir: Path, ranks_main: bool = True) -> Tracker | None:
    kind = cfg.get("report_to", "none")
    return Tracker(kind, run_dir, cfg["run"], cfg) if kind != "none" and ranks_main else None
