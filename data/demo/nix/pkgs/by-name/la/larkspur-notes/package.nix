{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "larkspur-notes";
  version = "1.5.0";
  pyproject = true;

  src = fetchPypi {
    pname = "larkspur_notes";
    inherit version;
    hash = "sha256-+gtF/5oJ4nfHhmQuIGD6LWzlGrkTEHYlEtDtqqEwzfs=";
  };

  build-system = [
    python3Packages.hatchling
  ];
  dependencies = [
    python3Packages.click
    python3Packages.rich
    python3Packages.platformdirs
  ];
  nativeCheckInputs = [
    python3Packages.pytestCheckHook
  ];

  pythonImportsCheck = [ "larkspur_notes" ];

  meta = {
    description = "Command-line notebook that stores notes as plain Markdown files";
    homepage = "https://larkspur-notes.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "larkspur";
  };
}
