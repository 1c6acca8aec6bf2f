"""nanodex: turn code repositories and the Nix ecosystem into a model that knows them."""

__version__ = "0.1.0"
