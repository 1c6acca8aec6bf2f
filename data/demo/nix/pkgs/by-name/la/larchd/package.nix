{
  lib,
  dbus,
  fetchFromGitHub,
  pkg-config,
  rustPlatform,
}:

rustPlatform.buildRustPackage (finalAttrs: {
  pname = "larchd";
  version = "0.3.0";

  src = fetchFromGitHub {
    owner = "larchd";
    repo = "larchd";
    tag = "v${finalAttrs.version}";
    hash = "sha256-Ju5LVNy6mrYxAeduatzLupuSr4U+mQ/UhfYauvI/2rA=";
  };

  cargoHash = "sha256-o6IvMrvFuIJox0HV9b6CVW7QiapFifmpPSpb85gvyCY=";

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ dbus ];

  meta = {
    description = "Battery charge limiter daemon for laptops that support charge thresholds";
    homepage = "https://github.com/larchd/larchd";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "larchd";
    platforms = lib.platforms.linux;
  };
})
