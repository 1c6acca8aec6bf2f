{
  lib,
  nix,
  writeShellApplication,
}:

writeShellApplication {
  name = "nixgen-tree";
  runtimeInputs = [ nix ];
  text = ''
    nix-store --query --tree /run/current-system
  '';

  meta = {
    description = "Prints the closure of the current system as an indented tree";
    homepage = "https://nixgen-tree.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "nixgen-tree";
  };
}
