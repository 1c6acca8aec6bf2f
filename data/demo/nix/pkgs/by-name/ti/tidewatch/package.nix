{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "tidewatch";
  version = "2.0.4";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-0Q28a2QpdowoHCMgq5NI97AMtxfss+uc78yOCJmlO54=";
  };

  build-system = [
    python3Packages.setuptools
    python3Packages.setuptools-scm
  ];
  dependencies = [
    python3Packages.requests
    python3Packages.python-dateutil
  ];
  nativeCheckInputs = [
    python3Packages.pytestCheckHook
    python3Packages.responses
  ];

  meta = {
    description = "Prints tide tables for coastal stations from public harbour data";
    homepage = "https://tidewatch.example.org";
    license = lib.licenses.bsd3;
    maintainers = [ ];
    mainProgram = "tidewatch";
  };
}
