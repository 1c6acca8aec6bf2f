{ lib, fetchurl, libmicrohttpd, sqlite, stdenv, versionCheckHook }:

stdenv.mkDerivation (finalAttrs: {
  pname = "cairnstat";
  version = "0.2.5";

  src = fetchurl {
    url = "https://cairnstat.example.org/cairnstat-${finalAttrs.version}.tar.gz";
    hash = "sha256-4cf9p6oCcdYRCX2ebNT/tgXuOUrX5bNYl2BnTz6SM7c=";
  };

  buildInputs = [ libmicrohttpd sqlite ];

  makeFlags = [ "PREFIX=${placeholder "out"}" ];

  nativeInstallCheckInputs = [ versionCheckHook ];
  doInstallCheck = true;

  meta = {
    description = "Tiny HTTP server that graphs disk usage history from periodic samples";
    homepage = "https://cairnstat.example.org";
    license = lib.licenses.isc;
    maintainers = [ ];
    mainProgram = "cairnstat";
    platforms = lib.platforms.unix;
  };
})
