{
  lib,
  fetchCrate,
  openssl,
  pkg-config,
  rustPlatform,
}:

rustPlatform.buildRustPackage rec {
  pname = "quarry-cli";
  version = "2.5.0";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-Ycwh285uBy/VZ3zcxo1UYcoXTqY9BHRLRh4ufePEV+M=";
  };

  cargoHash = "sha256-bxrKTRXZ1Iq+lai2tun5lySVdGYywLdOzrJA4/a2PuA=";

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ openssl ];

  meta = {
    description = "Command-line client for S3-compatible object stores";
    homepage = "https://quarry-cli.example.org";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "quarry";
  };
}
