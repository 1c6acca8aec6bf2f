"""Command-line entry point: ``python -m pantry.cli [FILE]``."""

import argparse
from datetime import date

from pantry.store import load_pantry


def build_parser():
    """Create the argument parser for the pantry CLI."""
    parser = argparse.ArgumentParser(prog="pantry", description=__doc__)
    parser.add_argument("file", nargs="?", default="pantry.json")
    parser.add_argument("--use", metavar="NAME", help="take one unit of NAME")
    parser.add_argument("--add", metavar="NAME", help="add one unit of NAME")
    return parser


def main(argv=None):
    """Load the pantry, apply the requested change and print a summary."""
    args = build_parser().parse_args(argv)
    pantry = load_pantry(args.file)

    if args.add:
        pantry.add(args.add)
    if args.use:
        pantry.remove(args.use)

    for item in pantry.items():
        print(f"{item.name:<20} {item.qty:>4}")

    stale = pantry.expired(date.today())
    if stale:
        names = ", ".join(item.name for item in stale)
        print(f"expired: {names}")
    return 0


if __name__ == "__main__":
    main()
