{
  lib,
  buildGoModule,
  fetchFromGitHub,
  redis,
}:

buildGoModule (finalAttrs: {
  pname = "tallowdb";
  version = "0.7.1";

  src = fetchFromGitHub {
    owner = "tallowdb";
    repo = "tallowdb";
    tag = "v${finalAttrs.version}";
    hash = "sha256-oZMx2kvLD/N3tZ/fr0ZsGltYX2jQdZ+IKILdGwNC3Ps=";
  };

  vendorHash = "sha256-80A6j/pbQa2ARnWlz3gQn+HPjpZfyfriCAjumnGDoHA=";

  nativeCheckInputs = [ redis ];

  subPackages = [ "cmd/tallowd" "cmd/tallow-cli" ];

  preCheck = ''
    export HOME=$TMPDIR
  '';

  meta = {
    description = "Embedded key-value store with a Redis-compatible network protocol";
    homepage = "https://tallowdb.example.org";
    license = lib.licenses.agpl3Only;
    maintainers = [ ];
    mainProgram = "tallowd";
  };
})
