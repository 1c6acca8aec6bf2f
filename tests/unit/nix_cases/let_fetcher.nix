{ lib, python3Packages, fetchPypi }:
let
  pname = "letpkg";
  version = "0.9.1";
  src = fetchPypi {
    inherit pname version;
    hash = "sha256-C=";
  };
in
python3Packages.buildPythonApplication {
  inherit pname version src;
  meta = with lib; {
    description = "A ${pname} tool";
    license = [ licenses.mit "GPL-2.0" ];
  };
}
