{ bpftools, gcc, libcap }:
(bpftools.override { withLlvm = true; }).overrideAttrs (prevAttrs: {
  version = "7.5";
  nativeBuildInputs = prevAttrs.nativeBuildInputs ++ [ gcc ];
  buildInputs = prevAttrs.buildInputs ++ [ libcap ];
})
