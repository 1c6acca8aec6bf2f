"""Deliberately broken: one valid function followed by a syntax error.

nanodex should still extract ``count_items`` and report the error.
"""


def count_items(items):
    """Return the total quantity across ``items``."""
    return sum(item.qty for item in items)


def broken_restock(items, amount)
    # The colon after the parameter list is missing on purpose.
    for item in items:
        item.qty += amount
