{
  lib,
  autoreconfHook,
  fetchurl,
  libnl,
  ncurses,
  pkg-config,
  stdenv,
}:

stdenv.mkDerivation rec {
  pname = "glimmerd";
  version = "1.12";

  src = fetchurl {
    url = "https://downloads.example.org/glimmerd/glimmerd-${version}.tar.xz";
    hash = "sha256-/HXE8shtgd3kkIYJNbZFlndNansB5y3t62iBdUv12Ns=";
  };

  nativeBuildInputs = [ autoreconfHook pkg-config ];
  buildInputs = [ ncurses libnl ];

  configureFlags = [ "--with-ncursesw" "--disable-werror" ];

  enableParallelBuilding = true;

  meta = with lib; {
    description = "Status line daemon that prints battery, network and load for terminal multiplexers";
    homepage = "https://glimmerd.example.org";
    license = licenses.gpl2Only;
    maintainers = [ ];
    mainProgram = "glimmerd";
    platforms = platforms.linux;
  };
}
