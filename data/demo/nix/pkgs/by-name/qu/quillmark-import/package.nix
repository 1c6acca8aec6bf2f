{
  lib,
  fetchPypi,
  python3Packages,
  quillmark,
}:

python3Packages.buildPythonApplication rec {
  pname = "quillmark-import";
  version = "0.2.3";
  pyproject = true;

  src = fetchPypi {
    pname = "quillmark_import";
    inherit version;
    hash = "sha256-JUYccnfGyIKIlgpTIXuzfm9kVlhQpkbIbY4yZwO7Mxs=";
  };

  build-system = [
    python3Packages.hatchling
  ];
  dependencies = [
    python3Packages.requests
    python3Packages.mwparserfromhell
    python3Packages.tqdm
  ];

  makeWrapperArgs = [ "--prefix PATH : ${lib.makeBinPath [ quillmark ]}" ];

  meta = {
    description = "Imports MediaWiki XML dumps into a quillmark wiki";
    homepage = "https://quillmark.example.org/import";
    license = lib.licenses.agpl3Plus;
    maintainers = [ ];
    mainProgram = "quillmark-import";
  };
}
