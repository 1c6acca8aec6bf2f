{
  lib,
  coreutils,
  libnotify,
  writeShellApplication,
}:

writeShellApplication {
  name = "bellwether-notify";
  runtimeInputs = [ libnotify coreutils ];
  text = ''
    start="$(date +%s)"
    status=0
    "$@" || status=$?
    notify-send "$1 finished" "exit $status after $(( $(date +%s) - start ))s"
    exit "$status"
  '';

  meta = {
    description = "Runs a command and sends a desktop notification when it finishes";
    homepage = "https://github.com/bellwether-notify/bellwether-notify";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "bellwether-notify";
    platforms = lib.platforms.linux;
  };
}
