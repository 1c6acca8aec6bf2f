{
  lib,
  fetchFromGitHub,
  openssl,
  pkg-config,
  rustPlatform,
  sqlite,
}:

rustPlatform.buildRustPackage rec {
  pname = "quillmark";
  version = "0.11.0";

  src = fetchFromGitHub {
    owner = "quillmark-wiki";
    repo = "quillmark";
    rev = "v${version}";
    hash = "sha256-oHmSLLG/oo0jnz10u+FPYf5EIHLaiVhfrF3iPzwU4NY=";
  };

  cargoHash = "sha256-OKBE92B0gn8kGhCJHEOPit4qn4VDmYCBmaJzsrtwfMo=";

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ openssl sqlite ];

  # The integration tests start a browser.
  checkFlags = [ "--skip=e2e::" ];

  meta = {
    description = "Self-hosted wiki engine that stores pages as Markdown in SQLite";
    homepage = "https://quillmark.example.org";
    license = lib.licenses.agpl3Plus;
    maintainers = [ ];
    mainProgram = "quillmark";
    platforms = lib.platforms.unix;
  };
}
