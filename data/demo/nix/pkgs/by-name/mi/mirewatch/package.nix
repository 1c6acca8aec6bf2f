{
  lib,
  cmake,
  fetchFromGitHub,
  gtest,
  stdenv,
}:

stdenv.mkDerivation rec {
  pname = "mirewatch";
  version = "1.3.0";

  src = fetchFromGitHub {
    owner = "mirewatch";
    repo = "mirewatch";
    rev = "release-${version}";
    hash = "sha256-rlr1qc96ZO11rAOuNVqolGIHbbUqxGfFUKO5qJEbg7c=";
  };

  nativeBuildInputs = [ cmake ];
  checkInputs = [ gtest ];

  cmakeFlags = [ "-DMIREWATCH_TESTS=ON" ];

  doCheck = true;

  meta = {
    description = "Cross-platform C++ library for watching directories for file changes";
    homepage = "https://github.com/mirewatch/mirewatch";
    license = lib.licenses.asl20;
    maintainers = [ ];
    platforms = lib.platforms.unix;
  };
}
