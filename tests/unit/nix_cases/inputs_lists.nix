{ lib, stdenv, fetchurl, cmake, openssl, zlib, pytest, python3Packages, libvncserver, withX ? true }:
let
  libvncserver-patched = libvncserver.overrideAttrs (old: { patches = [ ]; });
  common = [ zlib ];
in
stdenv.mkDerivation {
  pname = "lists";
  version = "2.0";
  src = fetchurl { url = "https://example.org/lists-2.0.tar.gz"; hash = "sha256-B="; };
  nativeBuildInputs = [ cmake ] ++ lib.optional withX openssl;
  buildInputs = common ++ [ libvncserver-patched ];
  nativeInstallCheckInputs = [ pytest ];
  depsBuildBuild = lib.optionals stdenv.isLinux [ stdenv.cc ];
  propagatedBuildInputs = builtins.attrValues { inherit (python3Packages) requests click; };
  nativeCheckInputs = with python3Packages; [ hypothesis ];
}
