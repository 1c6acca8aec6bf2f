{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
  libsodium,
  pkg-config,
  python3,
}:

buildNpmPackage rec {
  pname = "sorrelbot";
  version = "4.1.0";

  src = fetchFromGitHub {
    owner = "sorrelbot";
    repo = "sorrelbot";
    rev = "v${version}";
    hash = "sha256-st93OojQURN0sQF+6oDO3remvRl65m1NEJ7nuDsirlk=";
  };

  npmDepsHash = "sha256-aT3Gc7YTKlMurUfjAZDyb1Vg6wfXyo0f93C2zPwLJlA=";

  nativeBuildInputs = [ python3 pkg-config ];
  buildInputs = [ libsodium ];

  meta = {
    description = "Matrix chat bot that runs scripted replies and reminders";
    homepage = "https://sorrelbot.example.org";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "sorrelbot";
  };
}
