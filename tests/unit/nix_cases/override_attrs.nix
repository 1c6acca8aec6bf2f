{ stdenv, fetchurl, cmake, zstd }:
let
  base = stdenv.mkDerivation {
    pname = "base";
    version = "1.0";
    src = fetchurl { url = "https://example.org/base.tar.gz"; hash = "sha256-D="; };
    nativeBuildInputs = [ cmake ];
  };
in
base.overrideAttrs (prevAttrs: {
  version = "1.1";
  buildInputs = [ zstd ];
  nativeBuildInputs = prevAttrs.nativeBuildInputs ++ [ zstd ];
})
