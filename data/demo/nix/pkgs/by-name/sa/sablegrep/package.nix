{
  lib,
  fetchCrate,
  installShellFiles,
  rustPlatform,
}:

rustPlatform.buildRustPackage rec {
  pname = "sablegrep";
  version = "3.0.1";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-IIJnMLU+y4tdnz5bqD5WQHTol+nO18M8+viX0pJIbzQ=";
  };

  cargoHash = "sha256-1wsSaS6jvTsX8bfTfcs0PhKAOYLVKAcOnn26YCf4r3c=";

  nativeBuildInputs = [ installShellFiles ];

  postInstall = ''
    installManPage doc/sablegrep.1
  '';

  meta = {
    description = "Recursive search tool that respects ignore files and searches compressed archives";
    homepage = "https://github.com/sablegrep/sablegrep";
    license = with lib.licenses; [ mit unlicense ];
    maintainers = [ ];
    mainProgram = "sg";
  };
}
