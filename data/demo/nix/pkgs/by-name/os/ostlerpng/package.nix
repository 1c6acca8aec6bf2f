{
  lib,
  fetchurl,
  libpng,
  stdenv,
  zlib,
}:

stdenv.mkDerivation rec {
  pname = "ostlerpng";
  version = "0.6.3";

  src = fetchurl {
    url = "mirror://sourceforge/ostlerpng/ostlerpng-${version}.tar.gz";
    hash = "sha256-6Lo3gFUD3i/bx/pNnFTj3hGm7XzYVgheQJFdKkCUIsA=";
  };

  buildInputs = [ zlib libpng ];

  makeFlags = [ "PREFIX=${placeholder "out"}" "CC=${stdenv.cc.targetPrefix}cc" ];

  meta = with lib; {
    description = "Lossless PNG optimizer that tries several deflate strategies per image";
    homepage = "https://ostlerpng.sourceforge.io";
    license = licenses.zlib;
    maintainers = [ ];
    mainProgram = "ostlerpng";
    platforms = platforms.all;
  };
}
