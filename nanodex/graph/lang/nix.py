"""Nix: the facts nixpkgs and NixOS files carry.

- the file's function arguments (`{ lib, stdenv, openssl }:`, i.e. callPackage dependencies) -> `input`
- a package (any builder: `stdenv.mkDerivation`, `buildGoModule`, `(buildGoModule.override {..}) {..}`,
  `python3Packages.buildPythonApplication`, `writeShellApplication`, `symlinkJoin`, `writeShellScriptBin
  "name"`, ...) -> `package` with pname, version, name, builder, the `src` fetcher call and its arguments,
  every standard input list, meta (description, license, homepage, ...), and `depends_on` edges to the
  inputs it uses (directly, through `with x;`, or through a let alias). `let`, `inherit`, `rec` and
  `finalAttrs` are followed; a fact whose value is not a literal goes to `expressions` as source text;
- NixOS / home-manager options (nix_options.py) -> `option`; `mkRenamedOptionModule` & co -> `option_rename`;
- top-level attributes and let-bindings of library-style files -> `function` / `variable` (plain data
  capped per file: kernel configs and tables are not knowledge);
- `import ./x.nix`, `callPackage ./x.nix {}`, `imports = [ ./x.nix ]` -> `imports` references.

tree-sitter-nix 0.1.0 predates the trailing-comma fix: `{ a, b, }:` yields a MISSING identifier;
those are skipped, and the tree's error flag alone is not taken as a syntax error.
"""

from __future__ import annotations

import re

import orjson
import tree_sitter as ts

from ..ids import IdAllocator, module_id
from .base import clean_comment, last_line
from .nix_options import RENAMES, Options, is_option_call, rename_facts
from .nix_values import (
    Scope,
    args,
    attrpath_parts,
    bindings,
    callee,
    flat,
    inherits,
    is_plain_data,
    let_bindings,
    may_contain,
    raw_string,
    root_name,
    source_of,
    split_name,
    text,
    unwrap,
)

# Every list of dependencies a derivation (or a language builder) takes.
INPUT_LISTS = ("buildInputs", "nativeBuildInputs", "propagatedBuildInputs", "propagatedNativeBuildInputs",
               "checkInputs", "nativeCheckInputs", "installCheckInputs", "nativeInstallCheckInputs",
               "depsBuildBuild", "depsBuildBuildPropagated", "depsBuildHost", "depsBuildHostPropagated",
               "depsBuildTarget", "depsBuildTargetPropagated", "depsHostHost", "depsHostHostPropagated",
               "depsHostTarget", "depsHostTargetPropagated", "depsTargetTarget", "depsTargetTargetPropagated",
               "propagatedUserEnvPkgs", "dependencies", "build-system", "optional-dependencies",
               "runtimeInputs", "paths", "pythonPath", "runtimeDeps")
META_KEYS = ("description", "longDescription", "homepage", "license", "mainProgram", "platforms",
             "changelog", "broken", "downloadPage")
META_TEXT = ("description", "longDescription", "homepage", "mainProgram", "changelog", "downloadPage")
# Builders taking one attrset (last segment of the callee).
ATTR_BUILDERS = {"mkDerivation", "writeShellApplication", "symlinkJoin", "buildEnv", "wrapType1", "wrapType2",
                 "wrapAppImage", "buildFHSEnv", "buildFHSUserEnv", "mkDerivationWith", "writeTextFile",
                 "buildFHSEnvBubblewrap"}
# `pkg.overrideAttrs (old: { pname = ..; })` is read as an override of pkg, not as a builder call.
OVERRIDES = {"overrideAttrs", "overridePythonAttrs"}
# Attrset writers of one text file: a derivation, but inside a module a unit file or config, not a package.
TEXT_WRITERS = {"writeTextFile"}
BUILDER_PREFIX = ("build", "mk")
BUILDER_SUFFIX = ("Package", "Application", "Module", "Derivation", "Crate", "Plugin", "Addon", "Gem",
                  "Extension", "Image")
NOT_BUILDERS = {"mkOption", "mkEnableOption", "mkPackageOption", "mkIf", "mkMerge", "mkShell", "mkShellNoCC",
                "mkStubPackage",   # home-manager's test stubs: made-up versions of real packages
                *RENAMES}
# Builders whose first argument is the package's name: writeShellScriptBin "name" ''...'', runCommand "name" {} ''.''
NAMED_BUILDERS = ("writeShellScriptBin", "writeShellScript", "writeScriptBin", "writeScript", "writeBashBin",
                  "writeBash", "writePython3Bin", "writePython3", "writeDashBin", "writeFishBin", "writeNuBin",
                  "runCommand", "runCommandLocal", "runCommandCC", "runCommandNoCC", "writeTextDir")
# Fetchers whose name does not start with `fetch`.
FETCHERS = {"requireFile", "srcOnly", "mkRustyVendor"}
# Roots of an item that are the package set itself, not a dependency: `pkgs.kmod`, `with pkgs; [ .. ]`.
PACKAGE_SETS = ("lib", "pkgs")
MODULE_KEYS = {"options", "config", "imports", "meta", "disabledModules", "_file", "key", "_class", "freeformType"}
DATA_NODES_PER_FILE = 200   # plain-data bindings kept as nodes per file; the rest are only counted
ATTRSET_TYPES = ("attrset_expression", "rec_attrset_expression")



def _comment_before(node: ts.Node) -> str | None:
    prev = node.prev_sibling
    if prev is None and node.parent is not None and node.parent.type == "binding_set":
        prev = node.parent.prev_sibling   # a comment above the first binding sits outside the set
    parts, line = [], node.start_point[0]
    while prev is not None and prev.type == "comment" and prev.end_point[0] >= line - 1:
        parts.append(text(prev))
        line = prev.start_point[0]
        prev = prev.prev_sibling
    return clean_comment("\n".join(reversed(parts))) or None if parts else None


