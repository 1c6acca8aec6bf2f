# pantry-cli: command-line frontend, packaged in the older `rec` style.
{ lib, python3Packages, fetchurl, pantry }:

python3Packages.buildPythonApplication rec {
  pname = "pantry-cli";
  version = "0.3.0";
  format = "setuptools";

  src = fetchurl {
    url = "https://example.org/${pname}-${version}.tar.gz";
    sha256 = "0000000000000000000000000000000000000000000000000000";
  };

  propagatedBuildInputs = [
    pantry
    python3Packages.requests
  ];

  # The test suite talks to a running pantry daemon.
  doCheck = false;

  pythonImportsCheck = [ "pantry_cli" ];

  meta = with lib; {
    description = "Command-line client for the pantry home-inventory service";
    license = licenses.asl20;
    homepage = "https://example.org/pantry-cli";
    platforms = platforms.all;
  };
}
