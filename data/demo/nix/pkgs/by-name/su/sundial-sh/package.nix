{
  lib,
  curl,
  jq,
  writeShellApplication,
}:

writeShellApplication {
  name = "sundial-sh";
  runtimeInputs = [ curl jq ];
  text = ''
    curl -fsS "https://sun.example.org/api?lat=$1&lng=$2" | jq -r '.results | "\(.sunrise) \(.sunset)"'
  '';

  meta = {
    description = "Prints sunrise and sunset times for a latitude and longitude";
    homepage = "https://sundial-sh.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "sundial-sh";
  };
}
