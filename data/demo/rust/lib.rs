//! Core stock-keeping types for the pantry service.

use std::collections::HashMap;

/// Default number of units added when restocking an item.
pub const RESTOCK_AMOUNT: u32 = 4;

/// How an item should be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// Room temperature, e.g. a cupboard.
    Shelf,
    /// Refrigerated.
    Fridge,
    /// Frozen.
    Freezer,
}

/// Something that keeps count of items.
pub trait Stock {
    /// Adds `qty` units of `name`.
    fn add(&mut self, name: &str, qty: u32);

    /// Returns how many units of `name` are stored.
    fn count(&self, name: &str) -> u32;
}

/// A single storage location and its contents.
#[derive(Debug, Default)]
pub struct Cupboard {
    items: HashMap<String, u32>,
}

impl Cupboard {
    /// Creates an empty cupboard.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Stock for Cupboard {
    fn add(&mut self, name: &str, qty: u32) {
        *self.items.entry(name.to_owned()).or_insert(0) += qty;
    }

    fn count(&self, name: &str) -> u32 {
        self.items.get(name).copied().unwrap_or(0)
    }
}

/// Tops up `name` by [`RESTOCK_AMOUNT`] if it has run out, returning the new count.
pub fn restock_if_empty<S: Stock>(stock: &mut S, name: &str) -> u32 {
    if stock.count(name) == 0 {
        stock.add(name, RESTOCK_AMOUNT);
    }
    stock.count(name)
}

/// Suggests where an item should be kept based on its name.
pub fn suggest_storage(name: &str) -> Storage {
    match name {
        "milk" | "butter" | "cheese" => Storage::Fridge,
        "peas" | "ice cream" => Storage::Freezer,
        _ => Storage::Shelf,
    }
}
