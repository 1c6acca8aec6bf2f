{
  lib,
  cmake,
  fetchFromGitHub,
  libconfig,
  lm_sensors,
  stdenv,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "oakumctl";
  version = "2.0.1";

  src = fetchFromGitHub {
    owner = "oakum-fan";
    repo = "oakumctl";
    rev = "v${finalAttrs.version}";
    hash = "sha256-yCFghZlM+H/MdcVoi7rRsrN6Dvo6Lu9UbPq/aG2li1g=";
  };

  nativeBuildInputs = [ cmake ];
  buildInputs = [ lm_sensors libconfig ];

  meta = {
    description = "Fan control daemon that follows temperature curves from lm-sensors";
    homepage = "https://github.com/oakum-fan/oakumctl";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "oakumd";
    platforms = lib.platforms.linux;
  };
})
