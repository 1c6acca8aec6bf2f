{
  lib,
  btrfs-progs,
  coreutils,
  util-linux,
  writeShellApplication,
}:

writeShellApplication {
  name = "snapwren";
  runtimeInputs = [
    btrfs-progs
    util-linux
    coreutils
  ];
  text = ''
    subvol="''${1:?usage: snapwren SUBVOLUME}"
    stamp="$(date +%Y-%m-%dT%H%M)"
    btrfs subvolume snapshot -r "$subvol" "$subvol/.snapshots/$stamp"
  '';

  meta = {
    description = "Takes read-only timestamped btrfs snapshots of a subvolume";
    homepage = "https://snapwren.example.org";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "snapwren";
    platforms = lib.platforms.linux;
  };
}
