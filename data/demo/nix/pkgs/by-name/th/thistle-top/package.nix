{
  lib,
  fetchCrate,
  rustPlatform,
}:

rustPlatform.buildRustPackage rec {
  pname = "thistle-top";
  version = "0.5.6";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-7ayzeNWBsg5YP6e+Y0iSvKZF/l1nkLCjIK9umSevI68=";
  };

  cargoHash = "sha256-cCqPW9T4GIdCrZG60KANmgxJc+OtKxiuR2z61d1B1h4=";

  buildNoDefaultFeatures = true;
  buildFeatures = [ "gpu" ];

  meta = {
    description = "Terminal process monitor with per-cgroup CPU, memory and GPU graphs";
    homepage = "https://thistle-top.example.org";
    license = lib.licenses.gpl3Only;
    maintainers = [ ];
    mainProgram = "ttop";
    platforms = lib.platforms.linux;
  };
}
