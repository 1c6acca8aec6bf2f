{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule (finalAttrs: {
  pname = "runnel";
  version = "3.1.4";

  src = fetchFromGitHub {
    owner = "runnel-net";
    repo = "runnel";
    tag = "v${finalAttrs.version}";
    hash = "sha256-ZdyjR3HnV8AD7hcXKfyvZJWh7B/cMc2gcH+dY+r1JBM=";
  };

  vendorHash = "sha256-Wrp/IRO39ehHn9jLVqNgM3oumP4HDJybTVkvpchPxK8=";

  ldflags = [
    "-s"
    "-w"
    "-X main.version=${finalAttrs.version}"
  ];

  meta = {
    description = "Exposes a local port through an SSH tunnel with automatic reconnection";
    homepage = "https://runnel.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "runnel";
  };
})
