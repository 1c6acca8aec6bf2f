{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule rec {
  pname = "gorsebench";
  version = "0.3.9";

  src = fetchFromGitHub {
    owner = "gorse-load";
    repo = "gorsebench";
    rev = "v${version}";
    hash = "sha256-09YCNrJ1b+acbFRmYUKf3TXq7nPCOeQJPeCvDcGr6Ig=";
  };

  vendorHash = "sha256-z0x/J4f+sj3L3YxNeGC2166ocuAPvh80TeakA6y1YME=";

  subPackages = [ "." ];

  meta = {
    description = "HTTP load generator that reports latency percentiles and throughput";
    homepage = "https://github.com/gorse-load/gorsebench";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "gorsebench";
  };
}
