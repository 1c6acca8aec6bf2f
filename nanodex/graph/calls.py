"""Receiver-aware resolution of calls and base classes, per language (precision first).

A call ref's name is `[receiver.]name` (see lang/base.py `callee`). How a ref resolves is recorded on
its edge (`resolution`):
- `scope`: a bare name bound in the caller's own file (enclosing functions, then the module);
- `import`: a bare name, `module.f` or `Class.m` reached through the file's imports (Python: aliases
  followed, re-exports in `__init__.py` followed; a name imported from outside the repo never resolves);
- `self`: `self.m()` / `cls.m()` / `this.m()` / bare `m()` in a Java/C++ method: the method of the
  caller's class or its bases, nearest first along `extends`;
- `super`: `super().m()` / `super(X, self).m()` / `super.m()`: the bases' method, never the caller;
- `class`: `Class.m()` / `Type::f()`, the receiver naming a type;
- `instance`: Python `x.m()` where `x = C(...)` is the one binding of `x` in the caller's function (or,
  when no parameter hides it, an enclosing function or the module) and `C` resolves to a class;
- `heuristic`: languages without import binding (JS/TS/C/C++/Java/Go/Rust bare function names): the
  one function of that name in the source.
Unknown receivers (`x.m()`, `f().m()`), builtins and external names stay unresolved in `refs`.
"""

from __future__ import annotations

import posixpath
import re
import sqlite3
from collections import defaultdict

CALLABLE = {"function", "method", "class", "struct"}
TYPES = {"class", "struct", "interface", "trait", "type", "enum"}
FUNCS = {"function", "method"}
SELF = {"python": ("self", "cls"), "java": ("this",), "javascript": ("this",), "typescript": ("this",),
        "tsx": ("this",), "cpp": ("this",), "rust": ("self", "Self")}
SUPER = {"java", "javascript", "typescript", "tsx"}
IMPLICIT_SELF = {"java", "cpp"}   # a bare m() inside a method may be this.m()
MAX_HOPS = 6                      # re-export chains, MRO depth


class Graph:
    """The code nodes of one source, indexed for scope lookups."""

    def __init__(self, con: sqlite3.Connection):
        self.node: dict[str, tuple] = {}                  # id -> (kind, name, qual, path, lang, signature)
        self.by_pq: dict[tuple[str, str], str] = {}       # (path, qualified name) -> last id
        self.by_name: dict[tuple[str, str], list] = defaultdict(list)   # (lang, name) -> ids
        self.dir_q: dict[tuple[str, str], list] = defaultdict(list)     # (dir, qual) -> ids (Go packages)
        self.modules: dict[str, str] = {}                 # path -> module id
        for nid, kind, name, qual, path, lang, sig in con.execute(
                "SELECT id, kind, name, qualified_name, path, lang, signature FROM nodes "
                "WHERE lang NOT IN ('nix') AND kind NOT IN ('page', 'section', 'topic', 'post') ORDER BY rowid"):
            self.node[nid] = (kind, name, qual, path, lang, sig)
            if kind == "module":
                self.modules[path] = nid
                continue
            self.by_pq[(path, qual)] = nid   # the last definition wins (Python: @overload stubs come first)
            self.by_name[(lang, name)].append(nid)
            if lang == "go":
                self.dir_q[(posixpath.dirname(path), qual)].append(nid)
        self.bases: dict[str, list] = defaultdict(list)  # class id -> resolved base ids (None: outside)

    def kind(self, nid):
        return self.node[nid][0]


def _sep(lang: str) -> str:
    return "::" if lang in ("rust", "cpp") else "."


def _names(qual: str, name: str) -> bool:
    """Does qualified name `qual` (`a::B`, `pkg.B`) end with the dotted name `name` (`B`, `a.B`)?"""
    q = qual.replace("::", ".")
    return q == name or q.endswith("." + name)


_PARAM = re.compile(r"[(,]\s*\**([A-Za-z_]\w*)")


