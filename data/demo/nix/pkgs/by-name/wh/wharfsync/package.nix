{
  lib,
  openssh,
  rsync,
  writeShellApplication,
}:

writeShellApplication {
  name = "wharfsync";
  runtimeInputs = [ rsync openssh ];
  text = ''
    src="''${1:?usage: wharfsync SRC HOST:DEST}"
    dest="''${2:?usage: wharfsync SRC HOST:DEST}"
    rsync -az --delete --info=progress2 "$src" "$dest"
  '';

  meta = {
    description = "Mirrors a directory to a remote host over SSH with rsync";
    homepage = "https://wharfsync.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "wharfsync";
  };
}
