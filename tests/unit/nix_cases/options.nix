{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  userOpts = { name, ... }: {
    options = {
      home = mkOption { type = types.str; description = "Home directory."; };
    };
  };
in
{
  imports = [
    (lib.mkRenamedOptionModule [ "services" "old" "enable" ] [ "services" "new" "enable" ])
    (lib.mkRemovedOptionModule [ "services" "gone" ] "Use services.new instead.")
  ];
  options = let
    portOpt = mkOption { type = types.port; default = 80; };
  in {
    services.new = {
      enable = lib.mkEnableOption "the new service" // { default = true; };
      package = lib.mkPackageOption pkgs "hello" { };
      port = portOpt;
    };
    users.users = mkOption {
      type = types.attrsOf (types.submodule userOpts);
      default = { };
    };
  };
  config = { };
}
