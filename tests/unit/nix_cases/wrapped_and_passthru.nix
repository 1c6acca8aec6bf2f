{ stdenvNoCC, vmTools, fetchurl, cpio }:
vmTools.runInLinuxVM (
  stdenvNoCC.mkDerivation {
    pname = "board-firmware";
    version = "2.1";
    src = fetchurl { url = "https://example.org/fw-2.1.tar"; hash = "sha256-F="; };
    nativeBuildInputs = [ cpio ];
    passthru.extractor = stdenvNoCC.mkDerivation {
      pname = "board-firmware-extractor";
      version = "0.3";
      src = fetchurl { url = "https://example.org/extractor-0.3.tar"; hash = "sha256-E="; };
    };
  }
)
