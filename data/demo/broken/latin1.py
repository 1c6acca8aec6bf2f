# -*- coding: latin-1 -*-
# Deliberately not UTF-8: this comment mentions a café and a
# purée, encoded in latin-1, so the bytes 0xE9 are invalid UTF-8.


def describe(item):
    """Return a one-line description of ``item``."""
    return f"{item.name}: {item.qty}"
