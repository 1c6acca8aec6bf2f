"""pantry: a small home-inventory toolkit.

The package keeps track of what is on the shelves at home, how much of
it there is, and which perishable goods need to be used up soon.
"""

from .models import (
    DEFAULT_SHELF_LIFE_DAYS,
    Item,
    PerishableItem,
    make_item,
)

__all__ = [
    "DEFAULT_SHELF_LIFE_DAYS",
    "Item",
    "PerishableItem",
    "make_item",
]

__version__ = "1.4.2"
