{
  lib,
  fetchPypi,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "perchcal";
  version = "2.1.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-DGM71njJ0JKZjZ09zph/6Rv27ygKxOFBVkJPsrFZAt4=";
  };

  build-system = [
    python3Packages.hatchling
  ];
  dependencies = [
    python3Packages.caldav
    python3Packages.icalendar
    python3Packages.urwid
  ];

  meta = {
    description = "Terminal calendar that syncs with CalDAV servers";
    homepage = "https://perchcal.example.org";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "perchcal";
  };
}
