"""One entry point per web source kind for the pipeline: fetch live through the polite client, or,
when the source has a `path`, take an already made local dump (the offline demo does this)."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson

from ..errors import SourceError
from ..io import atomic_path
from ..progress import bar
from .channel import fetch_packages
from .discourse import scrape_discourse
from .http import HttpConfig, PoliteClient
from .mediawiki import scrape_mediawiki
from .nixpkgs import snapshot_nixpkgs
from .options import fetch_options

SCRAPERS = {"mediawiki": scrape_mediawiki, "discourse": scrape_discourse}


def import_jsonl(path: str | Path, out: str | Path) -> dict:
    """Copy a local JSONL dump after checking that every line is a JSON object."""
    path = Path(path)
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the dump ({exc.strerror})") from None
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            ok = isinstance(orjson.loads(line), dict)
        except orjson.JSONDecodeError as exc:
            raise SourceError(f"{path}:{i}: invalid JSON ({exc}); expected one JSON object per line") from None
        if not ok:
            raise SourceError(f"{path}:{i}: expected a JSON object per line")
    with atomic_path(out) as tmp:
        shutil.copyfile(path, tmp)
    return {"records": sum(1 for x in lines if x.strip()), "imported_from": str(path)}


def fetch_web_source(kind: str, source: str, spec: dict, out: str | Path, http: dict | None = None,
                     workdir: str | Path = ".") -> dict:
    for name, fetch in (("nixos-options", fetch_options), ("nixos-packages", fetch_packages)):
        if kind == name:
            if spec.get("path"):
                return fetch(source, spec, out, workdir=workdir)
            with _client(spec, http) as client:
                return fetch(source, spec, out, client=client)
    if spec.get("path"):
        return import_jsonl(Path(workdir) / spec["path"], out)
    with _client(spec, http) as client:
        progress = bar(None, f"{kind} {source}", unit="item")
        try:
            return SCRAPERS[kind](source, spec, out, client=client, progress=progress)
        finally:
            progress.close()


def fetch_nixpkgs(source: str, spec: dict, out: str | Path, http: dict | None = None) -> dict:
    if spec.get("path"):
        return snapshot_nixpkgs(source, spec, out)
    with _client(spec, http) as client:
        return snapshot_nixpkgs(source, spec, out, client=client)


class _client:
    def __init__(self, spec: dict, http: dict | None):
        cfg = HttpConfig.from_config(http)
        if cfg.cache:
            Path(cfg.cache).parent.mkdir(parents=True, exist_ok=True)
        self.client = PoliteClient(spec.get("rate_limit", 1.0), cfg)

    def __enter__(self) -> PoliteClient:
        return self.client

    def __exit__(self, *exc):
        self.client.close()
