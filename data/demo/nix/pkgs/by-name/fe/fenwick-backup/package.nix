{
  lib,
  fetchPypi,
  openssh,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "fenwick-backup";
  version = "1.2.9";
  pyproject = true;

  src = fetchPypi {
    pname = "fenwick_backup";
    inherit version;
    hash = "sha256-3bmvXU6vzFdThQUGnxFip4QB+Eo7lSUWo1ynL7OE1Sg=";
  };

  build-system = [
    python3Packages.setuptools
  ];
  dependencies = [
    python3Packages.paramiko
    python3Packages.cryptography
    python3Packages.click
  ];

  makeWrapperArgs = [ "--prefix PATH : ${lib.makeBinPath [ openssh ]}" ];

  meta = {
    description = "Encrypted incremental backups to any SFTP server";
    homepage = "https://fenwick-backup.example.org";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "fenwick";
  };
}
