{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "cobaltwiki-sync";
  version = "0.5.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-tLt9z/0K1/fJDqN3N+CeuKueABLlm+k3ufqNNwXvdfo=";
  };

  build-system = [
    python3Packages.setuptools
  ];
  dependencies = [
    python3Packages.requests
    python3Packages.watchdog
  ];

  meta = {
    description = "Two-way sync between a local Markdown folder and a quillmark wiki";
    homepage = "https://cobaltwiki-sync.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "cobaltwiki-sync";
  };
}
