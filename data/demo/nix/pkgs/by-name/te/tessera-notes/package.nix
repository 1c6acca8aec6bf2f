{
  lib,
  buildNpmPackage,
  electron,
  fetchFromGitHub,
  makeWrapper,
}:

buildNpmPackage (finalAttrs: {
  pname = "tessera-notes";
  version = "0.5.2";

  src = fetchFromGitHub {
    owner = "tessera-notes";
    repo = "tessera-notes";
    tag = "v${finalAttrs.version}";
    hash = "sha256-jUi30FfaQ2C7KqbxVzGLW1SrsSpP15yWMZRM8YjmNf8=";
  };

  npmDepsHash = "sha256-r2o4xW3YMpqrjn7GEiPHPwXvhJ7v/IcfpwIyoNAWfNQ=";

  nativeBuildInputs = [ makeWrapper ];

  env.ELECTRON_SKIP_BINARY_DOWNLOAD = "1";

  postInstall = ''
    makeWrapper ${lib.getExe electron} $out/bin/tessera \
      --add-flags $out/lib/node_modules/tessera-notes
  '';

  meta = {
    description = "Desktop outliner for linked notes, built on Electron";
    homepage = "https://tessera-notes.example.org";
    license = lib.licenses.agpl3Only;
    maintainers = [ ];
    mainProgram = "tessera";
  };
})
