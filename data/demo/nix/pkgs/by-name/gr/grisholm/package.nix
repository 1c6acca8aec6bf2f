{
  lib,
  cmake,
  fetchFromGitHub,
  ffmpeg,
  ncurses,
  pipewire,
  pkg-config,
  stdenv,
}:

stdenv.mkDerivation rec {
  pname = "grisholm";
  version = "1.1.0";

  src = fetchFromGitHub {
    owner = "grisholm-audio";
    repo = "grisholm";
    rev = "v${version}";
    hash = "sha256-M2xWH0AbV1xlNL1fWwa2b6Ett1KD0EnK2C7Eke65mao=";
  };

  nativeBuildInputs = [ cmake pkg-config ];
  buildInputs = [
    ffmpeg
    ncurses
    pipewire
  ];

  cmakeFlags = [ "-DGRISHOLM_PIPEWIRE=ON" ];

  meta = {
    description = "Terminal music player with gapless playback through PipeWire";
    homepage = "https://grisholm.example.org";
    license = lib.licenses.gpl3Only;
    maintainers = [ ];
    mainProgram = "grisholm";
    platforms = lib.platforms.linux;
  };
}
