{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule (finalAttrs: {
  pname = "rookery";
  version = "0.4.0";

  src = fetchFromGitHub {
    owner = "rookery-dev";
    repo = "rookery";
    tag = "v${finalAttrs.version}";
    hash = "sha256-0JM/NTel008fuj6YsSYAiTNz0agvVNfaPvDEMRrpXZQ=";
  };

  vendorHash = "sha256-i387jRR01GCQaYsHetf7U2uXMFousj03QKuAYHLuRc0=";

  subPackages = [ "cmd/rookery" ];

  meta = {
    description = "Container image registry mirror that caches pulls on local disk";
    homepage = "https://github.com/rookery-dev/rookery";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "rookery";
    platforms = lib.platforms.linux;
  };
})
