{
  lib,
  buildGoModule,
  fetchFromGitHub,
  git,
}:

buildGoModule (finalAttrs: {
  pname = "tumbleweed-ci";
  version = "0.12.0";

  src = fetchFromGitHub {
    owner = "tumbleweed-ci";
    repo = "tumbleweed-ci";
    tag = "v${finalAttrs.version}";
    hash = "sha256-usrX+lCYJi8gt9oSoeRfwcbCZnlErrtibBXFBgoHFX8=";
  };

  vendorHash = "sha256-VR4aLI7o27DWzuY3zVeaMZ/8JGBDp8567LyGC7TdgFc=";

  nativeCheckInputs = [ git ];

  subPackages = [ "cmd/tumbleweed" ];

  meta = {
    description = "Self-hosted CI runner that executes jobs in Nix shells";
    homepage = "https://tumbleweed-ci.example.org";
    license = lib.licenses.agpl3Only;
    maintainers = [ ];
    mainProgram = "tumbleweed";
  };
})
