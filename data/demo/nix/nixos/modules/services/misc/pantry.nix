# NixOS module for the pantry inventory daemon.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.pantry;
in
{
  imports = [ ./pantry-backup.nix ];

  options.services.pantry = {
    enable = lib.mkEnableOption "the pantry inventory service";

    package = lib.mkPackageOption pkgs "pantry" { };

    port = lib.mkOption {
      type = lib.types.port;
      default = 8080;
      description = "Port the pantry daemon listens on.";
    };

    dataDir = lib.mkOption {
      type = lib.types.str;
      default = "/var/lib/pantry";
      example = "/srv/pantry";
      description = "Directory where pantry keeps its database.";
    };

    openFirewall = lib.mkOption {
      type = lib.types.bool;
      default = false;
      description = "Whether to open the pantry port in the firewall.";
    };
  };

  config = lib.mkIf cfg.enable {
    networking.firewall.allowedTCPPorts = lib.mkIf cfg.openFirewall [ cfg.port ];

    systemd.services.pantry = {
      description = "pantry home-inventory daemon";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = {
        ExecStart = "${lib.getExe cfg.package} --port ${toString cfg.port} --data ${cfg.dataDir}";
        DynamicUser = true;
        StateDirectory = "pantry";
        Restart = "on-failure";
      };
    };
  };
}
