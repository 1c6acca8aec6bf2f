{
  lib,
  fetchCrate,
  pkg-config,
  rustPlatform,
  taglib,
}:

rustPlatform.buildRustPackage rec {
  pname = "cindertag";
  version = "2.2.3";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-VSfjw4x6Wu0WIl9LEKlUM4aiWbz92zS/zQOipv2CI90=";
  };

  cargoHash = "sha256-pQU4gNtkJ9Y1yIgrrYJnx5g4PP0dQpxCAZzU6GvjfbA=";

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ taglib ];

  meta = with lib; {
    description = "Batch editor for audio file tags driven by a TOML rules file";
    homepage = "https://github.com/cindertag/cindertag";
    license = licenses.mpl20;
    maintainers = [ ];
    mainProgram = "cindertag";
  };
}
