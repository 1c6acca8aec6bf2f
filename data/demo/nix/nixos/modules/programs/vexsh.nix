# programs.vexsh: install the vexsh shell system-wide and write /etc/vexsh/config.vx.
{ config, lib, pkgs, ... }:

let
  cfg = config.programs.vexsh;
  aliasLines = lib.mapAttrsToList (k: v: "alias ${k} = ${lib.escapeShellArg v}") cfg.aliases;
in
{
  options.programs.vexsh = {
    enable = lib.mkEnableOption "vexsh, the structured-pipeline shell";

    package = lib.mkPackageOption pkgs "vexsh" { };

    aliases = lib.mkOption {
      type = lib.types.attrsOf lib.types.str;
      default = { };
      example = {
        ll = "ls --long";
        gs = "git status";
      };
      description = "Aliases defined for every vexsh session.";
    };

    promptStyle = lib.mkOption {
      type = lib.types.enum [ "minimal" "classic" "powerline" ];
      default = "minimal";
      description = "Built-in prompt theme.";
    };

    enableCompletion = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = "Whether to load completions for the packages in `environment.systemPackages`.";
    };

    extraConfig = lib.mkOption {
      type = lib.types.lines;
      default = "";
      example = ''
        set history.size = 50000
      '';
      description = "Lines appended to /etc/vexsh/config.vx.";
    };
  };

  config = lib.mkIf cfg.enable {
    environment.systemPackages = [ cfg.package ];
    environment.shells = [ cfg.package ];
    environment.etc."vexsh/config.vx".text = lib.concatStringsSep "\n" (
      [ "prompt.style = ${cfg.promptStyle}" ]
      ++ lib.optional cfg.enableCompletion "completion.system = true"
      ++ aliasLines
      ++ [ cfg.extraConfig ]
    );
  };
}
