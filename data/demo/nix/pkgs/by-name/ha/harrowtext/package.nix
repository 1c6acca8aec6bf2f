{
  lib,
  cmake,
  fetchFromGitHub,
  gtest,
  libquillfmt,
  ncurses,
  pkg-config,
  stdenv,
  tree-sitter,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "harrowtext";
  version = "4.0.2";

  src = fetchFromGitHub {
    owner = "harrow-editor";
    repo = "harrow";
    rev = "v${finalAttrs.version}";
    hash = "sha256-IIs7apuJt4enmZcPrsyDwayoVCdPNxJxYuO5IKgNpK4=";
  };

  nativeBuildInputs = [ cmake pkg-config ];
  buildInputs = [
    ncurses
    libquillfmt
    tree-sitter
  ];
  nativeCheckInputs = [ gtest ];

  doCheck = true;

  strictDeps = true;

  meta = {
    description = "Modal terminal text editor with tree-sitter highlighting";
    homepage = "https://github.com/harrow-editor/harrow";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "harrow";
    platforms = lib.platforms.unix;
  };
})
