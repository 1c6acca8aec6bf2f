# pantry: the core library and daemon, packaged in the finalAttrs style.
{
  lib,
  stdenv,
  fetchFromGitHub,
  cmake,
  openssl,
  zlib,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "pantry";
  version = "1.4.2";

  src = fetchFromGitHub {
    owner = "example";
    repo = "pantry";
    rev = "v${finalAttrs.version}";
    hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };

  nativeBuildInputs = [ cmake ];

  buildInputs = [
    openssl
    zlib
  ];

  cmakeFlags = [
    (lib.cmakeBool "PANTRY_BUILD_TESTS" finalAttrs.doCheck)
  ];

  doCheck = true;

  meta = {
    description = "Home inventory daemon that tracks what is on your shelves";
    longDescription = ''
      pantry keeps a running count of household goods, warns about
      perishables that are about to expire and exposes a small REST API.
    '';
    homepage = "https://example.org/pantry";
    changelog = "https://example.org/pantry/releases/v${finalAttrs.version}";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "pantryd";
    platforms = lib.platforms.unix;
  };
})
