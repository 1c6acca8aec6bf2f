/**
 * Small formatting helpers shared by the pantry dashboard scripts.
 */
"use strict";

const UNITS = ["pc", "pcs"];

/**
 * Pluralise the unit label for a quantity.
 * @param {number} qty
 * @returns {string}
 */
function unitFor(qty) {
  return qty === 1 ? UNITS[0] : UNITS[1];
}

/**
 * Render a quantity with its unit, e.g. "3 pcs".
 * @param {number} qty
 * @returns {string}
 */
const formatQty = (qty) => `${qty} ${unitFor(qty)}`;

/**
 * Render a table row for an item, padded to a fixed width.
 * @param {{name: string, qty: number}} item
 * @param {number} [width=20]
 * @returns {string}
 */
function formatRow(item, width = 20) {
  return item.name.padEnd(width) + formatQty(item.qty);
}

/**
 * Sort items alphabetically without mutating the input.
 * @param {Array<{name: string}>} items
 */
const sortByName = (items) =>
  [...items].sort((a, b) => a.name.localeCompare(b.name));

module.exports = { unitFor, formatQty, formatRow, sortByName };
