# tarnwick: a caching DNS forwarder.
{
  config,
  lib,
  pkgs,
  ...
}:

let
  cfg = config.services.tarnwick;
  inherit (lib)
    mkEnableOption
    mkIf
    mkOption
    mkPackageOption
    types
    ;
  settingsFormat = pkgs.formats.toml { };
  configFile = settingsFormat.generate "tarnwick.toml" (
    {
      listen = map (a: "${a}:${toString cfg.port}") cfg.listenAddresses;
      upstream = cfg.upstreams;
      cache_entries = cfg.cacheSize;
      log_level = cfg.logLevel;
    }
    // cfg.settings
  );
in
{
  imports = [
    (lib.mkRenamedOptionModule
      [ "services" "tarnwick" "upstreamServers" ]
      [ "services" "tarnwick" "upstreams" ])
  ];

  options.services.tarnwick = {
    enable = mkEnableOption "the tarnwick caching DNS forwarder";

    package = mkPackageOption pkgs "tarnwick" { };

    listenAddresses = mkOption {
      type = types.listOf types.str;
      default = [
        "127.0.0.1"
        "::1"
      ];
      example = [ "0.0.0.0" ];
      description = "Addresses tarnwick binds to.";
    };

    port = mkOption {
      type = types.port;
      default = 53;
      description = "Port tarnwick answers DNS queries on.";
    };

    upstreams = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [
        "tls://9.9.9.9"
        "1.1.1.1"
      ];
      description = "Upstream resolvers; a `tls://` prefix selects DNS-over-TLS.";
    };

    cacheSize = mkOption {
      type = types.ints.positive;
      default = 10000;
      description = "Maximum number of cached DNS records.";
    };

    logLevel = mkOption {
      type = types.enum [
        "debug"
        "info"
        "warn"
        "error"
      ];
      default = "info";
      description = "Verbosity of the tarnwick log.";
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Whether to open the DNS port (TCP and UDP) in the firewall.";
    };

    settings = mkOption {
      type = settingsFormat.type;
      default = { };
      example = {
        prefetch = true;
        min_ttl = 60;
      };
      description = "Extra settings merged into tarnwick.toml.";
    };
  };

  config = mkIf cfg.enable {
    networking.firewall = mkIf cfg.openFirewall {
      allowedTCPPorts = [ cfg.port ];
      allowedUDPPorts = [ cfg.port ];
    };

    systemd.services.tarnwick = {
      description = "tarnwick DNS forwarder";
      wantedBy = [ "multi-user.target" ];
      after = [ "network-online.target" ];
      wants = [ "network-online.target" ];
      serviceConfig = {
        ExecStart = "${lib.getExe cfg.package} --config ${configFile}";
        DynamicUser = true;
        AmbientCapabilities = [ "CAP_NET_BIND_SERVICE" ];
        Restart = "always";
      };
    };
  };
}
