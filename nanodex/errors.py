"""Errors that reach the user as one line: what was wrong, where, and what is allowed."""


class NanodexError(Exception):
    """Base class; str(err) is the whole, single-line message for the user."""


class ConfigError(NanodexError):
    """A config value is missing or not allowed."""


class SourceError(NanodexError):
    """A source cannot be read or snapshotted."""