def builder_kind(node: ts.Node | None) -> str | None:
    """'attrs' for a builder taking an attrset (last argument), 'named' for `writeShellScriptBin "n" ..`."""
    if node is None or node.type != "apply_expression":
        return None
    name = callee(node)
    last = name.rsplit(".", 1)[-1]
    if last in NAMED_BUILDERS:
        a = args(node)
        return "named" if a and raw_string(a[0]) is not None else None
    if last in ATTR_BUILDERS or (last.startswith(BUILDER_PREFIX) and last.endswith(BUILDER_SUFFIX)
                                 and last not in NOT_BUILDERS
                                 and not (last.startswith("mk") and last.endswith("Module"))):   # mkFirefoxModule makes a module
        return "attrs" if attrs_of(args(node)[-1]) is not None else None
    if last.startswith("fetch") or last in NOT_BUILDERS or last in OVERRIDES \
            or name.startswith(("lib.", "builtins.")):   # lib.recursiveUpdate defaults { pname = ..; } is no builder
        return None
    # Any other call given an attrset with a pname (appimageTools.wrapType2, a project's own builder).
    if not may_contain(node, b"pname"):   # neither `pname = ..` nor `inherit pname` can be in it
        return None
    attrs = attrs_of(args(node)[-1])
    if attrs is not None and (any(p == ["pname"] for p, _, _ in bindings(attrs))
                              or any(n == "pname" for n, _, _ in inherits(attrs))):
        return "attrs"
    return None


def attrs_of(arg: ts.Node | None):
    """The attrset of `{..}`, `rec {..}`, `finalAttrs: {..}`, `let .. in {..}` (with the self name)."""
    arg = unwrap(arg, lets=True)
    if arg is not None and arg.type == "function_expression":   # finalAttrs: { ... }
        arg = unwrap(arg.child_by_field_name("body"), lets=True)
    if arg is not None and arg.type == "binary_expression" and text(arg.child_by_field_name("operator")) == "//":
        # args // { pname = ..; } (// more): the literal set nearest the right
        return attrs_of(arg.child_by_field_name("right")) or attrs_of(arg.child_by_field_name("left"))
    return arg if arg is not None and arg.type in ATTRSET_TYPES else None


