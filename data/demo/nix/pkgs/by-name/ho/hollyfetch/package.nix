{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule rec {
  pname = "hollyfetch";
  version = "0.9.7";

  src = fetchFromGitHub {
    owner = "hollyfetch";
    repo = "hollyfetch";
    rev = "v${version}";
    hash = "sha256-XpL/DpA5ol44tU4GxwksiUVAgB1RkkVaD9JBmvZsAvA=";
  };

  vendorHash = "sha256-Rjrz9nS6xaWT4ZMfJFCYdV6eR/toSYe1fBhJLrO5+4Q=";

  subPackages = [ "cmd/hollyfetch" ];

  doCheck = false; # tests clone from the network

  meta = with lib; {
    description = "Keeps local mirrors of Git repositories up to date";
    homepage = "https://github.com/hollyfetch/hollyfetch";
    license = licenses.bsd2;
    maintainers = [ ];
    mainProgram = "hollyfetch";
  };
}
