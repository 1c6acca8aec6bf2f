{
  lib,
  gnugrep,
  gnused,
  writeShellApplication,
}:

writeShellApplication {
  name = "mdtoc-sh";
  runtimeInputs = [ gnugrep gnused ];
  text = ''
    grep -E '^#{1,3} ' "$1" | sed -E 's/^(#+) (.*)/\1- \2/; s/#/  /g'
  '';

  meta = {
    description = "Prints a table of contents for a Markdown file";
    homepage = "https://github.com/mdtoc-sh/mdtoc-sh";
    license = lib.licenses.unlicense;
    maintainers = [ ];
    mainProgram = "mdtoc-sh";
  };
}
