{
  lib,
  buildGoModule,
  fetchFromGitHub,
  installShellFiles,
}:

buildGoModule rec {
  pname = "kestrelctl";
  version = "0.22.0";

  src = fetchFromGitHub {
    owner = "kestrel-io";
    repo = "kestrel";
    rev = "v${version}";
    hash = "sha256-2GBTaYJMZgU9DCCgI6EbAGNLMqdMUYzb7UwDMMJDYa8=";
  };

  vendorHash = "sha256-XvoCwDJiG2IFnkUcCZrseLdZLe76OP4e+Emxc/Y80Xc=";

  nativeBuildInputs = [ installShellFiles ];

  subPackages = [ "cmd/kestrelctl" ];

  ldflags = [
    "-s"
    "-w"
    "-X main.version=${version}"
  ];

  postInstall = ''
    installShellCompletion --cmd kestrelctl \
      --bash <($out/bin/kestrelctl completion bash) \
      --zsh <($out/bin/kestrelctl completion zsh)
  '';

  meta = with lib; {
    description = "Command-line client for the Kestrel job scheduler";
    homepage = "https://github.com/kestrel-io/kestrel";
    license = licenses.asl20;
    maintainers = [ ];
    mainProgram = "kestrelctl";
  };
}
