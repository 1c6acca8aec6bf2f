{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "tarnwick-exporter";
  version = "0.3.1";
  pyproject = true;

  src = fetchPypi {
    pname = "tarnwick_exporter";
    inherit version;
    hash = "sha256-YTXSY4p7diUVEFzFD82zFvpNJ6wFffS1dSv97YPGeLo=";
  };

  build-system = [
    python3Packages.setuptools
  ];
  dependencies = [
    python3Packages.prometheus-client
    python3Packages.dnspython
  ];

  pythonImportsCheck = [ "tarnwick_exporter" ];

  meta = {
    description = "Prometheus exporter for tarnwick cache hit rates and upstream latency";
    homepage = "https://github.com/tarnwick-dns/tarnwick-exporter";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "tarnwick-exporter";
  };
}
