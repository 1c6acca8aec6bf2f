# libquillfmt: a text layout library that several demo packages link against.
{
  lib,
  cmake,
  fetchFromGitHub,
  icu,
  pkg-config,
  stdenv,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "libquillfmt";
  version = "2.7.1";

  src = fetchFromGitHub {
    owner = "quillworks";
    repo = "libquillfmt";
    tag = "v${finalAttrs.version}";
    hash = "sha256-FO2I3BE4RSVUOvlgCFp6JMhOmqDU6PMzYYSDkjrCJ8g=";
  };

  nativeBuildInputs = [ cmake pkg-config ];
  buildInputs = [ icu ];

  cmakeFlags = [
    (lib.cmakeBool "QUILLFMT_BUILD_SHARED" (!stdenv.hostPlatform.isStatic))
  ];

  doCheck = true;

  meta = {
    description = "Small C library for wrapping, aligning and hyphenating Unicode text";
    homepage = "https://github.com/quillworks/libquillfmt";
    changelog = "https://github.com/quillworks/libquillfmt/blob/v${finalAttrs.version}/CHANGELOG.md";
    license = lib.licenses.bsd3;
    maintainers = [ ];
    platforms = lib.platforms.unix;
  };
})
