{
  lib,
  fetchFromGitHub,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "quoinctl";
  version = "1.0.1";
  pyproject = true;

  src = fetchFromGitHub {
    owner = "quoin-hosting";
    repo = "quoinctl";
    tag = "v${version}";
    hash = "sha256-gtyWOmDFu8ZzFRWkXcxrZ09dBIQvqe05mp0PHPCVReM=";
  };

  build-system = [
    python3Packages.poetry-core
  ];
  dependencies = [
    python3Packages.httpx
    python3Packages.typer
    python3Packages.keyring
  ];

  meta = {
    description = "Command-line client for the Quoin VPS hosting API";
    homepage = "https://github.com/quoin-hosting/quoinctl";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "quoinctl";
  };
}
