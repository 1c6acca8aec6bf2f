def test_python_nodes_edges_refs(ex):
    r = ex("python", '''
        """Module doc."""
        import os
        from .models import Item, make_item as mk

        LIMIT = 3
        name = "x"

        class Pantry(Base, mod.Mixin):
            """A pantry."""
            size = 1

            @property
            def add(self, item: Item) -> None:
                """Add it."""
                make_item(item)
                self.helper()

        def make_item(n):
            return Pantry()
        ''', path="pkg/a.py")
    assert r.nodes == [
        ("module", "pkg/a.py", 1, 19),
        ("constant", "LIMIT", 5, 5),
        ("variable", "name", 6, 6),
        ("class", "Pantry", 8, 16),
        ("field", "Pantry.size", 10, 10),
        ("method", "Pantry.add", 13, 16),
        ("function", "make_item", 18, 19),
    ]
    assert r.edges == sorted([
        ("pkg/a.py", "LIMIT", "contains"), ("pkg/a.py", "name", "contains"), ("pkg/a.py", "Pantry", "contains"),
        ("Pantry", "Pantry.size", "contains"), ("Pantry", "Pantry.add", "contains"),
        ("pkg/a.py", "make_item", "contains"),
    ])
    assert r.refs == sorted([
        ("pkg/a.py", "imports", "os"), ("pkg/a.py", "imports", ".models:Item,make_item as mk"),
        ("Pantry", "extends", "Base"), ("Pantry", "extends", "mod.Mixin"),
        ("Pantry.add", "calls", "make_item"), ("Pantry.add", "calls", "self.helper"),
        ("make_item", "calls", "Pantry"),
    ])
    assert r.doc("Pantry") == "A pantry."
    assert r.doc("Pantry.add") == "Add it."
    assert r.sig("Pantry.add") == "def add(self, item: Item) -> None"
    assert r.by_key["pkg/a.py"][10] == "Module doc."
    assert r.res.status == "ok"


def test_python_redefinition_gets_a_stable_suffix(ex):
    r = ex("python", "def f():\n    pass\n\ndef f():\n    pass\n", path="a.py")
    assert [n[1] for n in r.nodes] == ["a.py", "f", "f@2"]
