def test_java(ex):
    r = ex("java", """
        package org.pantry;

        import java.util.List;
        import org.pantry.Item;

        /** Something storable. */
        interface Storable { int capacity(); }

        /**
         * A shelf.
         */
        public class Shelf extends Base implements Storable {
            public static final int MAX = 10;
            private List<Item> items;

            public Shelf() { this.items = new ArrayList<>(); }

            /** Capacity. */
            public int capacity() { return items.size() + helper(); }
            int helper() { return MAX; }
        }
        """, path="Shelf.java")
    assert r.nodes == [
        ("module", "Shelf.java", 1, 21),
        ("interface", "Storable", 7, 7),
        ("method", "Storable.capacity", 7, 7),
        ("class", "Shelf", 12, 21),
        ("constant", "Shelf.MAX", 13, 13),
        ("field", "Shelf.items", 14, 14),
        ("method", "Shelf.Shelf", 16, 16),
        ("method", "Shelf.capacity", 19, 19),
        ("method", "Shelf.helper", 20, 20),
    ]
    assert ("Shelf", "Shelf.capacity", "contains") in r.edges
    assert r.refs == sorted([
        ("Shelf.java", "imports", "java.util.List"), ("Shelf.java", "imports", "org.pantry.Item"),
        ("Shelf", "extends", "Base"), ("Shelf", "implements", "Storable"),
        ("Shelf.Shelf", "calls", "ArrayList"),
        ("Shelf.capacity", "calls", "helper"), ("Shelf.capacity", "calls", "items.size"),
    ])
    assert r.doc("Shelf") == "A shelf."
    assert r.doc("Shelf.capacity") == "Capacity."
    assert r.sig("Shelf") == "public class Shelf extends Base implements Storable"


def test_typescript(ex):
    r = ex("typescript", """
        import { fetchJson } from "./util";

        /** A DTO. */
        export interface ItemDto { name: string }

        export const DEFAULT_BASE_URL = "http://localhost";

        /** Client. */
        export class PantryClient extends Base implements Client {
          async list(): Promise<ItemDto[]> { return fetchJson(DEFAULT_BASE_URL); }
        }

        export const mk = (x: number) => new PantryClient();
        function helper() { return mk(1); }
        """, path="api.ts")
    assert r.nodes == [
        ("module", "api.ts", 1, 14),
        ("interface", "ItemDto", 4, 4),
        ("constant", "DEFAULT_BASE_URL", 6, 6),
        ("class", "PantryClient", 9, 11),
        ("method", "PantryClient.list", 10, 10),
        ("function", "mk", 13, 13),
        ("function", "helper", 14, 14),
    ]
    assert r.refs == sorted([
        ("api.ts", "imports", "./util"),
        ("PantryClient", "extends", "Base"), ("PantryClient", "implements", "Client"),
        ("PantryClient.list", "calls", "fetchJson"), ("mk", "calls", "PantryClient"), ("helper", "calls", "mk"),
    ])
    assert r.doc("ItemDto") == "A DTO."
    assert r.doc("PantryClient") == "Client."


def test_javascript(ex):
    r = ex("javascript", """
        const fs = require("fs");
        import { a } from "./api.js";
        /** Double it. */
        const double = (x) => x * 2;
        class A extends B { run() { return double(2); } }
        module.exports = { double };
        """, path="u.js")
    assert r.nodes == [
        ("module", "u.js", 1, 6),
        ("variable", "fs", 1, 1),
        ("function", "double", 4, 4),
        ("class", "A", 5, 5),
        ("method", "A.run", 5, 5),
    ]
    assert r.refs == sorted([
        ("fs", "calls", "require"), ("u.js", "imports", "fs"), ("u.js", "imports", "./api.js"),
        ("A.run", "calls", "double"), ("A", "extends", "B"),
    ])
    assert r.doc("double") == "Double it."
