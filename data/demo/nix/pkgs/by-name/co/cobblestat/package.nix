{
  lib,
  fetchFromGitHub,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "cobblestat";
  version = "0.4.0";
  pyproject = true;

  src = fetchFromGitHub {
    owner = "cobblestat";
    repo = "cobblestat";
    tag = "v${version}";
    hash = "sha256-J3EjdSIHeCHup2cOdskbgdDNaQhq4bFQnr5dX9lWl4M=";
  };

  build-system = [
    python3Packages.poetry-core
  ];
  dependencies = [
    python3Packages.flask
    python3Packages.sqlalchemy
    python3Packages.gunicorn
  ];

  pythonRelaxDeps = [ "sqlalchemy" ];

  meta = {
    description = "Self-hosted web analytics dashboard that needs no cookies";
    homepage = "https://github.com/cobblestat/cobblestat";
    license = lib.licenses.agpl3Only;
    maintainers = [ ];
    mainProgram = "cobblestat";
  };
}
