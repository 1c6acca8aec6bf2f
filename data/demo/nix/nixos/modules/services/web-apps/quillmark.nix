# quillmark: a self-hosted wiki; one systemd service per instance.
{ config, lib, pkgs, ... }:

with lib;

let
  cfg = config.services.quillmark;

  instanceOptions = { name, ... }: {
    options = {
      port = mkOption {
        type = types.port;
        example = 3100;
        description = "Port this wiki instance listens on (localhost only).";
      };

      domain = mkOption {
        type = types.str;
        example = "wiki.example.org";
        description = "Public domain name of this instance; used for the nginx virtual host.";
      };

      enableTLS = mkOption {
        type = types.bool;
        default = true;
        description = "Whether the nginx virtual host uses ACME certificates and forces HTTPS.";
      };

      dataDir = mkOption {
        type = types.str;
        default = "/var/lib/quillmark/${name}";
        defaultText = literalExpression ''"/var/lib/quillmark/''${name}"'';
        description = "Directory holding this instance's SQLite database and uploads.";
      };
    };
  };
in
{
  options.services.quillmark = {
    enable = mkEnableOption "quillmark wiki instances";

    package = mkPackageOption pkgs "quillmark" { };

    user = mkOption {
      type = types.str;
      default = "quillmark";
      description = "User account that runs every quillmark instance.";
    };

    instances = mkOption {
      type = types.attrsOf (types.submodule instanceOptions);
      default = { };
      example = literalExpression ''
        {
          team = {
            port = 3100;
            domain = "wiki.example.org";
          };
        }
      '';
      description = "quillmark instances, each served on its own domain.";
    };
  };

  config = mkIf cfg.enable {
    users.users.${cfg.user} = {
      isSystemUser = true;
      group = cfg.user;
    };
    users.groups.${cfg.user} = { };

    systemd.services = mapAttrs' (name: inst: nameValuePair "quillmark-${name}" {
      description = "quillmark wiki ${name}";
      wantedBy = [ "multi-user.target" ];
      serviceConfig = {
        User = cfg.user;
        ExecStart = "${getExe cfg.package} --listen 127.0.0.1:${toString inst.port} --data ${inst.dataDir}";
        StateDirectory = "quillmark/${name}";
      };
    }) cfg.instances;

    services.nginx.virtualHosts = mapAttrs' (name: inst: nameValuePair inst.domain {
      enableACME = inst.enableTLS;
      forceSSL = inst.enableTLS;
      locations."/".proxyPass = "http://127.0.0.1:${toString inst.port}";
    }) cfg.instances;
  };
}
