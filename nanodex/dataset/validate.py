"""Validators: each takes an example and returns None (keep) or a drop reason (counted, optionally
written to a rejects file). Order matters only for which reason a doubly bad example is counted under."""

from __future__ import annotations

import re
from collections.abc import Callable

import tree_sitter as ts

from ..graph.languages import parser, query
from .example import assistant_text, user_text

_FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)
SECRETS = [
    ("private_key", re.compile(r"-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY-----")),
    ("aws_access_key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("github_token", re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b")),
    ("openai_key", re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b")),
    ("slack_token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b")),
    ("google_api_key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("assigned_secret",
     re.compile(r"\b(?i:api[_-]?key|secret|password|passwd|token)\s*[:=]\s*[\"'][^\"'\s]{12,}[\"']")),
]
# Literal text each pattern needs: the regexes only run on the rare example that has one.
TRIGGERS = {
    "private_key": ("PRIVATE KEY",), "aws_access_key": ("AKIA", "ASIA"),
    "github_token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), "openai_key": ("sk-",),
    "slack_token": ("xox",), "google_api_key": ("AIza",),
}
ASSIGNED_TRIGGERS = ("key", "secret", "passw", "token")
EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
BOILERPLATE = re.compile(r"^\s*(todo|tbd|n/?a|none|null|no description\.?|\.\.\.|fixme|lorem ipsum.*)\s*$", re.I)


def nix_blocks(text: str) -> list[str]:
    return [body for lang, body in _FENCE.findall(text) if lang == "nix"]


def nix_parses(code: str) -> bool:
    """A whole expression, or a fragment of bindings (`services.x.enable = true;`, as pasted into a
    configuration) that parses inside `{ ... }`."""
    return _parses(code) or _parses("{\n" + code + "\n}")


def _parses(code: str) -> bool:
    tree = parser("nix").parse(code.encode())
    if not tree.root_node.has_error:
        return True
    if ts.QueryCursor(query("nix", "(ERROR) @e")).captures(tree.root_node):
        return False
    # MISSING nodes only: valid code trips tree-sitter-nix 0.1.0 on trailing commas in formals
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_missing and not (node.parent is not None and node.parent.type == "formal"):
            return False
        if node.has_error:
            stack.extend(node.children)
    return True


class Validators:
    def __init__(self, min_user: int = 8, max_user: int = 4000, min_answer: int = 20, max_answer: int = 8000,
                 node_ids: set[str] | Callable[[str], bool] | None = None):
        self.min_user, self.max_user = min_user, max_user
        self.min_answer, self.max_answer = min_answer, max_answer
        self.node_ids = node_ids

    def length(self, ex):
        u, a = len(user_text(ex)), len(assistant_text(ex))
        if u < self.min_user:
            return "question_too_short"
        if u > self.max_user:
            return "question_too_long"
        if a < self.min_answer:
            return "answer_too_short"
        if a > self.max_answer:
            return "answer_too_long"
        return None

    def refs_exist(self, ex):
        if self.node_ids is None:
            return None
        known = self.node_ids
        check = known if callable(known) else known.__contains__
        return None if all(check(r) for r in ex["refs"]) else "unknown_ref"

    @staticmethod
    def boilerplate(ex):
        a = assistant_text(ex)
        if not a.strip() or BOILERPLATE.match(a):
            return "empty_or_boilerplate_answer"
        if a.strip() == user_text(ex).strip():
            return "answer_repeats_question"
        return None

    @staticmethod
    def nix_code(ex):
        if "```nix" not in assistant_text(ex):
            return None
        return None if all(nix_parses(b) for b in nix_blocks(assistant_text(ex))) else "nix_code_does_not_parse"

    @staticmethod
    def secrets(ex):
        text = user_text(ex) + "\n" + assistant_text(ex)
        lower = None
        for name, rx in SECRETS:
            triggers = TRIGGERS.get(name)
            if triggers is None:
                lower = lower if lower is not None else text.lower()
                if not any(t in lower for t in ASSIGNED_TRIGGERS):
                    continue
            elif not any(t in text for t in triggers):
                continue
            if rx.search(text):
                return f"secret:{name}"
        if "@" in text and EMAIL.search(text):
            return "email_address"
        return None

    def check(self, ex) -> str | None:
        for v in (self.length, self.boilerplate, self.refs_exist, self.secrets, self.nix_code):
            reason = v(ex)
            if reason:
                return reason
        return None
