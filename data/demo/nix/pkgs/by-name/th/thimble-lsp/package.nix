{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
}:

buildNpmPackage (finalAttrs: {
  pname = "thimble-lsp";
  version = "0.9.0";

  src = fetchFromGitHub {
    owner = "thimble-lsp";
    repo = "thimble-lsp";
    tag = "v${finalAttrs.version}";
    hash = "sha256-Pw1GPqUaypJSv2yMQ+h5clpg5NUZa1tvI0Wr9hCwCco=";
  };

  npmDepsHash = "sha256-I7poHJ3AQ+j7ii+0pQVtKJV3gmoVF2PVgEHIEgyMgDU=";

  meta = {
    description = "Language server for Nix with completion from option and package dumps";
    homepage = "https://thimble-lsp.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "thimble-lsp";
  };
})
