{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule rec {
  pname = "wrenproxy";
  version = "2.4.0";

  src = fetchFromGitHub {
    owner = "wrenproxy";
    repo = "wrenproxy";
    rev = "v${version}";
    hash = "sha256-oNT6W6B615sitPr0YrR5rOOkhS5eIBzcRH/sSt0DSJ8=";
  };

  vendorHash = "sha256-dYMXf+QwOHePS91Sd01JJUD0ZnIbL/8dKvu1JcB3gVw=";

  ldflags = [
    "-s"
    "-w"
    "-X main.version=${version}"
  ];

  env.CGO_ENABLED = 0;

  meta = {
    description = "Reverse proxy that obtains TLS certificates over ACME automatically";
    homepage = "https://github.com/wrenproxy/wrenproxy";
    license = lib.licenses.bsd3;
    maintainers = [ ];
    mainProgram = "wrenproxy";
    platforms = lib.platforms.linux;
  };
}
