# Optional nightly backup of the pantry database.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.pantry;
in
{
  options.services.pantry.backupSchedule = lib.mkOption {
    type = lib.types.nullOr lib.types.str;
    default = null;
    example = "daily";
    description = "When to back up the pantry database (a systemd calendar expression), or null for no backups.";
  };

  config = lib.mkIf (cfg.enable && cfg.backupSchedule != null) {
    systemd.services.pantry-backup = {
      description = "Back up the pantry database";
      serviceConfig.Type = "oneshot";
      script = ''
        ${pkgs.coreutils}/bin/cp -r ${cfg.dataDir} ${cfg.dataDir}.bak
      '';
    };

    systemd.timers.pantry-backup = {
      wantedBy = [ "timers.target" ];
      timerConfig.OnCalendar = cfg.backupSchedule;
    };
  };
}
