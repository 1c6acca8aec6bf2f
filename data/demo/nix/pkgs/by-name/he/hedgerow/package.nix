{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule rec {
  pname = "hedgerow";
  version = "1.6.0";

  src = fetchFromGitHub {
    owner = "hedgerow";
    repo = "hedgerow";
    rev = "v${version}";
    hash = "sha256-arVLv6hOokL+b40qbujfZ8hFmWzvcqwrXfTcf4g/XVM=";
  };

  vendorHash = "sha256-eL74K3kQQPk0Ef/PlNC89n02FK/GUiPxuVk8l3lJIWk=";

  ldflags = [
    "-s"
    "-w"
    "-X main.version=${version}"
  ];

  meta = {
    description = "Rate-limiting HTTP middleware server that sits in front of an API";
    homepage = "https://hedgerow.example.org";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "hedgerow";
  };
}
