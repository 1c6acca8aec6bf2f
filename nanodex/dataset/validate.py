"""Validators: each takes an example and returns None (keep) or a drop reason (counted, optionally
written to a rejects file). Order matters only for which reason a doubly bad example is counted under."""

from __future__ import annotations

import re
from collections.abc import Callable

import tree_sitter as ts

from ..graph.languages import parser, query
from .example import assistant_text, user_text
from .nixcode import is_doc_example
from .secrets import first_secret

_FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)
EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# RFC 2606 / RFC 6761 names: addresses there are documentation, not anyone's personal data.
PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")
PLACEHOLDER_TLDS = (".example", ".test", ".invalid", ".localhost")
# `git@github.com:owner/repo` is an SSH remote, not an address.
ROLE_LOCAL_PARTS = ("git",)
BOILERPLATE = re.compile(r"^\s*(todo|tbd|n/?a|none|null|no description\.?|\.\.\.|fixme|lorem ipsum.*)\s*$", re.I)


def is_placeholder_email(address: str) -> bool:
    local, _, domain = address.lower().rpartition("@")
    return (domain in PLACEHOLDER_DOMAINS or domain.endswith(tuple("." + d for d in PLACEHOLDER_DOMAINS))
            or domain.endswith(PLACEHOLDER_TLDS) or domain == "localhost" or local in ROLE_LOCAL_PARTS)


def personal_email(text: str) -> str | None:
    """The first e-mail address in `text` that is not a documentation placeholder."""
    if "@" not in text:
        return None
    return next((m.group(0) for m in EMAIL.finditer(text) if not is_placeholder_email(m.group(0))), None)


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
        # nixpkgs doc-comment examples (`f x\n=> "result"`) are documentation, not code to parse
        ok = all(is_doc_example(b) or nix_parses(b) for b in nix_blocks(assistant_text(ex)))
        return None if ok else "nix_code_does_not_parse"

    @staticmethod
    def secrets(ex):
        """Every message (system included) is scanned: all of them reach the dataset and its exports."""
        for msg in ex["messages"]:
            found = first_secret(msg["content"])
            if found:
                return f"secret:{found.kind}"
        for msg in ex["messages"]:
            if personal_email(msg["content"]):
                return "email_address"
        return None

    def check(self, ex) -> str | None:
        for v in (self.length, self.boilerplate, self.refs_exist, self.secrets, self.nix_code):
            reason = v(ex)
            if reason:
                return reason
        return None
