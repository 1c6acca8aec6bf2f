{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
  nodejs_20,
}:

buildNpmPackage rec {
  pname = "kelpie-docs";
  version = "1.9.1";

  src = fetchFromGitHub {
    owner = "kelpie-docs";
    repo = "kelpie";
    rev = "v${version}";
    hash = "sha256-CWDHSFOkIhfaucEKf2oVmzHyzVaGxchr3W5wSth+hVM=";
  };

  npmDepsHash = "sha256-6Oej7XoZMQH16pZgvO0qDYo4qC1CIaB/whGsZt40Bmo=";

  nodejs = nodejs_20;

  meta = {
    description = "Documentation site generator with full-text search";
    homepage = "https://kelpie-docs.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "kelpie";
  };
}
