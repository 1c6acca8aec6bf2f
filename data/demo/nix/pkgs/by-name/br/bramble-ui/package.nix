{
  lib,
  buildNpmPackage,
  fetchFromGitHub,
}:

buildNpmPackage (finalAttrs: {
  pname = "bramble-ui";
  version = "0.7.0";

  src = fetchFromGitHub {
    owner = "brindle-sync";
    repo = "bramble-ui";
    tag = "v${finalAttrs.version}";
    hash = "sha256-zPhiu0hFIlhebCPSBpSC6XyXNMCmUG04ARGzoleq9Ws=";
  };

  npmDepsHash = "sha256-TWv58ljhvl8sZ9rPnEchsPTnrYl3YR6fIU1btaUY26s=";

  installPhase = ''
    runHook preInstall
    cp -r dist $out
    runHook postInstall
  '';

  meta = {
    description = "Alternative web dashboard for brindle-sync built as static files";
    homepage = "https://github.com/brindle-sync/bramble-ui";
    license = lib.licenses.mpl20;
    maintainers = [ ];
  };
})
