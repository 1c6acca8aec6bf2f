{
  lib,
  fetchFromGitHub,
  rustPlatform,
}:

rustPlatform.buildRustPackage (finalAttrs: {
  pname = "loamdiff";
  version = "1.4.0";

  src = fetchFromGitHub {
    owner = "loamdiff";
    repo = "loamdiff";
    tag = "v${finalAttrs.version}";
    hash = "sha256-AsIoerTiNZV12w2a7LsP7LE+839Bz0kXbTCpac4cE8U=";
  };

  cargoHash = "sha256-pLHLZbSAbUkO11mXiINybZLW0Uq6WmZwcNb9oSTmyXk=";

  meta = {
    description = "Structural diff tool that compares files by syntax tree";
    homepage = "https://github.com/loamdiff/loamdiff";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "loamdiff";
  };
})
