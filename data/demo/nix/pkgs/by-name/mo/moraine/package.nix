{
  lib,
  fetchurl,
  ncurses,
  stdenv,
}:

stdenv.mkDerivation rec {
  pname = "moraine";
  version = "5.2.0";

  src = fetchurl {
    url = "https://moraine.example.org/moraine-${version}.tar.gz";
    hash = "sha256-EV2rEusmCaoWkvs2/i60LxpvsSRWAqiClttwTx1fv3k=";
  };

  buildInputs = [ ncurses ];

  meta = with lib; {
    description = "Disk usage analyser with an ncurses interface";
    homepage = "https://moraine.example.org";
    license = licenses.gpl2Plus;
    maintainers = [ ];
    mainProgram = "moraine";
    platforms = platforms.unix;
  };
}
