{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule rec {
  pname = "fathomq";
  version = "2.2.1";

  src = fetchFromGitHub {
    owner = "fathomq";
    repo = "fathomq";
    rev = "v${version}";
    hash = "sha256-wf0n0zBI+DBfdTR83XanzR5aUxIAngPBMOPRPBkAa1Y=";
  };

  vendorHash = "sha256-kKe+Uc8cIDgzyQdeX3n3Al1KyiD2rhwJtU23LIRr1hU=";

  ldflags = [
    "-s"
    "-w"
    "-X main.version=${version}"
  ];

  meta = {
    description = "Persistent message queue with an HTTP API and at-least-once delivery";
    homepage = "https://fathomq.example.org";
    license = lib.licenses.bsd3;
    maintainers = [ ];
    mainProgram = "fathomq";
  };
}
