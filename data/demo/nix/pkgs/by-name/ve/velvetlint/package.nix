{
  lib,
  fetchCrate,
  rustPlatform,
}:

rustPlatform.buildRustPackage rec {
  pname = "velvetlint";
  version = "0.4.1";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-qkXBVmFrg1MDdmkjKy61eJjmTcBug5JwWs7fm/vTTD0=";
  };

  cargoHash = "sha256-dyIYzNRUcuTQ3LN2B3DbUAJOH3rnDpalllCSQ/LRG/I=";

  meta = with lib; {
    description = "Linter for Nix files that flags unused bindings and deprecated builtins";
    homepage = "https://velvetlint.example.org";
    license = licenses.mit;
    maintainers = [ ];
    mainProgram = "velvetlint";
  };
}
