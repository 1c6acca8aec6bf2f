{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
}:

buildNpmPackage rec {
  pname = "driftwood-api";
  version = "1.7.2";

  src = fetchFromGitHub {
    owner = "driftwood-api";
    repo = "driftwood";
    rev = "v${version}";
    hash = "sha256-dlS8Vs04FXyNM2Xcl+u8T/Ai89vfsbF4mH2nGYqaD2I=";
  };

  npmDepsHash = "sha256-mcWaw4jQpO+e0lNtyhd8rlK6hWYilOYjNNQwFbS04fM=";

  npmPackFlags = [ "--ignore-scripts" ];

  meta = with lib; {
    description = "Mock REST API server that serves responses from an OpenAPI file";
    homepage = "https://driftwood-api.example.org";
    license = licenses.mit;
    maintainers = [ ];
    mainProgram = "driftwood";
  };
}
