{
  lib,
  fetchFromGitHub,
  rustPlatform,
}:

rustPlatform.buildRustPackage rec {
  pname = "burrowd";
  version = "1.0.0";

  src = fetchFromGitHub {
    owner = "burrowd";
    repo = "burrowd";
    rev = "v${version}";
    hash = "sha256-kxfpefQq6v/ax3Davl+A3eUCSKTTn4e2+/XMU5N4JZw=";
  };

  cargoHash = "sha256-GV3ySe2E0rAtsEnw76l+swta3pw6DPokylE+eVmynJw=";

  meta = {
    description = "mDNS responder and service browser for small networks";
    homepage = "https://github.com/burrowd/burrowd";
    license = with lib.licenses; [ mit asl20 ];
    maintainers = [ ];
    mainProgram = "burrowd";
    platforms = lib.platforms.linux;
  };
}
