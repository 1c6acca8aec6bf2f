final: prev: {
  foo_git = prev.foo.overrideAttrs (old: {
    version = "2.0-unstable";
    src = final.fetchFromGitHub { owner = "o"; repo = "foo"; rev = "abc1234"; hash = "sha256-G="; };
  });
  foo-scanner_git = prev.foo-scanner.overrideAttrs (_: {
    inherit (final.foo_git) src;
  });
  plain = 1;
}
