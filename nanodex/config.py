"""Config loading and validation against config/schema.yaml, with defaults filled in.

Errors are one line: `config.graph.max_file_bytes: -5 is not allowed; expected an integer >= 1
(files larger than this many bytes are skipped ...)`.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import ConfigError
from .sources.http import check_contact

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "config" / "schema.yaml"


def load_schema(path: str | Path | None = None) -> dict:
    with open(path or SCHEMA_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _with_defaults(validator_class):
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for key, sub in properties.items():
                if "default" in sub and key not in instance:
                    instance[key] = copy.deepcopy(sub["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


_Validator = _with_defaults(jsonschema.Draft7Validator)


def _expected(error: jsonschema.ValidationError) -> str:
    """What the schema allows at the failing spot, in words."""
    s = error.schema if isinstance(error.schema, dict) else {}
    v = error.validator
    if v == "enum":
        return "one of " + ", ".join(repr(x) for x in error.validator_value)
    if v == "type":
        t = error.validator_value
        kinds = t if isinstance(t, list) else [t]
        words = {"integer": "an integer", "number": "a number", "string": "a string",
                 "boolean": "true or false", "array": "a list", "object": "a mapping"}
        return " or ".join(words.get(k, k) for k in kinds)
    if v == "minimum":
        return f"a number >= {error.validator_value}"
    if v == "exclusiveMinimum":
        return f"a number > {error.validator_value}"
    if v == "maximum":
        return f"a number <= {error.validator_value}"
    if v == "minLength":
        return "a non-empty string" if error.validator_value == 1 else f"at least {error.validator_value} characters"
    if v == "pattern":
        return s.get("description") or f"a string matching {error.validator_value}"
    if v == "required":
        return "the key to be present"
    if v == "additionalProperties":
        return "only the keys " + ", ".join(sorted(s.get("properties", {})))
    if v == "uniqueItems":
        return "no repeated items"
    return f"{v}: {error.validator_value!r}"


def format_error(error: jsonschema.ValidationError, root: str = "config") -> str:
    path = ".".join([root, *(str(p) for p in error.absolute_path)])
    desc = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        key = ".".join([path, str(extra[0])]) if extra else path
        return f"{key}: unknown key; expected {_expected(error)}"
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        sub = error.schema.get("properties", {}).get(missing, {})
        hint = f" ({sub['description']})" if sub.get("description") else ""
        return f"{path}.{missing}: missing; this key is required{hint}"
    if error.validator == "pattern" and error.schema is not None and "propertyNames" in str(error.schema_path):
        return f"{path}: source name {error.instance!r} is not allowed; expected {_expected(error)}"
    value = repr(error.instance) if not isinstance(error.instance, (dict, list)) else type(error.instance).__name__
    out = f"{path}: {value} is not allowed; expected {_expected(error)}"
    if desc and error.validator != "pattern":
        out += f" ({desc})"
    return out


def validate_config(config: dict, schema: dict | None = None) -> dict:
    """Validate in place, filling defaults; raise ConfigError with a one-line message."""
    schema = schema or load_schema()
    sources = config.get("sources") if isinstance(config, dict) else None
    user_keys = {n: set(s) for n, s in sources.items() if isinstance(s, dict)} if isinstance(sources, dict) else {}
    validator = _Validator(schema)
    errors = sorted(validator.iter_errors(config),
                    key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        raise ConfigError(format_error(errors[-1] if errors[-1].validator != "additionalProperties" else errors[0]))
    _check_sources(config, user_keys)
    check_contact(config)
    return config


# Keys each kind reads (beyond `kind`); a key set for another kind is a mistake worth one line.
KIND_KEYS = {
    "repo": {"path", "url", "rev", "include", "exclude", "use_gitignore"},
    "nixpkgs": {"path", "rev", "repo", "tarball_url", "github_api", "include", "exclude", "use_gitignore",
                "rate_limit", "sha256", "archive_limits"},
    "mediawiki": {"path", "url", "rate_limit", "refresh", "language", "namespaces", "maxlag", "max_pages"},
    "discourse": {"path", "url", "rate_limit", "refresh", "category", "max_topics", "max_answers"},
    "nixos-options": {"path", "url", "rate_limit", "refresh"},
    "nixos-packages": {"path", "url", "rate_limit", "refresh"},
}


def _check_sources(config: dict, user_keys: dict[str, set]) -> None:
    for name, src in config.get("sources", {}).items():
        where = f"config.sources.{name}"
        kind = src["kind"]
        for key in sorted(user_keys.get(name, set()) - KIND_KEYS[kind] - {"kind"}):
            raise ConfigError(f"{where}.{key}: not used by a {kind} source; expected only "
                              + ", ".join(sorted(KIND_KEYS[kind])))
        if kind == "repo":
            if not src.get("path") and not src.get("url"):
                raise ConfigError(f"{where}: needs `path` (a local directory) or `url` + `rev` (a git repository)")
            if src.get("url") and not src.get("path") and not src.get("rev"):
                raise ConfigError(f"{where}.rev: missing; a git url needs a pinned commit or tag in `rev`")
        elif kind == "nixpkgs":
            if not src.get("path") and not src.get("rev"):
                raise ConfigError(f"{where}: needs `path` (a nixpkgs checkout) or `rev` (a commit to download)")
        elif not src.get("path") and not src.get("url"):
            raise ConfigError(f"{where}: needs `url` (where to fetch from) or `path` (a local dump)")


def load_config(path: str | Path) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            config = yaml.safe_load(fh) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML ({str(exc).splitlines()[0]})") from None
    return validate_config(config)


def get(config: dict, dotted: str) -> Any:
    node: Any = config
    for part in dotted.split("."):
        node = node[part]
    return node
