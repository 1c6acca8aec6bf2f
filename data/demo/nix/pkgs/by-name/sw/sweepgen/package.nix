{
  lib,
  coreutils,
  nix,
  writeShellApplication,
}:

writeShellApplication {
  name = "sweepgen";
  runtimeInputs = [ nix coreutils ];
  text = ''
    keep="''${1:-5}"
    echo "keeping the newest $keep system generations"
    nix-env --profile /nix/var/nix/profiles/system --delete-generations "+$keep"
    nix-store --gc
  '';

  meta = {
    description = "Deletes all but the newest N NixOS system generations and collects garbage";
    homepage = "https://sweepgen.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "sweepgen";
  };
}
