{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "heronfeed";
  version = "0.9.1";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-6rwRNxIzJDiKgxH8twQIoaZT1rt53daBM8xVJrinXvQ=";
  };

  build-system = [
    python3Packages.setuptools
  ];
  dependencies = [
    python3Packages.feedparser
    python3Packages.httpx
    python3Packages.textual
  ];

  pythonImportsCheck = [ "heronfeed" ];

  meta = with lib; {
    description = "Terminal RSS and Atom feed reader";
    homepage = "https://github.com/heronfeed/heronfeed";
    license = licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "heronfeed";
  };
}
