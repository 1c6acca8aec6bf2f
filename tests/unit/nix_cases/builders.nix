{ buildGoModule, go_1_22, writeShellApplication, symlinkJoin, jq, hello }:
{
  tool = (buildGoModule.override { go = go_1_22; }) {
    pname = "tool";
    version = "1.0";
    vendorHash = null;
  };
  script = writeShellApplication {
    name = "script";
    runtimeInputs = [ jq ];
    text = "jq .";
  };
  joined = symlinkJoin {
    name = "joined";
    paths = [ hello ];
  };
}
