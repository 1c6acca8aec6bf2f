{
  lib,
  cmake,
  fetchFromGitHub,
  llvmPackages,
  python3,
  stdenv,
  zlib,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "plinthc";
  version = "0.11.3";

  src = fetchFromGitHub {
    owner = "plinth-lang";
    repo = "plinth";
    tag = "v${finalAttrs.version}";
    hash = "sha256-556xHTdPk+Olkfk7ZfKrw7Ap+vx2QPkd52pgODp+qLo=";
  };

  nativeBuildInputs = [ cmake python3 ];
  buildInputs = [ llvmPackages.llvm zlib ];

  meta = {
    description = "Compiler for the Plinth teaching language with an LLVM backend";
    homepage = "https://plinth-lang.example.org";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "plinthc";
    platforms = lib.platforms.unix;
  };
})
