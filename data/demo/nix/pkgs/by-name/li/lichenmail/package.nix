{
  lib,
  fetchCrate,
  notmuch,
  openssl,
  pkg-config,
  rustPlatform,
}:

rustPlatform.buildRustPackage (finalAttrs: {
  pname = "lichenmail";
  version = "0.9.0";

  src = fetchCrate {
    inherit (finalAttrs) pname version;
    hash = "sha256-YqmmksUYTKxY/mgNPm8T1xdYVb7q5lshduQtTuzO+48=";
  };

  cargoHash = "sha256-uBkbB/Sdtc3v7jSEUoRbEg3m7zOFengjrBdEoJdVLNU=";

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ openssl notmuch ];

  meta = {
    description = "Terminal mail client built on the notmuch index";
    homepage = "https://lichenmail.example.org";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "lichen";
  };
})
