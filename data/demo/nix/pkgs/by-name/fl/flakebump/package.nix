{
  lib,
  git,
  nix,
  writeShellApplication,
}:

writeShellApplication {
  name = "flakebump";
  runtimeInputs = [ nix git ];
  text = ''
    nix flake update --commit-lock-file
    git log -1 --stat
  '';

  meta = {
    description = "Updates every flake input and commits the new flake.lock";
    homepage = "https://github.com/flakebump/flakebump";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "flakebump";
  };
}
