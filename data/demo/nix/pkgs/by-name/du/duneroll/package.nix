{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
}:

buildNpmPackage rec {
  pname = "duneroll";
  version = "2.0.0";

  src = fetchFromGitHub {
    owner = "duneroll";
    repo = "duneroll";
    rev = "v${version}";
    hash = "sha256-8Rnyj9sfjCtLfxaLHg4iRycYkk3E48yx9jcmXwY/awI=";
  };

  npmDepsHash = "sha256-/GE3Yh19njvvWu2ThXAJhWbwFtEG1EXDAViaXyClNOs=";

  dontNpmBuild = true;

  meta = {
    description = "Dice roller and initiative tracker for tabletop games in the terminal";
    homepage = "https://github.com/duneroll/duneroll";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "duneroll";
  };
}
