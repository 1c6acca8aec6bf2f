{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule rec {
  pname = "kilnexporter";
  version = "0.5.3";

  src = fetchFromGitHub {
    owner = "kilnexporter";
    repo = "kilnexporter";
    rev = "v${version}";
    hash = "sha256-uea/zq0Ca2uUIfcKeeEEjoZ1OJ68QVjhUgUPjAqA3/c=";
  };

  vendorHash = "sha256-YmLb5w6wgHtDlGBunviJwNgh4Kp+tsMX0Cb1TU1fldo=";

  ldflags = [
    "-s"
    "-w"
    "-X main.version=${version}"
  ];

  meta = {
    description = "Prometheus exporter for pottery kiln controllers";
    homepage = "https://github.com/kilnexporter/kilnexporter";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "kilnexporter";
  };
}
