{
  # First version: a dev shell with Python and the pipeline's tools. The pinned Python packages
  # come from requirements.lock (installed by `make`), so the shell and CI use the same versions.
  description = "nanodex: a Snakemake pipeline that turns code and the Nix ecosystem into a model that knows them";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = import nixpkgs { inherit system; };
        python = pkgs.python311;
      in
      {
        devShells.default = pkgs.mkShell {
          packages = [
            python
            python.pkgs.pip
            python.pkgs.virtualenv
            pkgs.git
            pkgs.gnumake
            pkgs.sqlite
          ];
          shellHook = ''
            echo "nanodex dev shell: run 'make test' or 'make train'"
          '';
        };

        apps.default = {
          type = "app";
          program = toString (pkgs.writeShellScript "nanodex-train" ''
            exec ${pkgs.gnumake}/bin/make train
          '');
        };
      });
}
