{
  lib,
  fetchFromGitHub,
  rustPlatform,
}:

rustPlatform.buildRustPackage (finalAttrs: {
  pname = "pennant";
  version = "0.2.8";

  src = fetchFromGitHub {
    owner = "pennant-flags";
    repo = "pennant";
    rev = "v${finalAttrs.version}";
    hash = "sha256-6/akbDCUMstlXeFIAopxNc7ZTiC0F6rW8tOPaNYVmIk=";
  };

  cargoHash = "sha256-0hLWCOMLVt7/uxPBOMT+clCqgljgjN3X8mjHwSnyjEM=";

  meta = {
    description = "Feature flag server with a file-based configuration";
    homepage = "https://pennant.example.org";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "pennant";
  };
})
