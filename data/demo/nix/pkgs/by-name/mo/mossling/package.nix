{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "mossling";
  version = "3.1.2";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-kK9DPWWwOD2MVoYeE6o1PMVKZfzAIVWN5M3Hg3Sll3U=";
  };

  build-system = [
    python3Packages.flit-core
  ];
  dependencies = [
    python3Packages.pyyaml
    python3Packages.jinja2
  ];

  pythonImportsCheck = [ "mossling" ];

  meta = with lib; {
    description = "Dotfile manager that renders templates per host and links them into place";
    homepage = "https://mossling.example.org";
    license = licenses.mit;
    maintainers = [ ];
    mainProgram = "mossling";
  };
}
