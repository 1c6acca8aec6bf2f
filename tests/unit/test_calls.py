"""Receiver-aware call resolution: one small authored tree per case, every call edge expected exactly."""

import sqlite3

from test_build_graph import build


def calls(tmp_path, files):
    db, _ = build(tmp_path, files)
    con = sqlite3.connect(db)
    rows = con.execute("SELECT src, dst, resolution FROM edges WHERE kind = 'calls' ORDER BY src, dst").fetchall()
    con.close()
    return sorted((s.split(":", 1)[1], d.split(":", 1)[1], how) for s, d, how in rows)


def test_self_and_cls_go_to_the_class_then_its_bases_nearest_first(tmp_path):
    files = {
        "inv/base.py": "class Inventory:\n    def count(self):\n        return 0\n\n"
                       "    def describe(self):\n        return 'x'\n",
        "inv/counting.py": (
            "from inv.base import Inventory\n\n\n"
            "class Counting(Inventory):\n"
            "    def describe(self):\n        return 'y'\n\n"
            "    def report(self):\n        return self.count(), self.describe(), self.missing()\n\n"
            "    @classmethod\n    def make(cls):\n        return cls.count\n\n"
            "    @classmethod\n    def build(cls):\n        return cls.make()\n"),
    }
    assert calls(tmp_path, files) == [
        ("inv/counting.py#Counting.build", "inv/counting.py#Counting.make", "self"),
        ("inv/counting.py#Counting.report", "inv/base.py#Inventory.count", "self"),
        ("inv/counting.py#Counting.report", "inv/counting.py#Counting.describe", "self"),
    ]


def test_an_outside_base_hides_what_lies_past_it(tmp_path):
    files = {"a.py": "import collections\n\nclass Local:\n    def get(self):\n        pass\n\n"
                     "class D(collections.OrderedDict, Local):\n    def run(self):\n        return self.get()\n"}
    assert calls(tmp_path, files) == []   # OrderedDict.get comes first in the MRO


def test_super_goes_to_the_base_method_never_the_caller(tmp_path):
    files = {"a.py": ("class A:\n    def save(self):\n        pass\n\n"
                      "class B(A):\n    def save(self):\n        super().save()\n\n"
                      "class C(B):\n    def save(self):\n        super(B, self).save()\n\n"
                      "class D:\n    def save(self):\n        super().save()\n")}
    assert calls(tmp_path, files) == [
        ("a.py#B.save", "a.py#A.save", "super"),
        ("a.py#C.save", "a.py#A.save", "super"),
    ]


def test_class_calls_and_constructors_through_imports(tmp_path):
    files = {
        "shop/models.py": "class Item:\n    @staticmethod\n    def parse(s):\n        return Item()\n",
        "shop/api.py": "from .models import Item as It\n\n\ndef load(s):\n    return It.parse(s), It()\n",
    }
    assert calls(tmp_path, files) == [
        ("shop/api.py#load", "shop/models.py#Item", "import"),
        ("shop/api.py#load", "shop/models.py#Item.parse", "class"),
        ("shop/models.py#Item.parse", "shop/models.py#Item", "scope"),
    ]


def test_module_functions_through_import_aliases(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/util.py": "def helper():\n    pass\n",
        "app.py": ("import pkg.util\nimport pkg.util as u\nfrom pkg import util\n\n\n"
                   "def main():\n    pkg.util.helper()\n    u.helper()\n    util.helper()\n"),
    }
    assert calls(tmp_path, files) == [("app.py#main", "pkg/util.py#helper", "import")]
    db, _ = build(tmp_path, files, name="u")
    con = sqlite3.connect(db)
    sites = con.execute("SELECT name, dst FROM refs WHERE kind = 'calls' ORDER BY line").fetchall()
    assert sites == [("pkg.util.helper", "u:pkg/util.py#helper"), ("u.helper", "u:pkg/util.py#helper"),
                     ("util.helper", "u:pkg/util.py#helper")]


def test_re_exports_are_followed(tmp_path):
    files = {
        "lib/__init__.py": "from .core import run as start\n",
        "lib/core.py": "def run():\n    pass\n",
        "main.py": "from lib import start\n\n\ndef go():\n    start()\n",
    }
    assert calls(tmp_path, files) == [("main.py#go", "lib/core.py#run", "import")]


def test_outside_names_and_builtins_never_resolve_into_the_repo(tmp_path):
    files = {
        "docs/conf.py": "from pallets_sphinx_themes import get_version\n\nrelease = get_version('x')\n\n\n"
                        "def setup():\n    get_version('y')\n",
        "tools/version.py": "def get_version(name):\n    return name\n",
        "tools/files.py": ("def open(p):\n    pass\n\n\ndef append(x):\n    pass\n\n\ndef startswith(s):\n    pass\n"),
        "app/main.py": ("import re\nimport json\n\n\ndef main(items, s, x):\n    open('f')\n    items.append(1)\n"
                        "    s.startswith('a')\n    str.startswith(s, 'a')\n    re.search('a', s)\n"
                        "    json.dumps(x)\n    type(x)\n"),
        "app/json/__init__.py": "def dumps(x):\n    pass\n",
        "app/__init__.py": "",
    }
    assert calls(tmp_path, files) == []


