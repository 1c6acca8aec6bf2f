{
  lib,
  fetchFromGitHub,
  libcap,
  libseccomp,
  meson,
  ninja,
  pkg-config,
  stdenv,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "fennelbox";
  version = "0.4.1";

  src = fetchFromGitHub {
    owner = "fennelbox";
    repo = "fennelbox";
    tag = "v${finalAttrs.version}";
    hash = "sha256-DFmGr4H2l+G9T+0iZAAys3XV7nf1jptpzasf8zKGHzc=";
  };

  nativeBuildInputs = [
    meson
    ninja
    pkg-config
  ];
  buildInputs = [ libseccomp libcap ];

  meta = {
    description = "Unprivileged sandbox runner built on Linux namespaces and seccomp filters";
    longDescription = ''
      fennelbox starts a program in fresh user, mount and network namespaces,
      applies a seccomp filter chosen by profile and bind-mounts only the
      paths listed on the command line.
    '';
    homepage = "https://github.com/fennelbox/fennelbox";
    license = lib.licenses.lgpl21Plus;
    maintainers = [ ];
    mainProgram = "fennelbox";
    platforms = lib.platforms.linux;
  };
})
