{
  lib,
  cmake,
  fetchurl,
  libquillfmt,
  openssl,
  sqlite,
  stdenv,
  zlib,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "corvid-relay";
  version = "3.2.0";

  src = fetchurl {
    url = "https://corvid-mail.example.org/releases/corvid-relay-${finalAttrs.version}.tar.gz";
    hash = "sha256-03gGAirEWbK7d6TBKwErKY4uoIYBkxPGJcPh45m0gEU=";
  };

  nativeBuildInputs = [ cmake ];
  buildInputs = [
    openssl
    sqlite
    zlib
    libquillfmt
  ];

  cmakeFlags = [ "-DCORVID_WITH_SQLITE=ON" ];

  postInstall = ''
    install -Dm644 ../contrib/corvid-relay.service -t $out/lib/systemd/system
  '';

  meta = {
    description = "Lightweight SMTP relay that queues outgoing mail in SQLite";
    homepage = "https://corvid-mail.example.org";
    license = lib.licenses.mpl20;
    maintainers = [ ];
    mainProgram = "corvid-relay";
    platforms = lib.platforms.unix;
  };
})
