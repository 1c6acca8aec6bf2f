{
  lib,
  fetchFromGitHub,
  libcap,
  libuv,
  meson,
  ninja,
  openssl,
  pkg-config,
  stdenv,
}:

stdenv.mkDerivation (finalAttrs: {
  pname = "tarnwick";
  version = "0.9.4";

  src = fetchFromGitHub {
    owner = "tarnwick-dns";
    repo = "tarnwick";
    rev = "v${finalAttrs.version}";
    hash = "sha256-9r8R8Ppt9cIQBps90ehzWyZnh+dd4glJ+fXVAZs7qXY=";
  };

  nativeBuildInputs = [
    meson
    ninja
    pkg-config
  ];
  buildInputs = [
    libuv
    openssl
    libcap
  ];

  mesonFlags = [
    (lib.mesonBool "dnssec" true)
    (lib.mesonEnable "systemd" stdenv.hostPlatform.isLinux)
  ];

  meta = {
    description = "Caching DNS forwarder with DNS-over-TLS upstreams";
    longDescription = ''
      tarnwick answers DNS queries from a local cache and forwards misses to a
      list of upstream resolvers over plain DNS or DNS-over-TLS. It is
      configured by a single TOML file.
    '';
    homepage = "https://tarnwick.example.org";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "tarnwickd";
    platforms = lib.platforms.linux;
  };
})
