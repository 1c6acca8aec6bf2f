{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
}:

buildNpmPackage (finalAttrs: {
  pname = "tinplate";
  version = "0.3.0";

  src = fetchFromGitHub {
    owner = "tinplate-js";
    repo = "tinplate";
    rev = "v${finalAttrs.version}";
    hash = "sha256-2MKqWE4B2DUTlBwNeJsQDK3igFqKnvzpDPk0HfVRzb8=";
  };

  npmDepsHash = "sha256-G6DRk+jZbJ/UNcdSCNwFWsSL6hCQZTt/K7u7fMsHN+k=";

  meta = {
    description = "Builds static HTML pages from Handlebars templates and JSON data";
    homepage = "https://github.com/tinplate-js/tinplate";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "tinplate";
  };
})