class NixExtractor:
    lang = "nix"

    def __init__(self, source: str, path: str, src: bytes, max_doc: int):
        self.source, self.path, self.src, self.max_doc = source, path, src, max_doc
        self.mid = module_id(source, path)
        self.alloc = IdAllocator(source, path)
        self.nodes, self.edges, self.refs = [], [], []
        self.inputs: dict[str, str] = {}
        self.module_meta: dict = {}
        self.scope = Scope()
        self.let_packages: list[tuple[str, ts.Node]] = []
        self.pkg_calls: set[tuple[int, int]] = set()   # byte spans of the builder calls already read
        self.data_nodes = 0
        self.data_capped = 0

    def node(self, key, kind, name, qual, n, signature=None, doc=None, meta=None, parent=None):
        nid = self.alloc(key)
        if doc and len(doc) > self.max_doc:
            doc = doc[: self.max_doc]
        first = n.start_point[0]
        row, col = n.end_point   # base.last_line, inline
        self.nodes.append((nid, self.source, kind, name, qual, self.path, "nix", first + 1,
                           row if col == 0 and row > first else row + 1, signature, doc,
                           orjson.dumps(meta, option=orjson.OPT_SORT_KEYS).decode() if meta else None))
        self.edges.append((parent or self.mid, nid, "contains", "exact"))
        return nid

    def run(self, tree: ts.Tree):
        root = tree.root_node
        body = next((c for c in root.named_children if c.type != "comment"), None)
        doc = _comment_before(body) if body is not None else None
        body = unwrap(body)
        while body is not None and body.type in ("function_expression", "let_expression"):
            body = self.lets(self.formals(body))   # `{ a }: let .. in { b }: ..` (a function of a function)
        if body is not None:
            self.analyse(body)
        if not any(n[2] == "package" for n in self.nodes):
            self.override_package(body)
        self.nested_packages(root)
        self.scan(root)
        if self.data_capped:
            self.module_meta["data_nodes_capped"] = self.data_capped
        first = (self.mid, self.source, "module", self.path.rsplit("/", 1)[-1], self.path, self.path, "nix", 1,
                 last_line(root), None, doc,
                 orjson.dumps(self.module_meta, option=orjson.OPT_SORT_KEYS).decode() if self.module_meta else None)
        self.nodes.insert(0, first)
        self.refs.sort(key=lambda r: (r[3], r[1], r[2], r[0]))
        return self.nodes, self.edges, self.refs

    def formals(self, node):
        """`{ a, b ? d, ... }: body` -> input nodes; returns the body."""
        while node is not None and node.type == "function_expression":
            formals = node.child_by_field_name("formals")
            if formals is not None:
                for f in formals.named_children:
                    if f.type != "formal":
                        continue
                    name_node = f.child_by_field_name("name")
                    if name_node is None or name_node.is_missing or not text(name_node):
                        continue
                    name = text(name_node)
                    default = f.child_by_field_name("default")
                    meta = {"default": _value(default)} if default is not None else None
                    self.inputs[name] = self.node(f"arg:{name}", "input", name, name, f, meta=meta)
            elif node.child_by_field_name("universal") is None:
                break
            node = unwrap(node.child_by_field_name("body"))
        return node

    def lets(self, node):
        while node is not None and node.type == "let_expression":
            names = {}
            for name, expr, b in let_bindings(node):
                names[name] = expr
                value = unwrap(expr)
                if builder_kind(value):
                    self.let_packages.append((name, value))   # `let package = buildGoModule {..}; in ...`
                elif is_option_call(value):
                    pass   # a let-bound option declaration is used by name in `options`
                else:
                    self.binding_node(name, b)
            self.scope = Scope(self.scope, names)
            node = unwrap(node.child_by_field_name("body"))
        return node

    def binding_node(self, name: str, b: ts.Node, parent=None, prefix=""):
        expr = unwrap(b.child_by_field_name("expression"))
        if expr is None:
            return
        qual = prefix + name
        if expr.type == "function_expression":
            params = []
            while expr is not None and expr.type == "function_expression":
                body = expr.child_by_field_name("body")
                if body is None:
                    break
                params.append(text(expr)[: body.start_byte - expr.start_byte].strip().rstrip(":").strip())
                expr = unwrap(body)
            sig = f"{name} = {': '.join(params)}: ..."
            self.node(qual, "function", name, qual, b, signature=" ".join(sig.split())[:300],
                      doc=_comment_before(b), parent=parent)
            return
        if is_plain_data(expr):
            if self.data_nodes >= DATA_NODES_PER_FILE:
                self.data_capped += 1
                return
            self.data_nodes += 1
        self.node(qual, "variable", name, qual, b, signature=f"{name} = {_value(expr, 120)}",
                  doc=_comment_before(b), parent=parent)

    def analyse(self, body: ts.Node):
        if builder_kind(body):
            self.package(body, self.scope)
            return
        if body.type == "if_expression":   # `if broken then throw ".." else pkg`
            for f in ("consequence", "alternative"):
                b = self.lets(unwrap(body.child_by_field_name(f)))
                if b is not None and builder_kind(b):
                    self.package(b, self.scope)
                    return
            return
        if body.type not in ATTRSET_TYPES and b"Option" in self.src and _declares_option(body):   # a file that is one option (`mkOption { .. }`), imported by another
            self.module_meta["options_fragment"] = True
            Options(self.scope, lambda p, m, c, b: self.option(p, {**m, "relative": True}, c, b)).walk(
                [self.path_name()], body, body)
            return
        if body.type == "variable_expression" and any(n == text(body) for n, _ in self.let_packages):
            return   # `in package`: the let-bound package is the file's
        if body.type in ATTRSET_TYPES:
            top = list(bindings(body))
            keys = {parts[0] for parts, _, _ in top if parts}
            module = bool(keys & {"options", "config", "imports"}) and not keys - MODULE_KEYS
            if module:
                self.module_meta["nixos_module"] = True
            opts = Options(self.scope, self.option)
            for parts, expr, b in top:
                if parts and parts[0] == "options":
                    opts.walk(parts[1:], expr, b)
            if module:
                return
            if b"Option" in self.src and any(_declares_option(expr) for _, expr, _ in top):
                # An options fragment (`import ./options.nix { .. }` inside another file's `options`):
                # paths are relative to where it is imported.
                self.module_meta["options_fragment"] = True
                frag = Options(self.scope, lambda p, m, c, b: self.option(p, {**m, "relative": True}, c, b))
                for parts, expr, b in top:
                    if _declares_option(expr):
                        frag.walk(parts, expr, b)
                top = [t for t in top if not _declares_option(t[1])]
            # Library-style file or package set; entries' files are linked by their callPackage imports.
            for parts, expr, b in top:
                if parts and parts[0] == "options":
                    continue
                over = _override_of(expr) if len(parts) == 1 else None
                base = _base_name(over[0]) if over is not None else None
                if len(parts) == 1 and builder_kind(unwrap(expr)):
                    self.package(unwrap(expr), self.scope, attr=parts[0])
                elif over is not None and builder_kind(over[0]):   # an overlay entry: (mkDerivation ..).overrideAttrs
                    self.package(over[0], self.scope, attr=parts[0], override=over[1])
                elif base is not None:   # foo_git = prev.foo.overrideAttrs (..)
                    self.package(unwrap(expr), self.scope, attr=parts[0], override=over[1], base=base)
                else:
                    self.binding_node(".".join(parts), b)

    # -- packages -------------------------------------------------------------------------------------

    def override_package(self, body):
        """The file's package when its body overrides one: `pkg.overrideAttrs (prev: { .. })` on a
        builder call, on the let-bound package, or on a package it takes (`prev.mesa`, `(x.override {..})`)."""
        over = _override_of(body)
        if over is not None and builder_kind(over[0]):   # (buildLinux { .. }).overrideAttrs (old: { .. })
            self.package(over[0], self.scope, override=over[1])
            return
        base = _base_name(over[0]) if over is not None else None
        for name, call in self.let_packages[:1]:   # `let pkg = buildGoModule { .. }; in pkg.overrideAttrs (..)` / `in pkg`
            if over is not None and base in (name, None):
                self.package(call, self.scope, override=over[1])
                return
            if _returns(body, name):
                self.package(call, self.scope)
                return
        if base is not None:
            self.package(unwrap(body), self.scope, override=over[1], base=base)

    def nested_packages(self, root: ts.Node):
        """Builder calls the file-level reading did not see: inside a NixOS module's `config`, a
        package's `passthru`, a wrapper (`vmTools.runInLinuxVM (mkDerivation { .. })`), a `let` inside
        a binding. A byte scan finds where they can be; the tree is asked only there. Script writers
        (`writeShellScript "n" ''..''`) are left out here: a module's inline script is not a package.
        A call that the file's value only wraps is the file's package."""
        file_pkg = not any(n[2] == "package" for n in self.nodes)
        for start, end, by_pname in _builder_hits(self.src):
            n = root.named_descendant_for_byte_range(start, end)
            whole = call = _call_at(n, by_pname)
            if call is None or (call.start_byte, call.end_byte) in self.pkg_calls:
                continue
            kw: dict = {}
            over = _override_of(call) if by_pname else None
            if over is not None and builder_kind(over[0]) is None:   # `prev.foo.overrideAttrs (o: { pname = ..; })`
                kw = {"override": over[1], "base": _base_name(over[0])}
                if kw["base"] is None:
                    continue
            else:
                if over is not None:   # `(buildGoModule { .. }).overrideAttrs (o: { pname = ..; })`
                    call, kw = over[0], {"override": over[1]}
                last = callee(call).rsplit(".", 1)[-1]
                if (call.start_byte, call.end_byte) in self.pkg_calls or builder_kind(call) != "attrs" \
                        or last in TEXT_WRITERS or last.endswith(("callPackage", "callPackages", "import")):
                    continue
            b = whole.parent
            while b is not None and (b.type == "parenthesized_expression" or b.type == "let_expression"
                                     and b.child_by_field_name("body") is not None
                                     and b.child_by_field_name("body").start_byte <= whole.start_byte):
                b = b.parent
            attr = None
            if b is not None and b.type == "binding" and unwrap(b.child_by_field_name("expression")) == whole:
                attr = ".".join(attrpath_parts(b))   # `minisforum-acpi-override = pkgs.stdenv.mkDerivation {..}`
            is_file = file_pkg and _wraps(root, whole)
            self.package(call, _scope_at(call, self.scope), attr=attr, nested=not is_file, **kw)
            self.pkg_calls.add((whole.start_byte, whole.end_byte))
            file_pkg = file_pkg and not is_file

    def package(self, call: ts.Node, outer: Scope, attr: str | None = None, override=None, base: str | None = None,
                nested: bool = False):
        self.pkg_calls.add((call.start_byte, call.end_byte))
        facts: dict = {}
        exprs: dict = {}
        if base is not None:   # `prev.mesa.overrideAttrs (old: { .. })`: a package made from another one
            kind, a = "attrs", [_fn_body(override)]
            facts["builder"], facts["overrides"] = _overridden(base), base
            override = None
        else:
            kind, a = builder_kind(call), args(call)
            builder = callee(call)
            fn_node = unwrap(call.child_by_field_name("function"))
            while fn_node is not None and fn_node.type == "apply_expression" and kind == "named":
                fn_node = unwrap(fn_node.child_by_field_name("function"))
            full = flat(fn_node, 300)
            if kind == "attrs" and full != builder:   # (buildGoModule.override { go = go_1_22; }) {..}
                builder = builder.removesuffix(".override").removesuffix(".overrideAttrs")
                exprs["builder"] = full
            facts["builder"] = builder
        scope, attrs = self.package_scope(a[-1] if kind == "attrs" else (a[1] if len(a) > 2 else None), outer)
        if override is not None:   # its attributes win; `prev.x` in them reads the package's own x
            base = dict(scope.own)
            over_scope, _ = self.package_scope(override, outer)
            prev = override.child_by_field_name("universal") if override.type == "function_expression" else None
            scope.own.update(over_scope.own)
            scope.prev = (text(prev), base) if prev is not None else None
        own = scope.own
        if kind == "named":
            self.fact(facts, exprs, "name", a[0], scope)
        for key in ("pname", "version", "name"):
            if key in own and key not in facts:
                self.fact(facts, exprs, key, own[key], scope)
        if "src" in own:
            src = self.fetcher(own["src"], scope)
            if isinstance(src, dict):
                facts["src"] = src
            elif src is not None:
                exprs["src"] = src
        inputs: dict[str, list[str]] = {}
        deps: list[str] = []
        for name in INPUT_LISTS:
            if name in own:
                self.inputs_of(name, own[name], scope, inputs, exprs, deps)
        meta: dict = {}
        m = own.get("meta")
        if isinstance(m, str):   # inherit (old) meta;
            exprs["meta"] = m
        meta_scope = self.meta_bindings(m, scope, attrs) if m is not None and not isinstance(m, str) else {}
        for key, value in meta_scope.items():
            if key == "license":
                lic = self.license(value, scope)
                if lic is None:
                    exprs["meta.license"] = _expr_text(value)
                else:
                    meta["license"] = lic
            elif key in META_TEXT:
                v = scope.literal(value)
                if v is not None:
                    meta[key] = v[:500]
                else:
                    exprs[f"meta.{key}"] = _expr_text(value, 500)
            else:
                meta[key] = _value(value, 500) if not isinstance(value, str) else value
        if inputs:
            facts["inputs"] = inputs
        if meta:
            facts["meta"] = meta
        if "pname" not in facts and "pname" not in exprs and facts.get("name") and not nested:
            pname, version = split_name(facts["name"])
            facts["pname"] = pname
            if version and "version" not in facts and "version" not in exprs:
                facts["version"] = version
        if attr:
            facts["attr"] = attr
        elif not nested and self.path.rsplit("/", 1)[-1] in ("package.nix", "default.nix") and "/" in self.path:
            facts["attr"] = self.path_name()   # pkgs/by-name/xx/<attr>/package.nix; pkgs/**/<attr>/default.nix
        if exprs:
            facts["expressions"] = exprs
        # inside something, the derivation's own name says more than the local binding
        name = facts.get("pname") or (facts.get("name") or attr if nested else attr)
        if name is None and nested:
            return   # a package inside something, with no name of its own: nothing to ask about
        name = name or self.path_name()
        nid = self.node(f"pkg:{name}", "package", name, name, call,
                        signature=f"{name} {facts.get('version') or ''}".strip(),
                        doc=meta.get("description"), meta=facts)
        for dep in deps:
            self.edges.append((nid, self.inputs[dep], "depends_on", "exact"))

    def package_scope(self, arg, outer: Scope):
        """Scope of a package's attrset: its own attributes (inherits resolved), `rec`/`finalAttrs`
        self references, and any `let` between the call and the attrset."""
        scope = outer
        node = unwrap(arg)
        self_names: tuple = ()
        while node is not None and node.type in ("function_expression", "let_expression"):
            if node.type == "let_expression":
                scope = Scope(scope, {n: v for n, v, _ in let_bindings(node)})
            else:
                u = node.child_by_field_name("universal")
                if u is not None:
                    self_names = (text(u),)
            node = unwrap(node.child_by_field_name("body"))
        if node is not None and node.type == "binary_expression":   # args // { .. }
            node = attrs_of(node)
        attrs = node if node is not None and node.type in ATTRSET_TYPES else None
        own: dict = {}
        for parts, v, _ in bindings(attrs):
            if len(parts) == 1:
                own[parts[0]] = v
            elif len(parts) == 2 and parts[0] == "meta":
                own.setdefault("meta.", {})[parts[1]] = v
        pkg = Scope(scope, self_names=self_names, own=own,
                    rec=attrs is not None and attrs.type == "rec_attrset_expression")
        for name, frm, _ in inherits(attrs):
            if frm is None:
                target = scope.lookup(name)
                own[name] = target if target is not None else f"{name}"
            else:
                own[name] = f"{frm}.{name}"
        if "meta." in own and "meta" not in own:
            own["meta"] = own["meta."]
        return pkg, attrs

    def fact(self, facts, exprs, key, value, scope: Scope):
        if isinstance(value, str):   # an `inherit`: a name not bound to a literal, or `(set).name`
            exprs[key] = value
            return
        v = scope.literal(value)
        if v is not None:
            facts[key] = v[:200]
        else:
            exprs[key] = _expr_text(value)

    def fetcher(self, expr, scope: Scope, depth: int = 0):
        """{"fetcher", "args", "expr_args"} for a fetcher call (also through a let-bound name);
        else the expression's text."""
        if isinstance(expr, str):
            return expr
        node = unwrap(expr, lets=True)
        if node is None:
            return None
        if node.type == "variable_expression" and depth < 4:
            target = scope.lookup(text(node))
            if target is not None and not isinstance(target, str):
                return self.fetcher(target, scope, depth + 1)
        if node.type == "apply_expression":
            a = args(node)
            fn = callee(node)
            attrs = unwrap(a[-1]) if a else None
            if attrs is None or attrs.type not in ATTRSET_TYPES or not _is_fetcher(fn):
                return flat(node)
            out: dict = {"fetcher": fn}
            values, exprs = {}, []
            for p, e, _ in bindings(attrs):
                key = ".".join(p)
                s = raw_string(e)
                values[key] = s[:200] if s is not None else flat(e)
                if s is None:
                    exprs.append(key)   # values that are Nix expressions, not strings
            for name, frm, _ in inherits(attrs):   # fetchPypi { inherit pname version; }
                v = scope.literal(name) if frm is None else None
                if v is None and frm is None and name in scope.own and not isinstance(scope.own[name], str):
                    v = scope.literal(scope.own[name])
                values[name] = v if v is not None else (f"{frm}.{name}" if frm else name)
                if v is None:
                    exprs.append(name)
            out["args"] = values
            if exprs:
                out["expr_args"] = sorted(exprs)
            return out
        return flat(node)

    def inputs_of(self, name, value, scope: Scope, inputs, exprs, deps):
        if isinstance(value, str):
            exprs[f"inputs.{name}"] = value
            return
        node = unwrap(value)
        if name == "optional-dependencies" and node is not None and node.type in ATTRSET_TYPES:
            for parts, v, _ in bindings(node):
                self.inputs_of(f"{name}.{'.'.join(parts)}", v, scope, inputs, exprs, deps)
            return
        items, rest = [], []
        self.list_items(value, scope, (), items, rest, deps, 0)
        if items or not rest:
            inputs[name] = items
        if rest:
            exprs[f"inputs.{name}"] = " ++ ".join(rest)

    def list_items(self, expr, scope: Scope, withs: tuple, items, rest, deps, depth):
        """Items of an input list: `[..]`, `++`, `lib.optional(s)`, `with x; [..]`, `if`, let-bound lists,
        `builtins.attrValues { inherit (set) a b; }`; what is none of those goes to `rest`."""
        e = expr
        while e is not None and e.type in ("parenthesized_expression", "with_expression", "assert_expression"):
            if e.type == "with_expression":
                withs = withs + (flat(e.child_by_field_name("environment")),)
                e = e.child_by_field_name("body")
            elif e.type == "assert_expression":
                e = e.child_by_field_name("body")
            else:
                e = e.named_child(0)
        if e is None or depth > 8:
            return
        t = e.type
        if t == "list_expression":
            for c in e.named_children:
                if c.type != "comment":
                    self.item(flat(c), scope, withs, items, deps)
        elif t == "binary_expression":
            for side in ("left", "right"):
                self.list_items(e.child_by_field_name(side), scope, withs, items, rest, deps, depth + 1)
        elif t == "if_expression":
            for side in ("consequence", "alternative"):
                self.list_items(e.child_by_field_name(side), scope, withs, items, rest, deps, depth + 1)
        elif t == "apply_expression":
            fn = callee(e).rsplit(".", 1)[-1]
            a = args(e)
            if fn == "optionals" and a:
                self.list_items(a[-1], scope, withs, items, rest, deps, depth + 1)
            elif fn == "optional" and a:
                self.item(flat(unwrap(a[-1])), scope, withs, items, deps)
            elif fn == "attrValues" and a and unwrap(a[-1]) is not None and unwrap(a[-1]).type in ATTRSET_TYPES:
                s = unwrap(a[-1])
                for name, frm, _ in inherits(s):
                    self.item(f"{frm}.{name}" if frm else name, scope, withs, items, deps)
                for _, v, _ in bindings(s):
                    self.item(flat(v), scope, withs, items, deps)
            elif fn in ("concatLists", "flatten") and a and unwrap(a[-1]) is not None \
                    and unwrap(a[-1]).type == "list_expression":
                for c in unwrap(a[-1]).named_children:
                    self.list_items(c, scope, withs, items, rest, deps, depth + 1)
            else:
                rest.append(flat(e))
        elif t == "select_expression" and scope.prev and flat(e).split(".", 1)[0] == scope.prev[0] \
                and flat(e).split(".", 1)[1] in scope.prev[1]:   # prevAttrs.buildInputs ++ [ .. ]
            self.list_items(scope.prev[1][flat(e).split(".", 1)[1]], scope, withs, items, rest, deps, depth + 1)
        elif t == "variable_expression" and flat(e) not in self.inputs:
            target = scope.lookup(flat(e))
            if target is not None and not isinstance(target, str):
                self.list_items(target, scope, withs, items, rest, deps, depth + 1)
            else:
                rest.append(flat(e))
        else:
            rest.append(flat(e))

    def item(self, item: str, scope: Scope, withs: tuple, items: list, deps: list):
        items.append(item)
        root = root_name(item)
        if root in self.inputs and root not in PACKAGE_SETS:   # `pkgs.kmod`: kmod is no input of the file
            dep = root
        else:
            dep = None
            target = scope.lookup(root)   # let alias: `libvncserver-patched = libvncserver.overrideAttrs ..`
            if target is not None and not isinstance(target, str):
                r = root_name(callee(unwrap(target)) if unwrap(target).type == "apply_expression"
                              else flat(unwrap(target)))
                dep = r if r in self.inputs else None
            if dep is None:   # `with python3Packages; [ requests ]`
                dep = next((root_name(w) for w in reversed(withs) if root_name(w) in self.inputs
                            and root_name(w) not in PACKAGE_SETS), None)
        if dep is not None and dep not in deps:
            deps.append(dep)

    def meta_bindings(self, m, scope: Scope, attrs) -> dict:
        """meta's entries: `meta = { .. }`, `meta = with lib; { .. }`, `meta = old // { .. }`,
        `meta.x = ..` bindings and `inherit` inside meta."""
        out: dict = {}
        if isinstance(m, dict):
            return {k: v for k, v in m.items() if k in META_KEYS}
        node = unwrap(m)
        if node is not None and node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "//":
            out.update(self.meta_bindings(node.child_by_field_name("left"), scope, attrs))
            out.update(self.meta_bindings(node.child_by_field_name("right"), scope, attrs))
            return out
        for parts, v, _ in bindings(node):
            if parts and parts[0] in META_KEYS and len(parts) == 1:
                out[parts[0]] = v
        for name, frm, _ in inherits(node):
            if name in META_KEYS:
                target = scope.lookup(name) if frm is None else None
                out[name] = target if target is not None else (f"{frm}.{name}" if frm else name)
        return out

    def license(self, value, scope: Scope):
        """`licenses.mit` -> 'mit'; a list -> names; a string stays whole; `{ fullName = ..; }` -> its name."""
        if isinstance(value, str):
            return None
        e = unwrap(value)
        if e is None:
            return None
        if e.type == "list_expression":
            out = [self.license(c, scope) for c in e.named_children if c.type != "comment"]
            return out if out and all(x is not None for x in out) else None
        if e.type in ("string_expression", "indented_string_expression"):
            return scope.literal(e)
        if e.type == "variable_expression":
            return text(e)
        if e.type == "select_expression" and e.child_by_field_name("default") is None:
            path = e.child_by_field_name("attrpath")
            last = path.named_children[-1] if path is not None and path.named_children else None
            return text(last) if last is not None and last.type == "identifier" else None
        if e.type in ATTRSET_TYPES:
            kv = {p[0]: v for p, v, _ in bindings(e) if len(p) == 1}
            for k in ("shortName", "spdxId", "fullName"):
                if k in kv and scope.literal(kv[k]) is not None:
                    return scope.literal(kv[k])
        return None

    def path_name(self) -> str:
        parts = self.path.split("/")
        if parts[-1] in ("default.nix", "package.nix") and len(parts) > 1:
            return parts[-2]
        return parts[-1].removesuffix(".nix")

    # -- options --------------------------------------------------------------------------------------

    def option(self, path: list[str], meta: dict, call: ts.Node, binding: ts.Node):
        name = ".".join(path)
        doc = meta.get("description") or _comment_before(binding)
        typ = (meta.get("type") or "").removeprefix("lib.")
        self.node(f"option:{name}", "option", path[-1] if path else name, name, binding,
                  signature=f"{name} : {typ}".strip(" :"), doc=doc, meta=meta)

    def scan(self, root: ts.Node):
        """Path references, `throw`/`assert`, and option renames. A byte regex finds the few places
        they can be and the tree is asked only there: a tree-sitter query pass would cost most of a
        parse on every file (see docs/nix-facts.md, "Speed")."""
        for _, kind, m in _scan_hits(self.src):
            n = root.named_descendant_for_byte_range(m.start(kind), m.end(kind))
            if n is None or n.type in ("comment", "string_fragment"):
                continue
            if kind == "ref":
                p = n if n.type == "path_expression" else n.parent
                while p is not None and p.type != "path_expression" and p.start_byte == m.start(kind):
                    p = p.parent
                app = p.parent if p is not None and p.type == "path_expression" else None
                if app is not None and app.type == "apply_expression" and app.child_by_field_name("argument") == p:
                    fn = text(app.child_by_field_name("function")).rsplit(".", 1)[-1]
                    if fn in ("import", "callPackage", "callPackages") or fn.endswith("callPackage"):
                        self.refs.append((self.mid, "imports", text(p), p.start_point[0] + 1))
            elif kind == "imports":
                b = n
                while b is not None and b.type != "binding":
                    b = b.parent
                if b is None or attrpath_parts(b) != ["imports"] or b.start_byte != m.start(kind):
                    continue
                lst = b.child_by_field_name("expression")
                if lst is not None and lst.type == "list_expression":
                    for c in lst.named_children:
                        if c.type == "path_expression":
                            self.refs.append((self.mid, "imports", text(c), c.start_point[0] + 1))
            elif kind == "throw":
                v = n.parent if n.type == "identifier" else None
                app = v.parent if v is not None and v.type == "variable_expression" else None
                if app is None or app.type != "apply_expression" or app.child_by_field_name("function") != v:
                    continue
                arg = app.child_by_field_name("argument")
                msg = _value(arg, 300)
                self.node(f"throw:{arg.start_point[0] + 1}", "throw", msg[:80], f"throw {msg[:80]}", app,
                          signature=f"throw {msg[:120]}", doc=msg)
            elif kind == "assert":
                if n.type != "assert_expression" or n.start_byte != m.start(kind):
                    continue
                c = n.child_by_field_name("condition")
                cond = _value(c, 300)
                self.node(f"assert:{c.start_point[0] + 1}", "assert", cond[:80], f"assert {cond[:80]}", n,
                          signature=f"assert {cond[:120]}", doc=None, meta={"condition": cond})
            elif kind == "rename":
                f = n
                while f is not None and f.type not in ("variable_expression", "select_expression"):
                    f = f.parent
                call = f.parent if f is not None else None
                if call is None or call.type != "apply_expression" or call.child_by_field_name("function") != f:
                    continue
                while call.parent is not None and call.parent.type == "apply_expression" \
                        and call.parent.child_by_field_name("function") == call:
                    call = call.parent   # the whole call, all its arguments
                for fact in rename_facts(call, self.scope):
                    sig = f"{fact['from']} -> {fact['to']}" if fact["to"] else f"{fact['from']} (removed)"
                    self.node(f"rename:{fact['from']}", "option_rename", fact["from"].rsplit(".", 1)[-1],
                              fact["from"], call, signature=sig, doc=fact.get("message") or None, meta=fact)


