{
  lib,
  fetchFromGitHub,
  python3Packages,
}:

python3Packages.buildPythonApplication rec {
  pname = "nettlebot";
  version = "1.3.0";
  pyproject = true;

  src = fetchFromGitHub {
    owner = "nettlebot";
    repo = "nettlebot";
    tag = "v${version}";
    hash = "sha256-6Rb36zbj3Z4qCUjJ8087UMn3oxshx+Q6+n+bwH70k2w=";
  };

  build-system = [
    python3Packages.setuptools
  ];
  dependencies = [
    python3Packages.irc
    python3Packages.sqlalchemy
    python3Packages.pyyaml
  ];
  nativeCheckInputs = [
    python3Packages.pytestCheckHook
  ];

  meta = with lib; {
    description = "IRC bot with plugins for reminders, polls and channel logs";
    homepage = "https://github.com/nettlebot/nettlebot";
    license = licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "nettlebot";
  };
}
