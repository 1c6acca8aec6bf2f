{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "gannet-dl";
  version = "0.3.2";
  pyproject = true;

  src = fetchPypi {
    pname = "gannet_dl";
    inherit version;
    hash = "sha256-pO7SlpcPub/Htm92ETO1M4c8v6kYSIxOtWvwT3ZY1SY=";
  };

  build-system = [
    python3Packages.setuptools
  ];
  dependencies = [
    python3Packages.feedparser
    python3Packages.httpx
    python3Packages.mutagen
  ];

  meta = {
    description = "Downloads podcast episodes listed in an OPML file";
    homepage = "https://gannet-dl.example.org";
    license = lib.licenses.unlicense;
    maintainers = [ ];
    mainProgram = "gannet-dl";
  };
}
