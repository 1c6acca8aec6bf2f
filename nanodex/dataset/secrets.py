"""Secret scanning for every text that can reach the dataset.

The patterns are detect-secrets' (its keyword denylist and the token plugins' regexes, imported, not
copied), widened to the forms seen in Nix, shell, JSON, YAML and prose: the keyword anywhere in the
name (`aws_secret_access_key`), a closing quote or bracket before the operator (`{"password": ...}`),
any operator (`=`, `:`, `:=`, `=>`, `==`), any quoting (none, '', "", ``, Nix ''...''), any length.
A fast pre-filter runs first: a line is only matched against the regexes when its lower-cased text
contains one of the literal triggers, so ordinary lines cost a few substring tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from detect_secrets.filters.heuristic import is_sequential_string
from detect_secrets.plugins import keyword as ds_keyword
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.private_key import PrivateKeyDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector

# (name, regexes, lower-case literals one of which a line must contain before the regexes run)
TOKEN_PATTERNS: list[tuple[str, tuple, tuple[str, ...]]] = [
    ("private_key", tuple(PrivateKeyDetector.denylist), ("private key", "putty-user-key")),
    ("aws_access_key", tuple(AWSKeyDetector.denylist), ("akia", "asia", "abia", "acca", "a3t", "aws")),
    ("github_token", (*GitHubTokenDetector.denylist, re.compile(r"\bgithub_pat_[A-Za-z0-9_]{40,}\b")),
     ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    ("gitlab_token", tuple(GitLabTokenDetector.denylist),
     ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "gr1348941", "glcbt-", "glimt-", "glptt-", "glagent-",
      "gloas-")),
    # detect-secrets' OpenAI pattern needs the legacy T3BlbkFJ marker; project keys lack it
    ("openai_key", (*OpenAIDetector.denylist, re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")),
     ("sk-",)),
    ("slack_token", tuple(SlackDetector.denylist), ("xox", "hooks.slack.com")),
    ("stripe_key", tuple(StripeDetector.denylist), ("k_live_",)),
    ("google_api_key", (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),), ("aiza",)),
    ("jwt", tuple(JwtTokenDetector.denylist), ("eyj",)),
    ("npm_token", (*NpmDetector.denylist, re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")), ("_authtoken", "npm_")),
    ("pypi_token", tuple(PypiTokenDetector.denylist), ("pypi-",)),
    ("sendgrid_key", tuple(SendGridDetector.denylist), ("sg.",)),
    ("square_oauth", tuple(SquareOAuthDetector.denylist), ("sq0csp-",)),
    ("azure_storage_key", tuple(AzureStorageKeyDetector.denylist), ("accountkey=",)),
    ("mailchimp_key", tuple(MailchimpDetector.denylist), ("-us",)),
    ("basic_auth", tuple(BasicAuthDetector.denylist), ("://",)),
    ("bearer_token", (re.compile(r"\b(?i:bearer)\s+([A-Za-z0-9._~+/-]{16,}=*)"),), ("bearer",)),
]

# detect-secrets' keyword denylist plus names it leaves out (tokens, credentials)
KEYWORDS = (*ds_keyword.DENYLIST, "token", "credential", "api_?secret")
KEYWORD_TRIGGERS = ("key", "pass", "pwd", "secret", "contrase", "token", "credential")
_KEY = r"(?:{})\w*".format("|".join(KEYWORDS))
_OP = r"(?::=|=>|={1,3}|!==?|:)"
_CLOSE = ds_keyword.CLOSING  # `"password": ...`, `cfg['token'] = ...`
ASSIGNMENT = re.compile(
    rf"(?P<key>{_KEY}){_CLOSE}\s*{_OP}\s*@?"
    r"(?:''(?P<nix>(?:(?!'').){1,400})''"             # Nix indented string
    r"|(?P<q>[\"'`])(?P<quoted>[^\"'`\n]{1,400})(?P=q)"  # any quote, any length
    r"|(?P<bare>[^\s\"'`;,&)}\]]{1,400}))",            # unquoted (env files, YAML, INI, URLs)
    re.IGNORECASE)
# `private_key "x";`, `secret("x")`, `"x" == password`: detect-secrets' own regexes, as they are
# (regex, number of the group holding the secret, as detect-secrets' tables give it)
KEYWORD_EXTRA = ((ds_keyword.FOLLOWED_BY_QUOTES_AND_SEMICOLON_REGEX,
                  ds_keyword.CONFIG_DENYLIST_REGEX_TO_GROUP[ds_keyword.FOLLOWED_BY_QUOTES_AND_SEMICOLON_REGEX]),
                 (ds_keyword.FOLLOWED_BY_OPTIONAL_ASSIGN_QUOTES_REQUIRED_REGEX,
                  ds_keyword.C_PLUS_PLUS_REGEX_TO_GROUP[ds_keyword.FOLLOWED_BY_OPTIONAL_ASSIGN_QUOTES_REQUIRED_REGEX]),
                 (ds_keyword.PRECEDED_BY_EQUAL_COMPARISON_SIGNS_QUOTES_REQUIRED_REGEX,
                  ds_keyword.CONFIG_DENYLIST_REGEX_TO_GROUP[
                      ds_keyword.PRECEDED_BY_EQUAL_COMPARISON_SIGNS_QUOTES_REQUIRED_REGEX]))

# Values that are not secrets: placeholders, references, paths, words of prose.
_PLACEHOLDER = re.compile(
    r"^(?:\.{2,}|…+|x{3,}|\*+|_+|-+|<[^>]*>|\{[^}]*\}|\$\{[^}]*\}|\{\{.*\}\}|%[\w()]+%?|\$\w+|"
    r"change[-_ ]?me|changeit|pass|password|passw(?:or)?d|secret|token|example|placeholder|redacted|dummy|"
    r"none|null|nil|true|false|undefined|required|optional|your[\w -]*|my[\w-]*(?:password|secret|token|key)|"
    r"foo|bar|baz|foobar)$", re.I)
_REFERENCE = re.compile(r"^[A-Za-z_][\w'-]*(?:\.[\w'\"${}-]+)+$")  # cfg.password, config.sops.secrets.x.path
_CALL = re.compile(r"^[\w.$-]+[\[(]")                               # detect-secrets' indirect reference
_PATH = re.compile(r"^(?:/|\./|\.\./|~/|\$\{)[^\s]*$")              # passwordFile = "/run/keys/db"
# Names whose value points at a secret (a file, a command, a variable) or describes it, never is one.
_NOT_A_SECRET_NAME = re.compile(
    r"(?:file|files|path|dir|directory|command|cmd|env|var|url|uri|name|names|id|ids|type|length|len|size|"
    r"count|time|timeout|ttl|format|prompt|eval|policy|helper|mode|enable|enabled|source|store|manager|"
    r"option|options|description|hash(?:ed)?_?algorithm)s?$", re.I)
_TEMPLATED = ("${", "$(", "{{", "%(", "<%")                        # interpolation: a reference to a value
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")          # client_secret = "CLIENT_SECRET"
_MASKED = re.compile(r"(?i)x{6,}|\*{4,}|…|\.\.\.")                  # nsecXXXXXXXX, "abc****"
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://[^@\s]*$", re.I)               # token_url = "https://host/token"
_NUMBER = re.compile(r"^[-+]?[\d_.]+(?:e[-+]?\d+)?$", re.I)             # max_tokens = 100000
_NIX_FN = re.compile(r"^(?:lib\.|pkgs\.|builtins\.|mk[A-Z]|types\.|with\b|import\b|inherit\b)")


@dataclass(frozen=True)
class Finding:
    kind: str      # e.g. "keyword_assignment", "aws_access_key"
    line: int      # 1-based line number in the scanned text
    value: str     # the secret as found (never written anywhere; see redact)


def _value_is_secret(value: str, bare: bool, key: str = "") -> bool:
    v = value.strip().rstrip(";,")
    if key and _NOT_A_SECRET_NAME.search(key):
        return False
    if any(t in v for t in _TEMPLATED) or _ENV_NAME.match(v) or _MASKED.search(v) or v.endswith(":"):
        return False
    if re.search(r"\s", v) or is_sequential_string(v) or (v.isdigit() and len(v) < 6):
        return False   # prose ("User token", "echo password"), 12345678, a port or a count
    if len(v) < 2 or _PLACEHOLDER.match(v) or _PATH.match(v) or _URL.match(v) or not re.search(r"[A-Za-z0-9]", v):
        return False
    if bare:
        # Unquoted: an expression (`cfg.password`, `mkOption {`), a word of prose ("password: see
        # below") or a Nix function is not a secret; a token with a digit or symbol is.
        if _REFERENCE.match(v) or _CALL.match(v) or _NIX_FN.match(v) or v.endswith(("(", "{", "[")):
            return False
        if _NUMBER.match(v):
            return False
        return bool(re.search(r"\d|[^\w\s.-]", v)) and len(v) >= 6
    return not _CALL.match(v) or " " in v


def _keyword_findings(line: str) -> Iterator[tuple[str, str]]:
    for m in ASSIGNMENT.finditer(line):
        if m.group("nix") is not None:
            value, bare = m.group("nix"), False
        elif m.group("quoted") is not None:
            value, bare = m.group("quoted"), False
        else:
            value, bare = m.group("bare"), True
        if _value_is_secret(value, bare, m.group("key")):
            yield "keyword_assignment", value
    for rx, group in KEYWORD_EXTRA:
        m = rx.search(line)
        if m:
            value = m.group(group) or ""
            if _value_is_secret(value, False):
                yield "keyword_assignment", value


KEYWORD = -1  # the pattern group of the keyword assignments, beside TOKEN_PATTERNS' indexes


def _trigger_groups() -> dict[str, tuple[int, ...]]:
    groups: dict[str, set[int]] = {}
    for i, (_, _, triggers) in enumerate(TOKEN_PATTERNS):
        for t in triggers:
            groups.setdefault(t, set()).add(i)
    for t in KEYWORD_TRIGGERS:
        groups.setdefault(t, set()).add(KEYWORD)
    return {t: tuple(sorted(g)) for t, g in groups.items()}


_TRIGGERS = _trigger_groups()


def scan(text: str) -> Iterator[Finding]:
    """Every secret in `text`, line by line (a secret never spans lines in these forms).

    Pre-filter: each trigger is looked up with str.find over the whole lower-cased text (fast), and
    only the lines holding one are matched, each against the patterns of the triggers it holds."""
    lower = text.lower()
    hits: dict[int, set[int]] = {}          # line start offset -> pattern groups to try there
    for trigger, groups in _TRIGGERS.items():
        i = lower.find(trigger)
        while i >= 0:
            line_start = lower.rfind("\n", 0, i) + 1
            hits.setdefault(line_start, set()).update(groups)
            line_end = lower.find("\n", i)
            i = lower.find(trigger, line_end) if line_end >= 0 else -1
    number, counted_to = 1, 0
    for line_start in sorted(hits):
        number += text.count("\n", counted_to, line_start)   # running count: linear in the text
        counted_to = line_start
        line_end = text.find("\n", line_start)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        for g in sorted(hits[line_start]):
            if g == KEYWORD:
                for kind, value in _keyword_findings(line):
                    yield Finding(kind, number, value)
                continue
            name, regexes, _ = TOKEN_PATTERNS[g]
            for rx in regexes:
                m = rx.search(line)
                if m:
                    value = m.group(m.lastindex or 0)
                    if name != "basic_auth" or _value_is_secret(value, False):
                        yield Finding(name, number, value)
                    break


def first_secret(text: str) -> Finding | None:
    return next(scan(text), None)


def redact(text: str) -> str:
    """`text` with every secret found replaced by `[REDACTED]` (for rejects files and logs)."""
    for f in sorted({f.value for f in scan(text)}, key=len, reverse=True):
        if f:
            text = text.replace(f, "[REDACTED]")
    return text
