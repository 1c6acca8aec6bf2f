"""Config loading and validation against config/schema.yaml, with defaults filled in.

Errors are one line: `config.graph.max_file_bytes: -5 is not allowed; expected an integer >= 1
(files larger than this many bytes are skipped ...)`.
"""

from __future__ import annotations

import copy
import functools
import math
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import yaml

from .errors import ConfigError
from .sources.http import check_contact

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "config" / "schema.yaml"


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (plain YAML keeps the last)."""


def _construct_unique_mapping(loader, node, deep=False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ConfigError(f"{loader.name}:{key_node.start_mark.line + 1}: duplicate key {key!r} (first on line "
                              f"{seen[key] + 1}); a key may appear once in a mapping")
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def read_yaml(path: str | Path) -> Any:
    """A config file's content, with one-line errors for a missing file, bad YAML or a duplicate key."""
    try:
        with open(path, encoding="utf-8") as fh:
            loader = UniqueKeyLoader(fh)
            loader.name = str(path)
            try:
                return loader.get_single_data()
            finally:
                loader.dispose()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML ({str(exc).splitlines()[0]})") from None


def load_schema(path: str | Path | None = None) -> dict:
    with open(path or SCHEMA_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.lru_cache(maxsize=1)
def _shipped_schema() -> dict:
    return load_schema()


def schema_default(*keys: str) -> Any:
    """The default config/schema.yaml gives the key at `keys` (`"*"`: any name, e.g. a source), a copy:
    for code handed a partial config, so that the default still has one home."""
    node = _shipped_schema()
    for key in keys:
        node = node["additionalProperties"] if key == "*" else node["properties"][key]
    return _filled_default(node)


def _filled_default(node: dict) -> Any:
    """A key's default with the defaults of its own keys filled in, as validation fills them."""
    value = copy.deepcopy(node["default"])
    if isinstance(value, dict):
        for key, sub in node.get("properties", {}).items():
            if key not in value and "default" in sub:
                value[key] = _filled_default(sub)
    return value


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


def subschema(schema: dict, key: str) -> dict | None:
    """The schema of `key` inside an object schema (a named property or the schema of any name)."""
    props = schema.get("properties", {})
    if key in props:
        return props[key]
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def _fits(value, types: list[str]) -> bool:
    checks = {"integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
              "boolean": lambda v: isinstance(v, bool), "array": lambda v: isinstance(v, list),
              "object": lambda v: isinstance(v, dict), "null": lambda v: v is None,
              "string": lambda v: isinstance(v, str)}
    return any(checks.get(t, lambda v: False)(value) for t in types)


def _coerce(value, sub: dict):
    """A `--config` value (Snakemake passes nested ones as strings) in the schema's type, when it reads
    as one; otherwise unchanged, so that validation names the key, the value and what is allowed."""
    if isinstance(value, list) and isinstance(sub.get("items"), dict):
        return [_coerce(v, sub["items"]) for v in value]
    if not isinstance(value, str):
        return value
    types = sub.get("type")
    types = types if isinstance(types, list) else [types] if types else []
    if not types or "string" in types:
        return value
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
        return value
    return _coerce(parsed, sub) if _fits(parsed, types) else value


def coerce_overrides(config: dict, overrides: dict, schema: dict | None = None) -> dict:
    """Convert, in `config`, the values given on the command line (`overrides`, e.g. Snakemake's
    `--config train='{lr: 0.001}'`, whose nested values arrive as strings) to the schema's types."""
    schema = schema or load_schema()

    def walk(cfg, ov, sch):
        for key, val in ov.items():
            sub = subschema(sch, key) if isinstance(sch, dict) else None
            if sub is None or not isinstance(cfg, dict) or key not in cfg:
                continue
            if isinstance(val, dict) and isinstance(cfg[key], dict):
                walk(cfg[key], val, sub)
            else:
                cfg[key] = _coerce(cfg[key], sub)

    if isinstance(overrides, dict) and isinstance(config, dict):
        walk(config, overrides, schema)
    return config


def _check_finite(node, schema: dict | None, where: str) -> None:
    """NaN and infinity pass every JSON-Schema bound (all comparisons with NaN are false): refuse them."""
    if isinstance(node, dict):
        for key, val in node.items():
            _check_finite(val, subschema(schema, str(key)) if isinstance(schema, dict) else None, f"{where}.{key}")
    elif isinstance(node, list):
        for i, val in enumerate(node):
            items = schema.get("items") if isinstance(schema, dict) else None
            _check_finite(val, items if isinstance(items, dict) else None, f"{where}.{i}")
    elif isinstance(node, float) and not math.isfinite(node):
        desc = schema.get("description") if isinstance(schema, dict) else None
        raise ConfigError(f"{where}: {node!r} is not allowed; expected a finite number"
                          + (f" ({desc})" if desc else ""))


def _raise_first_error(instance, schema: dict, root: str) -> None:
    """Validate in place (filling defaults); the most telling error, as one line."""
    errors = sorted(_Validator(schema).iter_errors(instance),
                    key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        raise ConfigError(format_error(errors[-1] if errors[-1].validator != "additionalProperties" else errors[0],
                                       root))


def check_section(name: str, section: dict, schema: dict | None = None) -> None:
    """One top-level section (e.g. the `train` dict a step was handed) against its part of the schema,
    on a copy: a caller that builds the section by hand gets the loader's one-line error, and the limits
    stay in config/schema.yaml only."""
    sub = (schema or _shipped_schema())["properties"][name]
    _check_finite(section, sub, name)
    _raise_first_error(copy.deepcopy(section), sub, name)


def validate_config(config: dict, schema: dict | None = None, check_paths: bool = True) -> dict:
    """Validate in place, filling defaults; raise ConfigError with a one-line message.
    `check_paths`: local paths in the config must exist (relative to the working directory)."""
    schema = schema or load_schema()
    _check_finite(config, schema, "config")
    sources = config.get("sources") if isinstance(config, dict) else None
    user_keys = {n: set(s) for n, s in sources.items() if isinstance(s, dict)} if isinstance(sources, dict) else {}
    _raise_first_error(config, schema, "config")
    _check_sources(config, user_keys, schema)
    _check_urls(config)
    if check_paths:
        _check_paths(config)
    check_contact(config)
    return config


WEB_SCHEMES = ("http", "https")
GIT_SCHEMES = ("http", "https", "ssh", "git", "file")


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in WEB_SCHEMES and bool(parts.netloc)


def _check_urls(config: dict) -> None:
    for name, src in config.get("sources", {}).items():
        where = f"config.sources.{name}"
        url = src.get("url") or ""
        if src["kind"] == "repo":
            scp_like = "@" in url.split(":", 1)[0] and ":" in url and "://" not in url
            if url and not scp_like and not (urlsplit(url).scheme in GIT_SCHEMES and urlsplit(url).netloc
                                             or url.startswith("file://")):
                raise ConfigError(f"{where}.url: {url!r} is not allowed; expected a git URL (https://, ssh://, "
                                  "git://, file:// or user@host:path)")
        elif url and not _is_web_url(url):
            raise ConfigError(f"{where}.url: {url!r} is not allowed; expected an http:// or https:// URL with a host")
        for key in ("tarball_url", "github_api"):
            value = src.get(key) or ""
            if src["kind"] == "nixpkgs" and value and not _is_web_url(value.replace("{", "").replace("}", "")):
                raise ConfigError(f"{where}.{key}: {value!r} is not allowed; expected an http:// or https:// URL")
    llm_url = config.get("brain", {}).get("llm", {}).get("url") or ""
    if llm_url and not _is_web_url(llm_url):
        raise ConfigError(f"config.brain.llm.url: {llm_url!r} is not allowed; expected an http:// or https:// URL")


def _check_paths(config: dict) -> None:
    """Local inputs named in the config exist now, not when a job first reads them."""
    for name, src in config.get("sources", {}).items():
        path = src.get("path") or ""
        if path and not Path(path).exists():
            raise ConfigError(f"config.sources.{name}.path: {path!r} does not exist; expected an existing "
                              f"{'directory' if src['kind'] in ('repo', 'nixpkgs') else 'file'} "
                              f"(relative to the working directory {Path.cwd()})")
    control = config.get("eval", {}).get("control") or ""
    if control and not Path(control).exists():
        raise ConfigError(f"config.eval.control: {control!r} does not exist; expected an existing JSONL file "
                          "(relative to the working directory)")


def kind_keys(schema: dict) -> dict[str, set[str]]:
    """The keys each kind of source reads (beyond `kind`), from the schema's `kinds` lists: a key set
    for another kind is a mistake worth one line."""
    source = schema["properties"]["sources"]["additionalProperties"]
    props = source["properties"]
    return {kind: {key for key, sub in props.items() if kind in sub.get("kinds", ())}
            for kind in props["kind"]["enum"]}


def _check_sources(config: dict, user_keys: dict[str, set], schema: dict) -> None:
    keys = kind_keys(schema)
    for name, src in config.get("sources", {}).items():
        where = f"config.sources.{name}"
        kind = src["kind"]
        for key in sorted(user_keys.get(name, set()) - keys[kind] - {"kind"}):
            raise ConfigError(f"{where}.{key}: not used by a {kind} source; expected only "
                              + ", ".join(sorted(keys[kind])))
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


def load_config(path: str | Path, check_paths: bool = True) -> dict:
    return validate_config(read_yaml(path) or {}, check_paths=check_paths)
