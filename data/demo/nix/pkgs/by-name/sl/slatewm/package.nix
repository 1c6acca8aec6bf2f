{
  lib,
  fetchFromGitHub,
  pkg-config,
  stdenv,
  xorg,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "slatewm";
  version = "0.9.1";

  src = fetchFromGitHub {
    owner = "slatewm";
    repo = "slatewm";
    tag = "v${finalAttrs.version}";
    hash = "sha256-O6eaY3414u9OkH9NSatfO5hqpPAob6iiLLEtNEzziRA=";
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [
    xorg.libX11
    xorg.libXinerama
    xorg.libXft
  ];

  makeFlags = [ "PREFIX=$(out)" ];

  meta = {
    description = "Minimal tiling window manager for X11";
    homepage = "https://slatewm.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "slatewm";
    platforms = lib.platforms.linux;
  };
})
