"""Domain models for the pantry inventory."""

from datetime import date, timedelta

#: Shelf life assumed for perishable goods when none is given.
DEFAULT_SHELF_LIFE_DAYS = 7


class Item:
    """A countable thing stored in the pantry.

    Attributes:
        name: Human-readable name, used as the lookup key.
        qty: How many units are currently stored.
    """

    def __init__(self, name, qty=1):
        self.name = name
        self.qty = qty

    def restock(self, amount):
        """Increase the stored quantity by ``amount`` units."""
        if amount < 0:
            raise ValueError("restock amount must be non-negative")
        self.qty += amount

    def take(self, amount=1):
        """Remove up to ``amount`` units and return how many were taken."""
        taken = min(amount, self.qty)
        self.qty -= taken
        return taken

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, qty={self.qty})"


class PerishableItem(Item):
    """An item that goes off after a number of days."""

    def __init__(self, name, qty=1, bought=None, shelf_life_days=DEFAULT_SHELF_LIFE_DAYS):
        super().__init__(name, qty)
        self.bought = bought or date.today()
        self.shelf_life_days = shelf_life_days

    def best_before(self):
        """Return the last day on which the item is still good."""
        return self.bought + timedelta(days=self.shelf_life_days)

    def is_expired(self, today):
        """Return True if the item is past its best-before date on ``today``."""
        return today > self.best_before()


def make_item(name, qty, perishable=False):
    """Build an :class:`Item`, or a :class:`PerishableItem` if requested."""
    if qty < 0:
        raise ValueError(f"quantity for {name!r} cannot be negative")
    if perishable:
        return PerishableItem(name, qty)
    return Item(name, qty)
