{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule (finalAttrs: {
  pname = "brindle-sync";
  version = "1.8.3";

  src = fetchFromGitHub {
    owner = "brindle-sync";
    repo = "brindle-sync";
    tag = "v${finalAttrs.version}";
    hash = "sha256-LKbFnBGU0FYWW7Ow6QvdszmhUZ+sm9OPWjkgROfSVDM=";
  };

  vendorHash = "sha256-V31QP6f/1G9X3FvcnCEYRvvClPkpk6WWvRflpej1Hmk=";

  subPackages = [ "cmd/brindle" ];

  ldflags = [
    "-s"
    "-w"
    "-X github.com/brindle-sync/brindle-sync/internal/build.Version=${finalAttrs.version}"
  ];

  meta = {
    description = "Peer-to-peer folder synchronisation daemon with a web dashboard";
    homepage = "https://brindle-sync.example.org";
    license = lib.licenses.mpl20;
    maintainers = [ ];
    mainProgram = "brindle";
    platforms = lib.platforms.unix;
  };
})
