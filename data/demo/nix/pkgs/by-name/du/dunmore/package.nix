{
  lib,
  buildGoModule,
  fetchFromGitHub,
}:

buildGoModule (finalAttrs: {
  pname = "dunmore";
  version = "0.15.2";

  src = fetchFromGitHub {
    owner = "dunmore-ssg";
    repo = "dunmore";
    rev = "v${finalAttrs.version}";
    hash = "sha256-Mxy7NMapq1OOCkpeTk4bZFbq2pSMQZDVS859DSW9CFo=";
  };

  vendorHash = "sha256-FHbEBgwbe/aZkCLINZzsEuBfbk7u0jyahKx/MpF+/7c=";

  tags = [ "extended" ];

  doCheck = false;

  meta = {
    description = "Static site generator that renders Markdown with Go templates";
    homepage = "https://dunmore.example.org";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "dunmore";
  };
})
