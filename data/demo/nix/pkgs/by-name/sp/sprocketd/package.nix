{
  lib,
  buildGoModule,
  fetchFromGitHub,
  git,
}:

buildGoModule (finalAttrs: {
  pname = "sprocketd";
  version = "1.2.0";

  src = fetchFromGitHub {
    owner = "sprocket-hooks";
    repo = "sprocketd";
    tag = "v${finalAttrs.version}";
    hash = "sha256-MKW6nQP5rxdgX1WffiLSFphFdTpEsyQerxT0XZ3mHV4=";
  };

  vendorHash = "sha256-s/dWABDNW2adxn/KrUGwGYus4Cn3dUuNYLixYbyz/1g=";

  nativeCheckInputs = [ git ];

  meta = {
    description = "Webhook receiver that runs configured commands for Git forge events";
    homepage = "https://sprocketd.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "sprocketd";
  };
})
