# Entry point for the pantry demo expressions.
#
# Build the packages against the nixpkgs found on NIX_PATH:
#
#   nix-build -A pantry
#   nix-build -A pantry-cli
#
# The NixOS module lives in ./nixos/modules/services/misc/pantry.nix and is meant to be added to
# a system configuration's `imports` list.
{ pkgs ? import <nixpkgs> { } }:

{
  # Core daemon and library (finalAttrs-style derivation).
  pantry = pkgs.callPackage ./pkgs/by-name/pa/pantry/package.nix { };

  # Python command-line client (rec-style derivation).
  pantry-cli = pkgs.callPackage ./pkgs/tools/pantry-cli/default.nix { };

  # Helper functions, exposed for use in other expressions.
  strings = import ./lib/strings.nix { inherit (pkgs) lib; };
}
