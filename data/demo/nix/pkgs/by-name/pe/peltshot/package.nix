{
  lib,
  cairo,
  fetchFromGitHub,
  libpng,
  meson,
  ninja,
  pkg-config,
  stdenv,
  wayland,
  wayland-scanner,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "peltshot";
  version = "0.3.2";

  src = fetchFromGitHub {
    owner = "peltshot";
    repo = "peltshot";
    tag = "v${finalAttrs.version}";
    hash = "sha256-1nPJ0nA6b7xXm24viQxvI5shPYidSZFiPJAXl7HN3r0=";
  };

  nativeBuildInputs = [
    meson
    ninja
    pkg-config
    wayland-scanner
  ];
  buildInputs = [
    wayland
    cairo
    libpng
  ];

  meta = {
    description = "Region screenshot tool for wlroots Wayland compositors";
    homepage = "https://github.com/peltshot/peltshot";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "peltshot";
    platforms = lib.platforms.linux;
  };
})
