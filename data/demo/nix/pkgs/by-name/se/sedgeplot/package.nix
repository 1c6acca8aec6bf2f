{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "sedgeplot";
  version = "0.8.4";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-c+crJDfODYu8p1MH916SETQdNsrbB2KS2qgjdWWndMg=";
  };

  build-system = [
    python3Packages.setuptools
  ];
  dependencies = [
    python3Packages.matplotlib
    python3Packages.numpy
    python3Packages.click
  ];

  pythonImportsCheck = [ "sedgeplot" ];

  meta = {
    description = "Plots CSV columns from the command line without writing a script";
    homepage = "https://sedgeplot.example.org";
    license = lib.licenses.bsd3;
    maintainers = [ ];
    mainProgram = "sedgeplot";
  };
}