# Where references, errors and renames can be: `import ./x`, `callPackage ./x`, `imports = [`,
# `throw`, `assert`, `mk...OptionModule`.
# Each kind's regex starts with a literal; the literal's places are found with bytes.find (one fast
# substring search per literal, no pass when it is absent) and the regex is tried only there. An
# alternation of the regexes scans ~10x slower: no literal prefix for the regex engine to skip with.
_RX_IMPORT = re.compile(rb"import\s+(?P<ref>\.{0,2}/|~/)")
_RX_IMPORTS = re.compile(rb"(?P<imports>imports)\s*=")
_RX_CALLPACKAGE = re.compile(rb"callPackages?\s+(?P<ref>\.{0,2}/|~/)")
_RX_THROW = re.compile(rb"(?P<throw>throw)\b")
_RX_ASSERT = re.compile(rb"(?P<assert>assert)\b")
_RX_RENAME = re.compile(rb"(?P<rename>mk(?:Renamed|Removed|Alias|Changed|Merged)OptionModule(?:With)?)\b")
# literal -> the regexes anchored at each of its places (none of them can overlap itself)
_ANCHORED = ((b"import", (_RX_IMPORT, _RX_IMPORTS)), (b"callPackage", (_RX_CALLPACKAGE,)),
             (b"throw", (_RX_THROW,)), (b"assert", (_RX_ASSERT,)))


