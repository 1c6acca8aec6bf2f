{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
}:

buildNpmPackage rec {
  pname = "lanternmd";
  version = "0.12.1";

  src = fetchFromGitHub {
    owner = "lanternmd";
    repo = "lanternmd";
    rev = "v${version}";
    hash = "sha256-zJuPhvGMjUg3mcYHoAF3oXceyjp+IkHM9szBf+45I8g=";
  };

  npmDepsHash = "sha256-i/MBC0Rma+B1KdTp8uqmrBgTwSTgezpty80OrCgTdVo=";

  npmFlags = [ "--legacy-peer-deps" ];

  meta = with lib; {
    description = "Live Markdown previewer that reloads the browser on save";
    homepage = "https://github.com/lanternmd/lanternmd";
    license = licenses.isc;
    maintainers = [ ];
    mainProgram = "lanternmd";
  };
}
