{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule rec {
  pname = "quayside";
  version = "3.0.2";

  src = fetchFromGitHub {
    owner = "quayside";
    repo = "quayside";
    rev = "v${version}";
    hash = "sha256-yU5YQKP8h/UQciVxVJkNHzd5YyLJGUTCrUXmiH01GQg=";
  };

  vendorHash = "sha256-uL9AuUE+T6IvMTn37vS0dalr8qhCTHZOm2IDMYDltu0=";

  meta = with lib; {
    description = "Terminal UI for browsing and pruning container images";
    homepage = "https://quayside.example.org";
    license = licenses.mit;
    maintainers = [ ];
    mainProgram = "quayside";
  };
}