def _scan_hits(src: bytes) -> list:
    """(start, kind, match) of every place a reference, throw, assert or rename can be, in order."""
    hits = []
    find = src.find
    for lit, rxs in _ANCHORED:
        i = find(lit)
        while i >= 0:
            for rx in rxs:
                m = rx.match(src, i)
                if m is not None:
                    g = m.lastgroup
                    hits.append((m.start(g), g, m))
            i = find(lit, i + 1)
    if b"OptionModule" in src:   # the literal is not the regex's start: one regex pass
        hits.extend((m.start(m.lastgroup), m.lastgroup, m) for m in _RX_RENAME.finditer(src))
    hits.sort(key=lambda h: (h[0], h[1]))
    return hits


def _override_of(body):
    """(what is overridden, override function/attrset) of `x.overrideAttrs (prev: { .. })`, with x a
    name, a select (`prev.mesa`), a call in parentheses (`(opensbi.override { .. })`, `(buildLinux ..)`)."""
    b = unwrap(body)
    if b is None or b.type != "apply_expression" or len(args(b)) != 1:
        return None
    fn = b.child_by_field_name("function")
    path = fn.child_by_field_name("attrpath") if fn.type == "select_expression" else None
    if path is None or path.named_children[-1].type != "identifier" \
            or text(path.named_children[-1]) not in OVERRIDES:
        return None
    arg = unwrap(args(b)[-1])
    if arg is None or arg.type not in ("function_expression", *ATTRSET_TYPES):
        return None
    inner = unwrap(fn.child_by_field_name("expression"))
    if len(path.named_children) > 1:   # `prev.mesa.overrideAttrs`: the attrpath holds `mesa.overrideAttrs`
        inner = fn
    return inner, arg


