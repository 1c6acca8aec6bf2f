package org.pantry;

/**
 * A single kind of good kept in the pantry, together with how many
 * units of it are currently on the shelf.
 */
public class Item {
    /** Quantity below which an item counts as running low. */
    public static final int LOW_STOCK_THRESHOLD = 2;

    private final String name;
    private int quantity;

    /**
     * Creates an item.
     *
     * @param name     human-readable name, used as the lookup key
     * @param quantity number of units in stock; must not be negative
     */
    public Item(String name, int quantity) {
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must not be negative");
        }
        this.name = name;
        this.quantity = quantity;
    }

    /** @return the item's name */
    public String getName() {
        return name;
    }

    /** @return the number of units in stock */
    public int getQuantity() {
        return quantity;
    }

    /**
     * Adds units to the stock.
     *
     * @param amount number of units to add
     */
    public void restock(int amount) {
        quantity += amount;
    }

    /** @return {@code true} when fewer than {@link #LOW_STOCK_THRESHOLD} units remain */
    public boolean isLow() {
        return quantity < LOW_STOCK_THRESHOLD;
    }

    @Override
    public String toString() {
        return name + " x" + quantity;
    }
}
