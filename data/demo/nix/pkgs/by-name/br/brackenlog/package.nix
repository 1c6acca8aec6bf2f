{ lib, fetchurl, stdenv, zstd }:

stdenv.mkDerivation rec {
  pname = "brackenlog";
  version = "1.0.7";

  src = fetchurl {
    url = "https://brackenlog.example.org/brackenlog-${version}.tar.gz";
    hash = "sha256-hyGwylxFEgZ6f8kwXL9mTQPTgc9ZRv/PE2pbF6VYaTE=";
  };

  buildInputs = [ zstd ];

  makeFlags = [ "PREFIX=${placeholder "out"}" ];

  postPatch = ''
    substituteInPlace Makefile --replace-fail "-Werror" ""
  '';

  meta = with lib; {
    description = "Log rotation tool that compresses old logs with zstd";
    homepage = "https://brackenlog.example.org";
    license = licenses.isc;
    maintainers = [ ];
    mainProgram = "brackenlog";
    platforms = platforms.unix;
  };
}
