"""In-memory storage for pantry items, with JSON persistence."""

import json
from pathlib import Path

from pantry.models import Item, make_item


class Pantry:
    """A collection of items keyed by name."""

    def __init__(self):
        self._items = {}

    def __len__(self):
        return len(self._items)

    def add(self, name, qty=1, perishable=False):
        """Add ``qty`` units of ``name``, creating the item if needed."""
        existing = self._items.get(name)
        if existing is not None:
            existing.restock(qty)
            return existing
        item = make_item(name, qty, perishable=perishable)
        self._items[name] = item
        return item

    def remove(self, name, qty=1):
        """Take ``qty`` units of ``name``; drop the item once it runs out."""
        item = self._items.get(name)
        if item is None:
            raise KeyError(name)
        taken = item.take(qty)
        if item.qty == 0:
            del self._items[name]
        return taken

    def expired(self, today):
        """Return every perishable item that has expired by ``today``."""
        return [
            item
            for item in self._items.values()
            if hasattr(item, "is_expired") and item.is_expired(today)
        ]

    def items(self):
        """Return the stored items sorted by name."""
        return sorted(self._items.values(), key=lambda item: item.name)


def load_pantry(path):
    """Read a pantry from a JSON file mapping names to quantities."""
    pantry = Pantry()
    source = Path(path)
    if not source.exists():
        return pantry
    for name, entry in json.loads(source.read_text()).items():
        pantry.add(name, entry.get("qty", 1), entry.get("perishable", False))
    return pantry


def is_item(value):
    """Return True if ``value`` is a pantry :class:`Item`."""
    return isinstance(value, Item)
