{
  lib,
  fetchCrate,
  pkg-config,
  rustPlatform,
  systemdLibs,
  v4l-utils,
}:

rustPlatform.buildRustPackage rec {
  pname = "cresset";
  version = "1.1.0";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-r8e+cMbvmvDvKiQnEGHhVJRUO8Xknjajz8oXMKmfqNo=";
  };

  cargoHash = "sha256-h5vSeY1CatmDxvcubC/b5LSEvc0JXdiMWOeYF69WmWU=";

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ v4l-utils systemdLibs ];

  meta = {
    description = "Ambient light daemon that adjusts screen brightness from a webcam";
    homepage = "https://cresset.example.org";
    license = lib.licenses.gpl3Only;
    maintainers = [ ];
    mainProgram = "cresset";
    platforms = lib.platforms.linux;
  };
}