def _params(signature: str | None) -> set[str]:
    """Parameter names of a Python `def f(a, b: int = 1, *c)` signature (roughly: names after `(` or `,`)."""
    if not signature or "(" not in signature:
        return set()
    return set(_PARAM.findall(signature[signature.index("("):]))


def _prefixes(qual: str, sep: str):
    """`A.f.g` -> `A.f.g`, `A.f`, `A` (innermost first)."""
    parts = qual.split(sep)
    for i in range(len(parts), 0, -1):
        yield sep.join(parts[:i])


class Resolver:
    def __init__(self, g: Graph, imports: dict[str, list[str]], module_index):
        self.g = g
        self.module_index = module_index   # (path, "a.b") -> in-repo module path or None
        self.bind: dict[str, dict] = {}    # Python: path -> {name: ("mod", path) | ("sym", path, name) | ("ext",)}
        self.star: dict[str, list] = {}
        self.go_pkgs: dict[str, dict[str, str]] = {}
        self.inst: dict[tuple, str] = {}   # (path, scope qual, local name) -> class id
        for path, specs in imports.items():
            self._bindings(path, specs)

    # -- Python imports ---------------------------------------------------------------------------
    def _bindings(self, path: str, specs: list[str]) -> None:
        b, star = {}, []
        for spec in specs:
            if ":" not in spec:   # import a.b [as x]
                mod, _, alias = spec.partition(" as ")
                if alias:
                    target = self.module_index(path, mod)
                    b[alias] = ("mod", target) if target else ("ext",)
                else:
                    top = mod.split(".", 1)[0]
                    target = self.module_index(path, top)
                    b[top] = ("mod", target) if target else ("ext",)
                continue
            mod, _, names = spec.partition(":")
            target = self.module_index(path, mod)
            for item in filter(None, names.split(",")):
                name, _, alias = item.partition(" as ")
                if name == "*":
                    if target:
                        star.append(target)
                    continue
                b[alias or name] = ("sym", target, name) if target else ("ext",)
        self.bind[path] = b
        self.star[path] = star

    def symbol(self, mpath: str, name: str, hops: int = 0):
        """What `name` is in module `mpath`: a node id, ("mod", path), or None."""
        if hops > MAX_HOPS:
            return None
        nid = self.g.by_pq.get((mpath, name))
        if nid is not None:
            return nid
        bound = self.bind.get(mpath, {}).get(name)
        if bound is not None:
            return self._follow(bound, hops + 1)
        if mpath.endswith("__init__.py"):   # a submodule of a package
            base = posixpath.dirname(mpath)
            for cand in (f"{base}/{name}.py", f"{base}/{name}/__init__.py"):
                if cand in self.g.modules:
                    return ("mod", cand)
        for other in self.star.get(mpath, []):
            hit = self.symbol(other, name, hops + 1)
            if hit is not None:
                return hit
        return None

    def _follow(self, bound, hops: int):
        if bound[0] == "ext":
            return None
        if bound[0] == "mod":
            return bound
        _, mpath, name = bound
        return self.symbol(mpath, name, hops)

    def py_name(self, path: str, name: str, qual: str | None):
        """A bare Python name seen from scope `qual` of file `path`: enclosing functions, module, imports."""
        if qual:
            for pre in _prefixes(qual, "."):
                owner = self.g.by_pq.get((path, pre))
                if owner is not None and self.g.kind(owner) in FUNCS:
                    nid = self.g.by_pq.get((path, f"{pre}.{name}"))
                    if nid is not None:
                        return nid
        nid = self.g.by_pq.get((path, name))
        if nid is not None:
            return nid
        bound = self.bind.get(path, {}).get(name)
        if bound is not None:
            return self._follow(bound, 0)
        for other in self.star.get(path, []):
            hit = self.symbol(other, name)
            if hit is not None:
                return hit
        return None

    def py_chain(self, path: str, dotted: str, qual: str | None):
        """`a.b.c` -> what it names (node id or ("mod", path)), through modules and class scopes."""
        first, *rest = dotted.split(".")
        cur = self.py_name(path, first, qual)
        for part in rest:
            if cur is None:
                return None
            if isinstance(cur, tuple):
                cur = self.symbol(cur[1], part)
            elif self.g.kind(cur) in TYPES:
                cur = self.member(cur, part)
            else:
                return None
        return cur

    # -- classes ----------------------------------------------------------------------------------
    def mro(self, cls: str):
        """The class, then its bases depth-first left to right (nearest first); None marks a base outside
        the graph, past which nothing is known."""
        out, seen, stack = [], set(), [(cls, 0)]
        while stack:
            c, depth = stack.pop()
            if c is None:
                out.append(None)
                continue
            if c in seen or depth > MAX_HOPS:
                continue
            seen.add(c)
            out.append(c)
            stack.extend((b, depth + 1) for b in reversed(self.g.bases.get(c, [])))
        return out

    def member(self, cls: str, name: str, skip_self: bool = False):
        """The member `name` of class `cls` or its nearest base; None when unknown or past an outside base."""
        for c in self.mro(cls)[1 if skip_self else 0:]:
            if c is None:
                return None
            kind, _, qual, path, lang, _ = self.g.node[c]
            sep = _sep(lang)
            nid = self.g.by_pq.get((path, f"{qual}{sep}{name}"))
            if nid is None and lang == "go":
                hits = self.g.dir_q.get((posixpath.dirname(path), f"{qual}.{name}"), [])
                nid = hits[0] if len(hits) == 1 else None
            if nid is None and lang == "rust":   # impl blocks in another file of the crate
                hits = [h for h in self.g.by_name.get((lang, name), []) if self.g.node[h][2] == f"{qual}::{name}"]
                nid = hits[0] if len(hits) == 1 else None
            if nid is not None:
                return nid
        return None

    def enclosing_class(self, src: str):
        kind, _, qual, path, lang, _ = self.g.node[src]
        sep = _sep(lang)
        for pre in list(_prefixes(qual, sep))[1:] if kind != "module" else []:
            nid = self.g.by_pq.get((path, pre))
            if nid is not None and self.g.kind(nid) in TYPES:
                return nid
        if lang in ("go", "rust") and kind == "method":   # owner type defined elsewhere (Go file, impl)
            owner = qual.rsplit(sep, 1)[0]
            return self.type_named(lang, path, owner)
        return None

    def type_named(self, lang: str, path: str, name: str):
        """A type by name: in the file, else (Go) the package, else the one of that name in the source."""
        nid = self.g.by_pq.get((path, name))
        if nid is not None and self.g.kind(nid) in TYPES:
            return nid
        if lang == "go":
            hits = [h for h in self.g.dir_q.get((posixpath.dirname(path), name), []) if self.g.kind(h) in TYPES]
            return hits[0] if len(hits) == 1 else None
        last = name.rsplit(".", 1)[-1]
        hits = [h for h in self.g.by_name.get((lang, last), []) if self.g.kind(h) in TYPES
                and _names(self.g.node[h][2], name)]
        return hits[0] if len(hits) == 1 else None

    # -- Python locals bound to a constructor: `app = Flask(...)`; `app.route()` -----------------------
    def _scope_of(self, src: str) -> tuple[str, str]:
        """(path, qual of the function or module whose locals a ref's `src` sees); a module-level
        variable's own node stands for its module."""
        kind, _, qual, path, _, _ = self.g.node[src]
        if kind in ("variable", "constant", "field"):
            qual = qual.rpartition(".")[0]
        return path, "" if kind == "module" else qual

    def instances(self, assigns) -> list[tuple]:
        """Record each `x = C(...)` whose callee is a class; a name bound twice in one scope to different
        things (or to anything but a class) is unknown. Returns the assigns rows that resolved."""
        seen: dict[tuple, set] = defaultdict(set)
        rows = []
        for rid, src, spec in assigns:
            var, _, text = spec.partition("=")
            path, qual = self._scope_of(src)
            dst, _ = self._py_call(src, path, qual or None, *text.rpartition(".")[::2])
            seen[(path, qual, var)].add(dst if dst is not None and self.g.kind(dst) in TYPES else None)
            if dst is not None and self.g.kind(dst) in TYPES:
                rows.append((rid, src, dst, "assigns", "instance"))
        self.inst = {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and None not in v}
        return rows

    def instance(self, src: str, var: str):
        """The class of local `var` seen from `src`: innermost function first, then the module; a parameter
        of that name in between hides the outer binding."""
        path, qual = self._scope_of(src)
        scopes = list(_prefixes(qual, ".")) if qual else []
        for pre in scopes:
            hit = self.inst.get((path, pre, var))
            if hit is not None:
                return hit
            owner = self.g.by_pq.get((path, pre))
            if owner is not None and self.g.kind(owner) in FUNCS and var in _params(self.g.node[owner][5]):
                return None
        return self.inst.get((path, "", var))

    # -- bases ------------------------------------------------------------------------------------
    def base(self, src: str, name: str):
        kind, _, qual, path, lang, _ = self.g.node[src]
        if lang == "python":
            scope = qual.rsplit(".", 1)[0] if "." in qual else None
            hit = self.py_chain(path, name, scope)
            return (hit, "import" if hit is not None and self.g.node[hit][3] != path else "scope") \
                if isinstance(hit, str) and self.g.kind(hit) in TYPES else (None, None)
        hit = self.type_named(lang, path, name)
        if hit is None:
            return None, None
        return hit, "scope" if self.g.node[hit][3] == path else "heuristic"

    # -- calls ------------------------------------------------------------------------------------
    def call(self, src: str, ref: str):
        """(target id, how) or (None, None)."""
        kind, _, qual, path, lang, sig = self.g.node[src]
        recv, _, name = ref.rpartition(".")
        scope = qual if kind != "module" else None
        if lang == "python":
            return self._py_call(src, path, scope, recv, name)
        return self._other_call(src, kind, qual, path, lang, sig, recv, name)

    def _callable(self, hit, how):
        if isinstance(hit, str) and self.g.kind(hit) in CALLABLE:
            return hit, how
        return None, None

    def _py_call(self, src, path, scope, recv, name):
        if not recv:
            hit = self.py_name(path, name, scope)
            if isinstance(hit, str):
                return self._callable(hit, "scope" if self.g.node[hit][3] == path else "import")
            return None, None
        if recv in ("self", "cls"):
            cls = self.enclosing_class(src)
            return self._callable(self.member(cls, name), "self") if cls else (None, None)
        if recv.startswith("super(") and recv.endswith(")"):
            inner = recv[6:-1]
            cls = self.py_chain(path, inner, scope) if inner else self.enclosing_class(src)
            if not isinstance(cls, str) or self.g.kind(cls) not in TYPES:
                return None, None
            hit = self.member(cls, name, skip_self=True)
            return self._callable(hit, "super") if hit != src else (None, None)
        if "?" in recv or "(" in recv:   # `f().m()`, `super().x.m()`: the receiver's type is unknown
            return None, None
        if "." not in recv:
            cls = self.instance(src, recv)
            if cls is not None:
                return self._callable(self.member(cls, name), "instance")
        target = self.py_chain(path, recv, scope)
        if target is None:
            return None, None
        if isinstance(target, tuple):
            return self._callable(self.symbol(target[1], name), "import")
        if self.g.kind(target) in TYPES:
            return self._callable(self.member(target, name), "class")
        return None, None

    def _other_call(self, src, kind, qual, path, lang, sig, recv, name):
        g = self.g
        if not recv:
            if lang in IMPLICIT_SELF and kind == "method":
                cls = self.enclosing_class(src)
                hit = self.member(cls, name) if cls else None
                if hit is not None:
                    return self._callable(hit, "self")
            nid = g.by_pq.get((path, name))
            if nid is not None and g.kind(nid) in CALLABLE:
                return nid, "scope"
            if lang == "go":
                hits = [h for h in g.dir_q.get((posixpath.dirname(path), name), []) if g.kind(h) in CALLABLE]
                return (hits[0], "scope") if len(hits) == 1 else (None, None)
            # A bare call never names another class's method: only free functions and types compete.
            hits = [h for h in g.by_name.get((lang, name), []) if g.kind(h) in ("function", "class", "struct")]
            return (hits[0], "heuristic") if len(hits) == 1 else (None, None)
        if "?" in recv:
            return None, None
        if recv in SELF.get(lang, ()):
            cls = self.enclosing_class(src)
            return self._callable(self.member(cls, name), "self") if cls else (None, None)
        if recv == "super" and lang in SUPER:
            cls = self.enclosing_class(src)
            if cls is None:
                return None, None
            hit = self.member(cls, name, skip_self=True)
            return self._callable(hit, "super") if hit != src else (None, None)
        if lang == "go":
            if "." not in recv and sig and sig.startswith("func (") and kind == "method":
                var = sig[6:].split(")", 1)[0].split()
                if len(var) == 2 and var[0] == recv:   # the method's receiver variable
                    cls = self.enclosing_class(src)
                    return self._callable(self.member(cls, name), "self") if cls else (None, None)
            pkg = self.go_pkgs.get(path, {}).get(recv)
            if pkg:
                hits = [h for h in g.dir_q.get((pkg, name), []) if g.kind(h) in CALLABLE]
                return (hits[0], "import") if len(hits) == 1 else (None, None)
            return None, None
        # Class.m() / Type::f() / ns::f(): only a receiver that names a type (or C++ namespace) resolves.
        cls = self.type_named(lang, path, recv)
        if cls is not None:
            return self._callable(self.member(cls, name), "class")
        return None, None


