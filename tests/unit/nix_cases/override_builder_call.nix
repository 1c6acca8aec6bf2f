{ lib, fetchFromGitHub, buildLinux, ... }@args:
let
  tag = "stable_1";
in
(buildLinux (args // {
  pname = "linux-board";
  version = "6.6.1-${tag}";
  src = fetchFromGitHub { owner = "board"; repo = "linux"; inherit tag; hash = "sha256-K="; };
})).overrideAttrs (old: {
  postFixup = "";
})
