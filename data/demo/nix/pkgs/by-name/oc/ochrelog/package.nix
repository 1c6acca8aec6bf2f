{
  lib,
  fetchCrate,
  rustPlatform,
}:

rustPlatform.buildRustPackage rec {
  pname = "ochrelog";
  version = "0.7.3";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-Q5Dycb+LxBdLsiUg6/JO6AzivQkb51SDrEFH06QMvcg=";
  };

  cargoHash = "sha256-n05rNzKyB3C+j0/1dia7prLZNzvdQ/c24L3CBWyVbvk=";

  meta = {
    description = "Colourises and filters structured JSON logs in the terminal";
    homepage = "https://ochrelog.example.org";
    license = lib.licenses.mit;
    maintainers = [ ];
    mainProgram = "ochre";
  };
}
