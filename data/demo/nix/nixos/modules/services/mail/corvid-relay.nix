# corvid-relay: an outgoing-only SMTP relay for hosts that send system mail.
{ config, lib, pkgs, ... }:

let
  cfg = config.services.corvid-relay;
  inherit (lib) mkOption types;
in
{
  imports = [
    (lib.mkRemovedOptionModule [ "services" "corvid-relay" "spoolDir" ]
      "corvid-relay keeps its queue in SQLite under /var/lib/corvid-relay; the spool directory is gone.")
  ];

  options.services.corvid-relay = {
    enable = lib.mkEnableOption "the corvid-relay SMTP relay";

    hostname = mkOption {
      type = types.str;
      default = config.networking.fqdnOrHostName;
      defaultText = lib.literalExpression "config.networking.fqdnOrHostName";
      example = "mx.example.org";
      description = "Host name announced in the SMTP greeting.";
    };

    relayHost = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "smtp.example.org:587";
      description = "Smart host that all mail is forwarded to; null delivers directly by MX lookup.";
    };

    maxMessageSize = mkOption {
      type = types.ints.positive;
      default = 10485760;
      description = "Largest accepted message, in bytes.";
    };

    tls = {
      certFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "PEM certificate offered with STARTTLS.";
      };

      keyFile = mkOption {
        type = types.nullOr types.path;
        default = null;
        description = "Private key for `services.corvid-relay.tls.certFile`.";
      };
    };

    extraArgs = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "--verbose" ];
      description = "Extra command-line arguments for corvid-relay.";
    };
  };

  config = lib.mkIf cfg.enable {
    assertions = [
      {
        assertion = (cfg.tls.certFile == null) == (cfg.tls.keyFile == null);
        message = "services.corvid-relay.tls.certFile and tls.keyFile must be set together.";
      }
    ];

    systemd.services.corvid-relay = {
      description = "corvid-relay SMTP relay";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      wants = [ "network-online.target" ];
      serviceConfig = {
        DynamicUser = true;
        StateDirectory = "corvid-relay";
        ExecStart = lib.escapeShellArgs (
          [ (lib.getExe pkgs.corvid-relay) "--hostname" cfg.hostname "--max-size" (toString cfg.maxMessageSize) ]
          ++ lib.optionals (cfg.relayHost != null) [ "--relay" cfg.relayHost ]
          ++ lib.optionals (cfg.tls.certFile != null) [ "--tls-cert" cfg.tls.certFile "--tls-key" cfg.tls.keyFile ]
          ++ cfg.extraArgs
        );
      };
    };
  };
}
