{
  lib,
  curl,
  jq,
  writeShellApplication,
}:

writeShellApplication {
  name = "hearthcheck";
  runtimeInputs = [ curl jq ];
  text = ''
    url="''${1:?usage: hearthcheck URL}"
    status="$(curl -fsS "$url/health" | jq -r .status)"
    [ "$status" = ok ] || { echo "unhealthy: $status" >&2; exit 1; }
  '';
  excludeShellChecks = [ "SC2016" ];

  meta = {
    description = "Health check that exits non-zero unless an HTTP service reports ok";
    homepage = "https://hearthcheck.example.org";
    license = lib.licenses.asl20;
    maintainers = [ ];
    mainProgram = "hearthcheck";
  };
}
