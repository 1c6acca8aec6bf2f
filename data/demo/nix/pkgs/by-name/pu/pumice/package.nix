{
  lib,
  fetchFromGitHub,
  libxkbcommon,
  pkg-config,
  rustPlatform,
  wayland,
}:

rustPlatform.buildRustPackage (finalAttrs: {
  pname = "pumice";
  version = "0.6.0";

  src = fetchFromGitHub {
    owner = "pumice-viewer";
    repo = "pumice";
    tag = "v${finalAttrs.version}";
    hash = "sha256-1bPTtuDGP6GHrv8YVowxJIKpB+wzX7jfdNdjz+6ExHI=";
  };

  cargoHash = "sha256-bWUnKGfd33x7THb2w3Nv5Du3libSIsvZXIdgZzH+9u0=";

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ wayland libxkbcommon ];

  meta = {
    description = "Fast image viewer for Wayland with keyboard-driven navigation";
    homepage = "https://github.com/pumice-viewer/pumice";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "pumice";
    platforms = lib.platforms.linux;
  };
})
