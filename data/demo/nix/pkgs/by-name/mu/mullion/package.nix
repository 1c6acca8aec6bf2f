{
  lib,
  fetchCrate,
  rustPlatform,
}:

rustPlatform.buildRustPackage rec {
  pname = "mullion";
  version = "1.2.2";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-msvoTnVnt83/3lpoekHPYXUvvwHsAaBZEOBQRz57vKs=";
  };

  cargoHash = "sha256-UHYqHbQcI2oA55YhwE1tB6IE+XRrDp0nHh1PIbu2u38=";

  meta = {
    description = "Tiling layout engine that splits a terminal into panes from a TOML file";
    homepage = "https://mullion.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "mullion";
  };
}
