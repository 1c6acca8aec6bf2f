"""Read flake.nix with the project's tree-sitter Nix grammar: syntax errors, inputs, outputs, and the
Python package lists (shared by test_envs.py and test_readme.py)."""

from __future__ import annotations

from pathlib import Path

from nanodex.graph.languages import parser

ROOT = Path(__file__).resolve().parents[2]
FLAKE = ROOT / "flake.nix"
OUTPUT_KINDS = {"packages", "devShells", "apps", "checks", "formatter", "overlays", "legacyPackages"}


def parse(path: Path = FLAKE):
    return parser("nix").parse(path.read_bytes())


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


def syntax_errors(tree) -> list[str]:
    """`line:col: ERROR|MISSING <text>` for every node tree-sitter could not parse."""
    return [f"{n.start_point[0] + 1}:{n.start_point[1] + 1}: {'MISSING' if n.is_missing else 'ERROR'} "
            f"{n.text.decode(errors='replace')[:60]!r}"
            for n in walk(tree.root_node) if n.is_error or n.is_missing]


def attrpath(binding) -> tuple[str, ...]:
    path = binding.child_by_field_name("attrpath")
    return tuple(c.text.decode().strip('"') for c in path.named_children)


def value(binding):
    return binding.child_by_field_name("expression")


def bindings(attrset, prefix: tuple[str, ...] = ()):
    """(full attribute path, value node) of every binding in an attrset, descending into nested attrsets."""
    for node in attrset.named_children:
        if node.type != "binding_set":
            continue
        for b in node.named_children:
            if b.type != "binding":
                continue
            path, val = prefix + attrpath(b), value(b)
            yield path, val
            if val is not None and val.type in ("attrset_expression", "rec_attrset_expression"):
                yield from bindings(val, path)


def string_value(node) -> str:
    assert node.type in ("string_expression", "indented_string_expression"), node.type
    return "".join(c.text.decode() for c in node.named_children if c.type == "string_fragment")


def inputs(tree) -> dict[str, str]:
    """Input name -> url, from the flake's top-level `inputs`."""
    top = next(c for c in tree.root_node.named_children if c.type == "attrset_expression")
    out = {}
    for path, val in bindings(top):
        if len(path) == 3 and path[0] == "inputs" and path[2] == "url":
            out[path[1]] = string_value(val)
    return out


def outputs(tree) -> set[str]:
    """`kind.name` of every output attribute written as such (`packages.default`, `devShells.train`)."""
    found = set()
    for node in walk(tree.root_node):
        if node.type != "attrset_expression" or (node.parent and node.parent.type == "binding"):
            continue
        for path, _ in bindings(node):
            if len(path) == 2 and path[0] in OUTPUT_KINDS:
                found.add(".".join(path))
    return found


def python_deps(tree, name: str = "pythonDeps") -> dict[str, list[str]]:
    """`pythonDeps = { <group> = ps: with ps; [ a b ... ]; ... }` -> {group: [a, b, ...]}."""
    for node in walk(tree.root_node):
        if node.type == "binding" and attrpath(node) == (name,):
            groups = {}
            for path, val in bindings(value(node)):
                lists = [n for n in walk(val) if n.type == "list_expression"]
                assert len(lists) == 1, f"flake.nix: {name}.{'.'.join(path)} must hold exactly one list"
                groups[".".join(path)] = [element_name(e) for e in lists[0].named_children if e.type != "comment"]
            return groups
    raise AssertionError(f"flake.nix: no `{name} = {{ ... }};` binding")


def element_name(node) -> str:
    if node.type == "variable_expression":
        return node.text.decode()
    if node.type == "select_expression":  # ps.foo
        return node.child_by_field_name("attrpath").named_children[-1].text.decode()
    raise AssertionError(f"flake.nix line {node.start_point[0] + 1}: a package list holds {node.text.decode()!r}; "
                         f"expected plain package names")
