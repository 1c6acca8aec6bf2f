{ lib, fetchurl, gmp, readline, stdenv }:

stdenv.mkDerivation (finalAttrs: {
  pname = "spindlecalc";
  version = "2.1";

  src = fetchurl {
    url = "https://spindlecalc.example.org/dist/spindlecalc-${finalAttrs.version}.tar.gz";
    hash = "sha256-I3oeVxal+qt+KJ5QgVmH3OWdbBh4SduPaQdyyjlfsBA=";
  };

  buildInputs = [ readline gmp ];

  installFlags = [ "PREFIX=$(out)" ];

  meta = {
    description = "Reverse Polish notation calculator with arbitrary-precision arithmetic";
    homepage = "https://spindlecalc.example.org";
    license = lib.licenses.gpl3Plus;
    maintainers = [ ];
    mainProgram = "spindle";
    platforms = lib.platforms.unix;
  };
})
