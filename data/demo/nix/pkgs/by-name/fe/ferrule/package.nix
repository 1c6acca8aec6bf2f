{ lib, autoreconfHook, fetchurl, stdenv }:

stdenv.mkDerivation rec {
  pname = "ferrule";
  version = "1.4";

  src = fetchurl {
    url = "https://ferrule.example.org/releases/ferrule-${version}.tar.bz2";
    hash = "sha256-BEq3Kyl2K/q02s8Wn1kBl5SsNnQFSQbp85zOkISRlb8=";
  };

  nativeBuildInputs = [ autoreconfHook ];

  configureFlags = [ "--enable-lockdev=no" ];

  meta = with lib; {
    description = "Minimal serial console terminal with logging and XMODEM transfers";
    homepage = "https://ferrule.example.org";
    license = licenses.gpl2Only;
    maintainers = [ ];
    mainProgram = "ferrule";
    platforms = platforms.unix;
  };
}