def _is_fetcher(fn: str) -> bool:
    """`fetchFromGitHub`, `pkgs.fetchurl`, `fetchPypi`, `requireFile` (not `callPackage ./src.nix {}`)."""
    last = fn.rsplit(".", 1)[-1]
    return last.startswith("fetch") or last in FETCHERS


def _base_name(node) -> str | None:
    """The package an override starts from: `mesa`, `prev.mesa`, `opensbi` of `(opensbi.override {..})`."""
    node = unwrap(node)
    if node is not None and node.type == "apply_expression":
        name = callee(node)
        a = args(node)
        if name.rsplit(".", 1)[-1] == "callPackage" and a and a[0].type == "path_expression":
            return f"callPackage {text(a[0])}"   # (callPackage ./dxvk { .. }).overrideAttrs (old: { .. })
        if not name.endswith(".override"):
            return None
        name = name.removesuffix(".override")
    elif node is not None and node.type == "select_expression" and text(node).endswith(".overrideAttrs"):
        name = text(node).removesuffix(".overrideAttrs")
    elif node is not None and node.type in ("variable_expression", "select_expression"):
        name = text(node)
    else:
        return None
    return name if all(p.replace("-", "_").replace("'", "").isidentifier() for p in name.split(".")) else None


def _overridden(base: str) -> str:
    """The builder fact of an override: `mesa.overrideAttrs`, `(callPackage ./dxvk).overrideAttrs`."""
    return f"({base}).overrideAttrs" if " " in base else f"{base}.overrideAttrs"


