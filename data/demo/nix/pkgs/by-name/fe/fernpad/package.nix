{
  lib,
  fetchFromGitHub,
  gtk3,
  gtksourceview4,
  meson,
  ninja,
  pkg-config,
  stdenv,
  wrapGAppsHook3,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "fernpad";
  version = "1.0.3";

  src = fetchFromGitHub {
    owner = "fernpad";
    repo = "fernpad";
    tag = "v${finalAttrs.version}";
    hash = "sha256-Lm9hNZ8UwGRYqVnimLXNfxlxCPvJmIOYvRnsdF/OuOs=";
  };

  nativeBuildInputs = [
    meson
    ninja
    pkg-config
    wrapGAppsHook3
  ];
  buildInputs = [ gtk3 gtksourceview4 ];

  meta = {
    description = "GTK scratchpad that autosaves every note";
    homepage = "https://fernpad.example.org";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "fernpad";
    platforms = lib.platforms.linux;
  };
})
