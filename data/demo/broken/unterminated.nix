# Deliberately broken: the attribute set below is never closed.
# nanodex must report this file instead of crashing on it.
{ lib, stdenv }:

stdenv.mkDerivation {
  pname = "pantry-broken";
  version = "0.0.1";

  meta = {
    description = "A package whose expression was cut off mid-edit";
    license = lib.licenses.mit;
  };