def _fn_body(node):
    """`prev: { .. }` -> `{ .. }` (the override's attributes); an attrset stays itself."""
    node = unwrap(node)
    while node is not None and node.type == "function_expression":
        node = unwrap(node.child_by_field_name("body"), lets=True)
    return node


# Where a builder taking an attrset can be called: its name, or `pname` in the attrset of any other.
# Each regex starts with a literal (sre then skips to it; a leading look-behind, class or alternation
# is tried at every byte: ~3x slower on home-manager), and the plain words run only when in the file.
_IDENT = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'-")
_PREFIXED = tuple(n for n in ATTR_BUILDERS - TEXT_WRITERS if n.startswith(BUILDER_PREFIX))
_TAILS = "|".join(sorted({*BUILDER_SUFFIX, *(n.removeprefix("build").removeprefix("mk") for n in _PREFIXED)},
                         key=len, reverse=True))
_BUILDER_RES = tuple(re.compile(rf"{pre}(?:[A-Z][\w'-]*?)?(?:{_TAILS})(?![\w'-])".encode()) for pre in BUILDER_PREFIX)
_BUILDER_WORDS = tuple((w.encode(), re.compile(re.escape(w.encode()) + rb"(?![\w'-])"))
                       for w in sorted(ATTR_BUILDERS - TEXT_WRITERS - set(_PREFIXED)) + ["pname"])


