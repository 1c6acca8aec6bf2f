{ lib, stdenv, metadata, dxvk }:
let
  repo = metadata.repo;
in
stdenv.mkDerivation {
  name = repo;
  version = lib.removePrefix "v" dxvk.version;
  src = dxvk;
  meta.homepage = metadata.homepage;
}
