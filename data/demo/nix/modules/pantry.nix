# NixOS module for the pantry inventory daemon.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.pantry;
in
{
  imports = [ ./pantry-backup.nix ];

  options.services.pantry = {
    enable = lib.mkEnableOption "the pantry inventory service";

    port = lib.mkOption {
      type = lib.types.port;
      default = 8080;
      description = "Port to listen on.";
    };

    dataDir = lib.mkOption {
      type = lib.types.str;
      default = "/var/lib/pantry";
      example = "/srv/pantry";
      description = "Directory where the inventory database is kept.";
    };
  };

  config = lib.mkIf cfg.enable {
    networking.firewall.allowedTCPPorts = [ cfg.port ];

    systemd.services.pantry = {
      description = "pantry home-inventory daemon";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = {
        ExecStart = "${pkgs.pantry}/bin/pantryd --port ${toString cfg.port} --data ${cfg.dataDir}";
        DynamicUser = true;
        StateDirectory = "pantry";
        Restart = "on-failure";
      };
    };
  };
}
