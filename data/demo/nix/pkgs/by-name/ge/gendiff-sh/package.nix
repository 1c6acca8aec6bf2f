{
  lib,
  coreutils,
  gnused,
  nix,
  writeShellApplication,
}:

writeShellApplication {
  name = "gendiff-sh";
  runtimeInputs = [
    nix
    coreutils
    gnused
  ];
  text = ''
    profile=/nix/var/nix/profiles/system
    prev="$(readlink "$profile" | sed "s/-link//")"
    nix store diff-closures "''${profile}-$(( ''${prev##*-} - 1 ))-link" "$profile"
  '';

  meta = {
    description = "Shows which packages changed between the last two NixOS generations";
    homepage = "https://gendiff-sh.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "gendiff-sh";
  };
}
