{
  lib,
  fetchFromGitHub,
  fuse3,
  pkg-config,
  rustPlatform,
}:

rustPlatform.buildRustPackage (finalAttrs: {
  pname = "marrowfs";
  version = "0.2.0";

  src = fetchFromGitHub {
    owner = "marrowfs";
    repo = "marrowfs";
    tag = "v${finalAttrs.version}";
    hash = "sha256-SklDOjBBotePmVIRmlVVhCAgybv1IPNOeoY0YF7yqSU=";
  };

  cargoHash = "sha256-y/ZKGposuahLbHt9UvAiPfZH1ySakgoudnUIJ8gfYBg=";

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ fuse3 ];

  meta = {
    description = "FUSE filesystem that presents a tar or zip archive as a read-only directory";
    homepage = "https://github.com/marrowfs/marrowfs";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "marrowfs";
    platforms = lib.platforms.linux;
  };
})