def test_nested_functions_and_recursion(tmp_path):
    files = {"a.py": ("def outer(n):\n    def inner():\n        return 1\n    return inner() + outer(n - 1)\n\n"
                      "def inner():\n    pass\n")}
    assert calls(tmp_path, files) == [
        ("a.py#outer", "a.py#outer", "scope"),
        ("a.py#outer", "a.py#outer.inner", "scope"),
    ]


def test_unknown_receivers_stay_unresolved(tmp_path):
    files = {"a.py": ("class Store:\n    def add(self):\n        pass\n\n\n"
                      "def use(store, stores):\n    store.add()\n    stores[0].add()\n    make().add()\n\n\n"
                      "def make():\n    return Store()\n"),
             "b.py": "def add():\n    pass\n"}
    db, _ = build(tmp_path, files)
    con = sqlite3.connect(db)
    assert con.execute("SELECT name, dst FROM refs WHERE kind = 'calls' ORDER BY line, name").fetchall() == [
        ("store.add", None), ("?.add", None), ("?.add", None), ("make", "t:a.py#make"), ("Store", "t:a.py#Store")]


def test_java_this_super_and_implicit_this(tmp_path):
    files = {
        "A.java": "class A { void save() {} int size() { return 0; } }\n",
        "B.java": ("class B extends A {\n  void save() { super.save(); this.size(); size(); other.size(); }\n"
                   "  static B make() { return new B(); }\n}\n"),
    }
    assert calls(tmp_path, files) == [
        ("B.java#B.make", "B.java#B", "scope"),
        ("B.java#B.save", "A.java#A.save", "super"),
        ("B.java#B.save", "A.java#A.size", "self"),
    ]


def test_javascript_this_and_bare_functions(tmp_path):
    files = {
        "a.js": ("export function helper() {}\nclass S {\n  run() { this.stop(); helper(); x.stop(); }\n"
                 "  stop() {}\n}\n"),
        "b.js": "class T {\n  stop() {}\n}\n",
    }
    assert calls(tmp_path, files) == [("a.js#S.run", "a.js#S.stop", "self"), ("a.js#S.run", "a.js#helper", "scope")]


def test_go_package_calls_and_receiver_methods(tmp_path):
    files = {
        "store/store.go": "package store\nfunc Open() int { return 1 }\n",
        "store/item.go": "package store\ntype Item struct{}\nfunc (i *Item) Name() string { return i.Kind() }\n",
        "store/kind.go": "package store\nfunc (i *Item) Kind() string { return \"\" }\n",
        "cmd/main.go": ('package main\nimport st "example.com/x/store"\nimport "fmt"\n'
                        "func main() { st.Open(); fmt.Println() }\n"),
    }
    assert calls(tmp_path, files) == [
        ("cmd/main.go#main", "store/store.go#Open", "import"),
        ("store/item.go#Item.Name", "store/kind.go#Item.Kind", "self"),
    ]


def test_rust_self_and_type_paths(tmp_path):
    files = {"lib.rs": ("struct Shelf {}\nimpl Shelf {\n  fn new() -> Self { Shelf {} }\n"
                        "  fn len(&self) -> usize { self.count() }\n  fn count(&self) -> usize { 0 }\n}\n"
                        "fn helper() { let s = Shelf::new(); s.len(); Vec::new(); }\n")}
    assert calls(tmp_path, files) == [
        ("lib.rs#Shelf::len", "lib.rs#Shelf::count", "self"),
        ("lib.rs#helper", "lib.rs#Shelf::new", "class"),
    ]


def test_typescript_unknown_receivers_never_bind_to_a_unique_method(tmp_path):
    files = {"a.ts": "export class Cart {\n  checkout(): void {}\n}\n",
             "b.ts": "export function pay(c: any) { c.checkout(); window.checkout(); }\n"}
    assert calls(tmp_path, files) == []


def test_c_bare_calls_bind_to_the_one_function_of_that_name(tmp_path):
    files = {"util.c": "int bump(int x) { return x + 1; }\n",
             "main.c": "int bump(int x);\nint main(void) { return bump(1) + s.run(); }\n"}
    assert calls(tmp_path, files) == [("main.c#main", "util.c#bump", "heuristic")]


def test_cpp_this_and_implicit_this(tmp_path):
    files = {"a.cpp": ("class Base { public: int size() { return 0; } };\n"
                       "class Box : public Base { public: int area() { return this->size() + size(); } };\n")}
    assert calls(tmp_path, files) == [("a.cpp#Box::area", "a.cpp#Base::size", "self")]


def test_locals_bound_to_a_constructor(tmp_path):
    files = {
        "web/app.py": "class Flask:\n    def route(self):\n        pass\n\n    def run(self):\n        pass\n",
        "site.py": ("from web.app import Flask\n\napp = Flask()\napp.route()\n\n\n"
                    "def main():\n    app.run()\n\n\ndef other(app):\n    app.run()\n\n\n"
                    "def twice():\n    x = Flask()\n    x = make()\n    x.run()\n\n\n"
                    "def make():\n    y = Flask()\n    y.run()\n"),
    }
    assert calls(tmp_path, files) == [
        ("site.py", "web/app.py#Flask.route", "instance"),
        ("site.py#app", "web/app.py#Flask", "import"),
        ("site.py#main", "web/app.py#Flask.run", "instance"),
        ("site.py#make", "web/app.py#Flask", "import"),
        ("site.py#make", "web/app.py#Flask.run", "instance"),
        ("site.py#twice", "site.py#make", "scope"),
        ("site.py#twice", "web/app.py#Flask", "import"),
    ]
