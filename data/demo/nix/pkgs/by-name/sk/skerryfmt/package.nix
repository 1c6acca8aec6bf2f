{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule rec {
  pname = "skerryfmt";
  version = "1.1.0";

  src = fetchFromGitHub {
    owner = "skerry-tools";
    repo = "skerryfmt";
    rev = "v${version}";
    hash = "sha256-A7/Z7IsaR49rGQhGdgH0DIcTLIzWjW862PtICnrGT+s=";
  };

  vendorHash = "sha256-Hr7InXsfbutMKMVrwu6GnLiZbn+A8k42cT2uqqzS6tE=";

  ldflags = [
    "-s"
    "-w"
    "-X main.version=${version}"
  ];

  meta = with lib; {
    description = "Opinionated formatter for YAML files that keeps comments in place";
    homepage = "https://github.com/skerry-tools/skerryfmt";
    license = licenses.mit;
    maintainers = [ ];
    mainProgram = "skerryfmt";
  };
}
