def test_c(ex):
    r = ex("c", """
        #include <stdio.h>
        #include "counter.h"
        #define MAX_COUNT 100
        int counter_total = 0;
        /* A counter. */
        struct counter { int n; };
        static int bump(struct counter *c) { return ++c->n; }
        int run(void) { struct counter c = {0}; return bump(&c); }
        """, path="counter.c")
    assert r.nodes == [
        ("module", "counter.c", 1, 8),
        ("constant", "MAX_COUNT", 3, 3),
        ("variable", "counter_total", 4, 4),
        ("struct", "counter", 6, 6),
        ("field", "counter.n", 6, 6),
        ("function", "bump", 7, 7),
        ("function", "run", 8, 8),
    ]
    assert r.refs == sorted([("counter.c", "imports", "<stdio.h>"), ("counter.c", "imports", '"counter.h"'),
                             ("run", "calls", "bump")])
    assert r.doc("counter") == "A counter."
    assert r.sig("bump") == "static int bump(struct counter *c)"


def test_cpp_header_and_out_of_class_definitions(ex):
    header = ex("cpp", """
        #pragma once
        #include <string>
        namespace pantry {
        /// One entry.
        struct Entry { std::string name; int qty; };
        class Inventory {
         public:
          void add(const Entry& e);
          int count() const;
         private:
          int total_;
        };
        class CountingInventory : public Inventory { int n; };
        }
        """, path="inv.hpp")
    assert header.nodes == [
        ("module", "inv.hpp", 1, 14),
        ("namespace", "pantry", 3, 14),
        ("struct", "pantry::Entry", 5, 5),
        ("field", "pantry::Entry::name", 5, 5),
        ("field", "pantry::Entry::qty", 5, 5),
        ("class", "pantry::Inventory", 6, 12),
        ("method", "pantry::Inventory::add", 8, 8),
        ("method", "pantry::Inventory::count", 9, 9),
        ("field", "pantry::Inventory::total_", 11, 11),
        ("class", "pantry::CountingInventory", 13, 13),
        ("field", "pantry::CountingInventory::n", 13, 13),
    ]
    assert ("pantry::CountingInventory", "extends", "Inventory") in header.refs
    assert header.doc("pantry::Entry") == "One entry."
    src = ex("cpp", """
        #include "inv.hpp"
        namespace pantry {
        // Adds an entry.
        void Inventory::add(const Entry& e) { total_ += e.qty; log_add(e.name); }
        int Inventory::count() const { return total_; }
        static void log_add(const std::string& s) {}
        }
        """, path="inv.cpp")
    assert src.nodes == [
        ("module", "inv.cpp", 1, 7),
        ("namespace", "pantry", 2, 7),
        ("method", "pantry::Inventory::add", 4, 4),
        ("method", "pantry::Inventory::count", 5, 5),
        ("function", "pantry::log_add", 6, 6),
    ]
    assert ("pantry", "pantry::Inventory::add", "contains") in src.edges
    assert src.refs == sorted([("inv.cpp", "imports", '"inv.hpp"'), ("pantry::Inventory::add", "calls", "log_add")])
    assert src.doc("pantry::Inventory::add") == "Adds an entry."


def test_go_methods_belong_to_their_receiver(ex):
    r = ex("go", """
        package pantry

        import (
        \t"fmt"
        \t"example.com/pantry/store"
        )

        const MaxItems = 10

        // Item is a thing.
        type Item struct { Name string }

        type Storer interface { Store(i Item) error }

        // Describe says what it is.
        func (i *Item) Describe() string { return fmt.Sprintf("%s", i.Name) }

        func New(name string) *Item { it := &Item{Name: name}; it.Describe(); return it }
        """, path="p.go")
    assert r.nodes == [
        ("module", "p.go", 1, 18),
        ("constant", "MaxItems", 8, 8),
        ("struct", "Item", 11, 11),
        ("field", "Item.Name", 11, 11),
        ("interface", "Storer", 13, 13),
        ("method", "Storer.Store", 13, 13),
        ("method", "Item.Describe", 16, 16),
        ("function", "New", 18, 18),
    ]
    assert ("Item", "Item.Describe", "contains") in r.edges
    assert r.refs == sorted([("p.go", "imports", "fmt"), ("p.go", "imports", "example.com/pantry/store"),
                             ("Item.Describe", "calls", "fmt.Sprintf"), ("New", "calls", "it.Describe")])
    assert r.doc("Item.Describe") == "Describe says what it is."


def test_rust_impl_blocks_and_traits(ex):
    r = ex("rust", """
        use std::collections::HashMap;

        /// A shelf.
        pub struct Shelf { items: HashMap<String, u32> }

        pub enum Kind { Dry, Cold }

        /// Can be counted.
        pub trait Countable { fn count(&self) -> usize; }

        impl Countable for Shelf {
            fn count(&self) -> usize { self.items.len() }
        }

        impl Shelf {
            /// New shelf.
            pub fn new() -> Self { Shelf { items: HashMap::new() } }
        }

        pub const LIMIT: u32 = 5;
        fn helper() -> usize { Shelf::new().count() }
        """, path="lib.rs")
    assert r.nodes == [
        ("module", "lib.rs", 1, 21),
        ("struct", "Shelf", 4, 4),
        ("field", "Shelf::items", 4, 4),
        ("enum", "Kind", 6, 6),
        ("trait", "Countable", 9, 9),
        ("method", "Countable::count", 9, 9),
        ("method", "Shelf::count", 12, 12),
        ("method", "Shelf::new", 17, 17),
        ("constant", "LIMIT", 20, 20),
        ("function", "helper", 21, 21),
    ]
    assert ("Shelf", "Shelf::new", "contains") in r.edges
    assert ("Shelf", "implements", "Countable") in r.refs
    assert ("helper", "calls", "Shelf.new") in r.refs
    assert r.doc("Shelf::new") == "New shelf."
