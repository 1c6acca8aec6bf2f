"""NixOS options (`options.json`, as `nixos-option`/the manual's build writes it) -> data/raw/<source>/options.json.

From a URL (one request, through the polite client; the channel's
`https://channels.nixos.org/<nixos-channel>/options.json.br` is served with `Content-Encoding: br`,
decoded by the client or, as raw brotli bytes, here) or a local file (plain or `.br`); validated and written
normalised: one object keyed by option name with name, type, default, example, description,
declarations, readOnly.
"""

from __future__ import annotations

import logging
from pathlib import Path

import orjson

from ..errors import SourceError
from ..io import write_json_atomic
from .http import PoliteClient, decode_bytes, redact

log = logging.getLogger(__name__)
FIELDS = ("type", "default", "example", "description", "declarations", "readOnly", "loc", "relatedPackages")


def _render(value):
    """`{"_type": "literalExpression", "text": "..."}` and mdDoc wrappers -> their text."""
    if isinstance(value, dict) and "_type" in value:
        return value.get("text")
    return value


def normalise(raw, where: str) -> dict:
    if isinstance(raw, list):   # some dumps are a list of {name: ..., ...}
        raw = {o.get("name"): o for o in raw if isinstance(o, dict)}
    if not isinstance(raw, dict):
        raise SourceError(f"{where}: expected a JSON object of options (name -> attributes), "
                          f"got {type(raw).__name__}")
    out = {}
    for name, attrs in sorted(raw.items()):
        if not isinstance(name, str) or not isinstance(attrs, dict):
            continue
        opt = {"name": name}
        for f in FIELDS:
            if f in attrs:
                opt[f] = _render(attrs[f]) if f in ("default", "example", "description") else attrs[f]
        out[name] = opt
    if not out:
        raise SourceError(f"{where}: no options found; expected entries like "
                          '{"services.nginx.enable": {"type": ..., "description": ...}}')
    return out


def fetch_options(source: str, spec: dict, out: str | Path, client: PoliteClient | None = None,
                  workdir: str | Path = ".") -> dict:
    if spec.get("path"):
        where = str(Path(workdir) / spec["path"])
        try:
            raw = orjson.loads(decode_bytes(Path(where).read_bytes()))   # options.json or options.json.br
        except FileNotFoundError:
            raise SourceError(f"{where}: options file not found") from None
        except orjson.JSONDecodeError as exc:
            raise SourceError(f"{where}: invalid JSON ({exc}); expected an options.json dump") from None
    else:
        own = client is None
        client = client or PoliteClient(spec.get("rate_limit", 1.0))
        try:
            raw = client.get_json(spec["url"], fresh=True)
        finally:
            if own:
                client.close()
        where = redact(spec["url"])
    options = normalise(raw, where)
    write_json_atomic(out, options)
    log.info("nixos-options %s: %d options from %s -> %s", source, len(options), where, out)
    return {"options": len(options)}
