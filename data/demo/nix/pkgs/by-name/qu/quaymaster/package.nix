{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "quaymaster";
  version = "0.6.5";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-t9wzmTbnNEr5bn2p1wkAraqEQZfx1b+q4LWjx5Upgjs=";
  };

  build-system = [
    python3Packages.setuptools
  ];
  dependencies = [
    python3Packages.docker
    python3Packages.pyyaml
    python3Packages.tabulate
  ];

  meta = {
    description = "Helper that restarts Docker Compose stacks when their images change";
    homepage = "https://github.com/quaymaster/quaymaster";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "quaymaster";
  };
}
