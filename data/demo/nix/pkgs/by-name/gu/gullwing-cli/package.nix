{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
}:

buildNpmPackage rec {
  pname = "gullwing-cli";
  version = "2.3.0";

  src = fetchFromGitHub {
    owner = "gullwing";
    repo = "gullwing";
    rev = "v${version}";
    hash = "sha256-2WopFXNYY5XD0VR1GJ1P1Z+M9ZWZVxNZyW2EegsLmt0=";
  };

  npmDepsHash = "sha256-LmLFhbj0RXfckyMxf7l2Pxsltcfhy1w6SKzL4NSMkAs=";

  dontNpmBuild = true;

  meta = {
    description = "Markdown linter with rules for links, headings and line length";
    homepage = "https://github.com/gullwing/gullwing";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "gullwing";
  };
}
