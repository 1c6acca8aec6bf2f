{
  lib,
  gawk,
  iproute2,
  writeShellApplication,
}:

writeShellApplication {
  name = "portsniff";
  runtimeInputs = [ iproute2 gawk ];
  text = ''
    ss -tulpnH | awk '{ print $1, $5, $7 }' | sort -u
  '';

  meta = {
    description = "Lists listening TCP and UDP ports with the process that owns each";
    homepage = "https://github.com/portsniff/portsniff";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "portsniff";
    platforms = lib.platforms.linux;
  };
}