def _builder_hits(src: bytes) -> list[tuple[int, int, bool]]:
    """(start, end, is_pname) of every word that can name a builder call, in file order."""
    hits = [(m.start(), m.end(), w == b"pname") for w, rx in _BUILDER_WORDS if w in src for m in rx.finditer(src)
            if m.start() == 0 or src[m.start() - 1] not in _IDENT]
    hits += [(m.start(), m.end(), False) for rx in _BUILDER_RES for m in rx.finditer(src)
             if m.start() == 0 or src[m.start() - 1] not in _IDENT]   # buildGoModule, mkYarnPackage, mkDerivation
    return sorted(hits)


def _call_at(n, by_pname: bool):
    """The call around the builder name at `n` (its callee) or, for `pname`, around the attrset the
    binding belongs to; None when it is no call."""
    if n is None:
        return None
    if by_pname:   # pname -> attrpath -> binding -> binding_set -> attrset -> (finalAttrs: / rec / //) -> call
        if n.parent is None or n.parent.type != "attrpath" or n.parent.parent is None \
                or n.parent.parent.type != "binding" or n.prev_sibling is not None:
            return None
        node = n.parent.parent.parent.parent
        while node.parent is not None and (node.parent.type in ("parenthesized_expression", "function_expression",
                                                                 "let_expression", "binary_expression")):
            node = node.parent
        app = node.parent
        return app if app is not None and app.type == "apply_expression" \
            and app.child_by_field_name("argument") == node else None
    fn = n.parent   # identifier -> variable_expression, or the last attr of a select's attrpath
    if fn is not None and fn.type == "attrpath":
        if fn.named_children[-1] != n:
            return None
        fn = fn.parent
    node = fn
    while node is not None and node.parent is not None and (
            node.parent.type == "parenthesized_expression"
            or (node.parent.type == "apply_expression" and node.parent.child_by_field_name("function") == node)
            or (node.parent.type == "select_expression" and node.parent.child_by_field_name("expression") == node
                and text(node.parent.child_by_field_name("attrpath")) in ("override", "overrideAttrs"))):
        node = node.parent
    while node is not None and node.type == "parenthesized_expression":
        node = node.named_child(0)
    return node if node is not None and node is not fn and node.type == "apply_expression" else None


def _returns(body, name: str) -> bool:
    """Whether the file's value is the let-bound `name`: `in name`, `if c then throw ".." else name`."""
    body = unwrap(body)
    if body is not None and body.type == "if_expression":
        return any(_returns(body.child_by_field_name(f), name) for f in ("consequence", "alternative"))
    return body is not None and body.type == "variable_expression" and text(body) == name


def _wraps(root, call) -> bool:
    """Whether the file's value is `call` under wrappers only: arguments, parentheses, function and
    `let` bodies (`{ vmTools, .. }: vmTools.runInLinuxVM (stdenv.mkDerivation { .. })`)."""
    p = call
    while p.parent is not None and p.parent.type != "source_code":
        parent = p.parent
        if parent.type == "apply_expression" and parent.child_by_field_name("argument") == p \
                or parent.type in ("function_expression", "let_expression", "with_expression", "assert_expression") \
                and parent.child_by_field_name("body") == p or parent.type == "parenthesized_expression":
            p = parent
        else:
            return False
    return True


def _scope_at(node, scope: Scope) -> Scope:
    """`scope` plus the bindings of every `let` around `node` (outermost first)."""
    lets = []
    p = node.parent
    while p is not None:
        if p.type == "let_expression":
            lets.append(p)
        p = p.parent
    for let in reversed(lets):
        scope = Scope(scope, {n: v for n, v, _ in let_bindings(let)})
    return scope


def _declares_option(expr, depth: int = 0) -> bool:
    """An option declaration, or an attrset with one somewhere inside (`{ a.b = { c = mkOption ..; }; }`)."""
    e = unwrap(expr)
    if e is not None and e.type == "binary_expression":
        e = unwrap(e.child_by_field_name("left"))
    if e is not None and e.type in ATTRSET_TYPES and depth < 4:
        return any(_declares_option(v, depth + 1) for _, v, _ in bindings(e))
    return is_option_call(e)


def _value(node, limit: int = 200):
    """A value as data: strings unquoted, everything else as its source text."""
    s = raw_string(node)
    if s is not None:
        return s[:limit]
    node = unwrap(node)
    return flat(node, limit) if node is not None else None


def _expr_text(value, limit: int = 200) -> str:
    return value if isinstance(value, str) else flat(unwrap(value) or value, limit)



class _NixSpec:
    lang = "nix"

    def extract(self, tree, src, source, path, max_doc=2000):
        with source_of(src):   # `tree` was parsed from `src`: node text is sliced from it
            return NixExtractor(source, path, src, max_doc).run(tree)


SPEC = _NixSpec()
