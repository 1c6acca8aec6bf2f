package org.pantry;

import java.util.ArrayList;
import java.util.List;

/** Something that can hold pantry items. */
interface Storable {
    /**
     * Places an item into storage.
     *
     * @param item the item to store
     * @return {@code true} if there was room for it
     */
    boolean store(Item item);

    /** @return the total number of units held */
    int totalUnits();
}

/**
 * A shelf with a fixed number of slots, one item kind per slot.
 */
public class Shelf implements Storable {
    private final int capacity;
    private final List<Item> items = new ArrayList<>();

    /** @param capacity maximum number of distinct items on the shelf */
    public Shelf(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public boolean store(Item item) {
        for (Item existing : items) {
            if (existing.getName().equals(item.getName())) {
                existing.restock(item.getQuantity());
                return true;
            }
        }
        if (items.size() >= capacity) {
            return false;
        }
        return items.add(item);
    }

    @Override
    public int totalUnits() {
        int total = 0;
        for (Item item : items) {
            total += item.getQuantity();
        }
        return total;
    }

    /** @return the items that are running low, in shelf order */
    public List<Item> lowItems() {
        List<Item> low = new ArrayList<>();
        for (Item item : items) {
            if (item.isLow()) {
                low.add(item);
            }
        }
        return low;
    }
}
