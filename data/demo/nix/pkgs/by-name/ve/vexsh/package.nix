{
  lib,
  fetchCrate,
  rustPlatform,
}:

rustPlatform.buildRustPackage rec {
  pname = "vexsh";
  version = "0.8.2";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-fADgNK+YeP1P2nj34CPBysTd5EQdI3O3Z+9Xwms6CGU=";
  };

  cargoHash = "sha256-iaOYoU82dXQMzelqWNApZito7zMYWHevlkzOIzO36hw=";

  passthru.shellPath = "/bin/vexsh";

  meta = with lib; {
    description = "Interactive shell with structured pipelines and typed variables";
    homepage = "https://vexsh.example.org";
    license = licenses.mit;
    maintainers = [ ];
    mainProgram = "vexsh";
  };
}
