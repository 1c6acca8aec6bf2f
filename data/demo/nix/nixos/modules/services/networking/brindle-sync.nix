# brindle-sync: peer-to-peer folder synchronisation.
{ config, lib, pkgs, ... }:

let
  inherit (lib) mkOption types;
  cfg = config.services.brindle-sync;

  folderOptions = { name, ... }: {
    options = {
      path = mkOption {
        type = types.str;
        default = name;
        example = "/home/alice/Documents";
        description = "Local directory that is kept in sync; defaults to the attribute name.";
      };

      devices = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "laptop" "nas" ];
        description = "Names of the peer devices this folder is shared with.";
      };

      readOnly = mkOption {
        type = types.bool;
        default = false;
        description = "Whether local changes are never sent to peers (receive only).";
      };

      rescanInterval = mkOption {
        type = types.int;
        default = 3600;
        description = "Seconds between full rescans of the folder.";
      };
    };
  };

  folderFile = pkgs.writeText "brindle-folders.json" (builtins.toJSON (lib.attrValues cfg.folders));
in
{
  imports = [
    (lib.mkRenamedOptionModule [ "services" "brindle" "guiAddress" ] [ "services" "brindle-sync" "guiAddress" ])
  ];

  options.services.brindle-sync = {
    enable = lib.mkEnableOption "brindle-sync, the folder synchronisation daemon";

    package = lib.mkPackageOption pkgs "brindle-sync" { };

    user = mkOption {
      type = types.str;
      default = "brindle";
      description = "User account under which brindle-sync runs.";
    };

    group = mkOption {
      type = types.str;
      default = "brindle";
      description = "Group under which brindle-sync runs.";
    };

    dataDir = mkOption {
      type = types.path;
      default = "/var/lib/brindle-sync";
      description = "Directory for the device keys and the index database.";
    };

    guiAddress = mkOption {
      type = types.str;
      default = "127.0.0.1:8384";
      description = "Address and port of the web dashboard.";
    };

    folders = mkOption {
      type = types.attrsOf (types.submodule folderOptions);
      default = { };
      example = lib.literalExpression ''
        {
          documents = {
            path = "/home/alice/Documents";
            devices = [ "laptop" ];
          };
        }
      '';
      description = "Folders to synchronise, keyed by folder id.";
    };

    environmentFile = mkOption {
      type = types.nullOr types.path;
      default = null;
      example = "/run/secrets/brindle-sync.env";
      description = "File with environment variables (for example `BRINDLE_API_KEY`) passed to the daemon.";
    };
  };

  config = lib.mkIf cfg.enable {
    users.users.${cfg.user} = {
      isSystemUser = true;
      group = cfg.group;
      home = cfg.dataDir;
    };
    users.groups.${cfg.group} = { };

    systemd.services.brindle-sync = {
      description = "brindle-sync folder synchronisation";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = {
        User = cfg.user;
        Group = cfg.group;
        StateDirectory = "brindle-sync";
        EnvironmentFile = lib.mkIf (cfg.environmentFile != null) cfg.environmentFile;
        ExecStart = "${lib.getExe cfg.package} serve --home ${cfg.dataDir} --gui ${cfg.guiAddress} --folders ${folderFile}";
      };
    };
  };
}
