{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
  nodejs_22,
}:

buildNpmPackage (finalAttrs: {
  pname = "pebbledash";
  version = "1.0.4";

  src = fetchFromGitHub {
    owner = "pebbledash";
    repo = "pebbledash";
    tag = "v${finalAttrs.version}";
    hash = "sha256-SgN+wSTV2EEJ1O+fHKt2DdbjIsZOMJ+jsbDEYmegTvU=";
  };

  npmDepsHash = "sha256-IwqAoYxIQKwyPebT+ScMRXHrnFJYTcRItj9NRnhzD34=";

  nodejs = nodejs_22;

  npmBuildScript = "build:server";

  meta = {
    description = "Home server dashboard that shows service status tiles";
    homepage = "https://pebbledash.example.org";
    license = lib.licenses.gpl3Only;
    maintainers = [ ];
    mainProgram = "pebbledash";
  };
})
