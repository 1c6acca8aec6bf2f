{
  lib,
  fetchurl,
  stdenv,
  unzip,
}:

stdenv.mkDerivation rec {
  pname = "gablefont";
  version = "3.004";

  src = fetchurl {
    url = "https://gablefont.example.org/releases/GableFont-${version}.zip";
    hash = "sha256-rGkqr1X1eeii5UiPqecliVIG6vFvTq5c6PX2SzSj2W0=";
  };

  nativeBuildInputs = [ unzip ];

  installPhase = ''
    runHook preInstall
    install -Dm644 *.otf -t $out/share/fonts/opentype
    runHook postInstall
  '';

  meta = {
    description = "Humanist sans-serif typeface family with programming ligatures";
    homepage = "https://gablefont.example.org";
    license = lib.licenses.ofl;
    maintainers = [ ];
    platforms = lib.platforms.all;
  };
}
