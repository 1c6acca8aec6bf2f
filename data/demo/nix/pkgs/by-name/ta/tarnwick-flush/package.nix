{
  lib,
  systemd,
  writeShellApplication,
}:

writeShellApplication {
  name = "tarnwick-flush";
  runtimeInputs = [ systemd ];
  text = ''
    systemctl kill --signal=SIGHUP tarnwick.service
    echo "tarnwick cache flushed"
  '';

  meta = {
    description = "Flushes the tarnwick DNS cache by signalling the running service";
    homepage = "https://tarnwick.example.org/flush";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "tarnwick-flush";
    platforms = lib.platforms.linux;
  };
}
