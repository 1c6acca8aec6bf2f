{ pkgs, lib, ... }:
{
  services.udev.packages = [
    (pkgs.callPackage ({ stdenv }: stdenv.mkDerivation {
      name = "board-udev-rules";
      dontUnpack = true;
      meta.description = "Udev rules for the board's fan";
    }) { })
  ];
  boot.initrd.prepend =
    let
      acpi-override = pkgs.stdenv.mkDerivation {
        name = "acpi-override";
        src = pkgs.callPackage ./src.nix { };
        nativeBuildInputs = with pkgs; [ acpica-tools cpio ];
      };
    in
    [ "${acpi-override}/initrd" ];
  environment.systemPackages = [
    (pkgs.writeShellApplication {
      name = "fix-sleep";
      runtimeInputs = [ pkgs.kmod ];
      text = "modprobe -r i2c_hid";
    })
    (pkgs.runCommand "pen-support-6.1.patch" { } "cp ${./pen.patch} $out")
  ];
}
