"""Node type: module, capability (public API), concept (internal), error, recipe.

Rules are tried in order; the first that matches decides, and its name is recorded with the node,
so every type can be explained ("why is this a capability?" -> `public_name`).
"""

from __future__ import annotations

import re

_ERROR_NAME = re.compile(r"(Error|Exception|Failure|Panic|Fault)$")
_TEST_PATH = re.compile(r"(^|/)(tests?|testing|spec|examples?|demos?|samples?)/|(^|/)test_[^/]*$|_test\.\w+$|"
                        r"\.(test|spec)\.[jt]sx?$|Test\.java$")
_HOWTO = re.compile(r"\b(install|installation|configur\w*|set ?up|setup|enabl\w*|usage|using|example|how|"
                    r"tutorial|getting started|troubleshoot\w*)\b", re.I)
CLASS_LIKE = {"class", "struct", "interface", "trait", "enum", "type"}
CALLABLE = {"function", "method"}


def classify(kind: str, name: str, path: str, lang: str, signature: str | None, bases: list[str],
             container_kind: str | None, has_code: bool) -> tuple[str, str]:
    """(type, rule) for one node."""
    if kind in ("module", "namespace", "page"):
        return "module", f"structural_{kind}"
    if kind in ("topic", "post"):
        return "recipe", "forum_solution"
    if kind == "section":
        if has_code or _HOWTO.search(name or ""):
            return "recipe", "wiki_howto"
        return "concept", "wiki_section"
    if kind == "throw":
        return "error", "nix_throw"
    if kind == "assert":
        return "error", "nix_assert"
    if kind in CLASS_LIKE and (_ERROR_NAME.search(name) or any(_ERROR_NAME.search(b) for b in bases)):
        return "error", "exception_type"
    if kind in CALLABLE and name in ("main", "__main__"):
        return "recipe", "entry_point"
    if _TEST_PATH.search(path):
        return "recipe", "test_or_example"
    if kind == "package":
        return "capability", "nix_package"
    if kind == "option":
        return "capability", "nix_option"
    if kind == "input":
        return "concept", "nix_input"
    if lang == "nix":
        return ("capability", "nix_library_function") if kind == "function" else ("concept", "nix_binding")
    return _visibility(kind, name, lang, signature or "", container_kind)


def _visibility(kind, name, lang, sig, container_kind) -> tuple[str, str]:
    if kind in ("variable", "field") and lang not in ("java", "rust", "go"):
        return "concept", "state"
    if lang == "python":
        if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
            return "concept", "private_name"
        return "capability", "public_name"
    if lang == "go":
        return ("capability", "exported_identifier") if name[:1].isupper() else ("concept", "unexported_identifier")
    if lang == "java":
        if container_kind == "interface" or re.search(r"\bpublic\b", sig):
            return "capability", "public_modifier"
        return "concept", "not_public"
    if lang == "rust":
        return ("capability", "pub_item") if sig.startswith("pub") else ("concept", "private_item")
    if lang in ("javascript", "typescript", "tsx"):
        if name.startswith(("_", "#")) or re.search(r"\b(private|protected)\b", sig):
            return "concept", "private_member"
        return "capability", "public_name"
    if lang in ("c", "cpp"):
        if re.search(r"\bstatic\b", sig) and container_kind not in CLASS_LIKE:
            return "concept", "static_linkage"
        if re.search(r"\bprivate\b", sig):
            return "concept", "private_member"
        return "capability", "external_linkage"
    return "concept", "default"
