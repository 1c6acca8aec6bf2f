{
  lib,
  fetchFromGitHub,
  libpcap,
  meson,
  ncurses,
  ninja,
  pkg-config,
  stdenv,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "wicketmon";
  version = "0.8.0";

  src = fetchFromGitHub {
    owner = "wicketmon";
    repo = "wicketmon";
    tag = "v${finalAttrs.version}";
    hash = "sha256-bxGpF0BN5eOnNn7LDSjtvR4dOS9KaOc4AWqvcbofRgI=";
  };

  nativeBuildInputs = [
    meson
    ninja
    pkg-config
  ];
  buildInputs = [ libpcap ncurses ];

  meta = {
    description = "Per-connection network bandwidth monitor for the terminal";
    homepage = "https://github.com/wicketmon/wicketmon";
    license = lib.licenses.gpl2Plus;
    maintainers = [ ];
    mainProgram = "wicketmon";
    platforms = lib.platforms.linux;
  };
})