def _go_packages(go_imports: dict[str, list[str]], go_dir) -> dict[str, dict[str, str]]:
    """Go: file -> {package name used in calls -> in-repo package directory}."""
    out: dict[str, dict[str, str]] = {}
    for path, specs in go_imports.items():
        for spec in specs:
            imp, _, alias = spec.partition(" as ")
            d = go_dir(imp)
            if d is not None and alias not in ("_", "."):
                parts = [p for p in imp.split("/") if p]
                if len(parts) > 1 and parts[-1][:1] == "v" and parts[-1][1:].isdigit():   # .../v2
                    parts.pop()
                out.setdefault(path, {})[alias or parts[-1]] = d
    return out


def resolve_code(con: sqlite3.Connection, py_module, go_dir) -> list[tuple]:
    """Resolve calls/extends/implements (and Python assigns) refs of code; return (ref rowid, src, dst, kind,
    how) rows; an `assigns` row is a fact for `refs.dst` only, not an edge.
    `py_module(path, "a.b")` finds an in-repo Python module, `go_dir("x/y")` an in-repo Go package."""
    g = Graph(con)
    imports: dict[str, list[str]] = defaultdict(list)
    go_imports: dict[str, list[str]] = defaultdict(list)
    refs, assigns = [], []
    for rid, src, kind, name in con.execute(
            "SELECT r.rowid, r.src, r.kind, r.name FROM refs r "
            "WHERE r.kind IN ('calls', 'extends', 'implements', 'imports', 'assigns') ORDER BY r.rowid"):
        node = g.node.get(src)
        if node is None:
            continue
        if kind == "assigns":
            if node[4] == "python":
                assigns.append((rid, src, name))
            continue
        if kind == "imports":
            if node[4] == "python":
                imports[node[3]].append(name)
            elif node[4] == "go":
                go_imports[node[3]].append(name)
            continue
        refs.append((rid, src, kind, name))
    r = Resolver(g, imports, py_module)
    r.go_pkgs = _go_packages(go_imports, go_dir)
    out = []
    for rid, src, kind, name in refs:   # bases first: calls walk the MRO
        if kind == "calls":
            continue
        dst, how = r.base(src, name)
        g.bases[src].append(dst)
        if dst is not None and dst != src:
            out.append((rid, src, dst, kind, how))
    out.extend(r.instances(assigns))
    for rid, src, kind, name in refs:
        if kind != "calls":
            continue
        dst, how = r.call(src, name)
        if dst is not None:   # a self-loop here is real recursion (super() never returns the caller)
            out.append((rid, src, dst, kind, how))
    return out
