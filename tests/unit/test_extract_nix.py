import json

PACKAGE = """
# The pantry package.
{ lib, stdenv, fetchFromGitHub, cmake, openssl, zlib, python3Packages, }:

stdenv.mkDerivation (finalAttrs: {
  pname = "pantry";
  version = "1.4.2";
  src = fetchFromGitHub {
    owner = "example";
    repo = "pantry";
    rev = "v${finalAttrs.version}";
    hash = "sha256-AAAA=";
  };
  nativeBuildInputs = [ cmake ];
  buildInputs = [ openssl zlib ] ++ lib.optionals stdenv.isLinux [ python3Packages.requests ];
  meta = with lib; {
    description = "Home inventory";
    homepage = "https://example.org/pantry";
    license = licenses.mit;
  };
})
"""


def test_package_facts_and_inputs(ex):
    r = ex("nix", PACKAGE, path="pkgs/by-name/pa/pantry/package.nix")
    # The trailing comma in the formals is valid Nix; tree-sitter-nix 0.1.0 leaves a MISSING node.
    assert r.res.status == "ok"
    assert r.nodes == [
        ("module", "pkgs/by-name/pa/pantry/package.nix", 1, 20),
        ("input", "arg:lib", 2, 2), ("input", "arg:stdenv", 2, 2), ("input", "arg:fetchFromGitHub", 2, 2),
        ("input", "arg:cmake", 2, 2), ("input", "arg:openssl", 2, 2), ("input", "arg:zlib", 2, 2),
        ("input", "arg:python3Packages", 2, 2),
        ("package", "pkg:pantry", 4, 20),
    ]
    meta = json.loads(r.by_key["pkg:pantry"][11])
    assert meta == {
        "attr": "pantry",
        "builder": "stdenv.mkDerivation",
        "pname": "pantry",
        "version": "1.4.2",
        "src": {"fetcher": "fetchFromGitHub",
                "args": {"owner": "example", "repo": "pantry", "rev": "v${finalAttrs.version}",
                         "hash": "sha256-AAAA="}},
        "inputs": {"nativeBuildInputs": ["cmake"],
                   "buildInputs": ["openssl", "zlib", "python3Packages.requests"]},
        "meta": {"description": "Home inventory", "homepage": "https://example.org/pantry", "license": "mit"},
    }
    deps = sorted(e[1] for e in r.edges if e[2] == "depends_on")
    assert deps == ["arg:cmake", "arg:openssl", "arg:python3Packages", "arg:zlib"]
    assert r.doc("pkg:pantry") == "Home inventory"
    assert r.sig("pkg:pantry") == "pantry 1.4.2"
    assert r.by_key["pkgs/by-name/pa/pantry/package.nix"][10] == "The pantry package."


def test_rec_style_package_with_name(ex):
    r = ex("nix", """
        { lib, python3Packages, fetchurl, pantry }:
        python3Packages.buildPythonApplication rec {
          name = "pantry-cli-0.3.0";
          src = fetchurl { url = "https://example.org/${name}.tar.gz"; sha256 = "abc"; };
          propagatedBuildInputs = [ pantry python3Packages.requests ];
          meta.license = [ lib.licenses.asl20 lib.licenses.mit ];
          meta.description = "CLI";
        }
        """, path="pkgs/tools/pantry-cli/default.nix")
    meta = json.loads(r.by_key["pkg:pantry-cli"][11])
    assert (meta["name"], meta["pname"], meta["version"]) == ("pantry-cli-0.3.0", "pantry-cli", "0.3.0")
    assert meta["builder"] == "python3Packages.buildPythonApplication"
    assert meta["src"] == {"fetcher": "fetchurl",
                           "args": {"url": "https://example.org/${name}.tar.gz", "sha256": "abc"}}
    assert meta["meta"] == {"license": ["asl20", "mit"], "description": "CLI"}
    assert sorted(e[1] for e in r.edges if e[2] == "depends_on") == ["arg:pantry", "arg:python3Packages"]


def test_nixos_module_options_and_imports(ex):
    r = ex("nix", """
        { config, lib, pkgs, ... }:
        let
          cfg = config.services.pantry;
        in
        {
          imports = [ ./backup.nix ];
          options.services.pantry = {
            enable = lib.mkEnableOption "the pantry service";
            # The port.
            port = lib.mkOption {
              type = lib.types.port;
              default = 8080;
              description = "Port to listen on.";
            };
          };
          config = lib.mkIf cfg.enable { systemd.services.pantry.script = "${pkgs.pantry}/bin/pantry"; };
        }
        """, path="modules/pantry.nix")
    assert r.nodes == [
        ("module", "modules/pantry.nix", 1, 17),
        ("input", "arg:config", 1, 1), ("input", "arg:lib", 1, 1), ("input", "arg:pkgs", 1, 1),
        ("variable", "cfg", 3, 3),
        ("option", "option:services.pantry.enable", 8, 8),
        ("option", "option:services.pantry.port", 10, 14),
    ]
    port = json.loads(r.by_key["option:services.pantry.port"][11])
    assert port == {"declared_with": "mkOption", "type": "lib.types.port", "default": "8080",
                    "description": "Port to listen on."}
    enable = json.loads(r.by_key["option:services.pantry.enable"][11])
    assert enable["description"] == "Whether to enable the pantry service."
    assert r.sig("option:services.pantry.port") == "services.pantry.port : types.port"
    assert r.refs == [("modules/pantry.nix", "imports", "./backup.nix")]
    assert json.loads(r.by_key["modules/pantry.nix"][11]) == {"nixos_module": True}


def test_library_file_functions_and_callpackage_imports(ex):
    r = ex("nix", """
        { lib, pkgs ? import <nixpkgs> { } }:
        rec {
          # Join words with a separator.
          joinWords = sep: words: lib.concatStringsSep sep words;
          greeting = "hello";
          pantry = pkgs.callPackage ./pkgs/pantry/package.nix { };
          other = import ../other.nix;
        }
        """, path="lib/default.nix")
    assert r.nodes == [
        ("module", "lib/default.nix", 1, 8),
        ("input", "arg:lib", 1, 1), ("input", "arg:pkgs", 1, 1),
        ("function", "joinWords", 4, 4), ("variable", "greeting", 5, 5),
        ("variable", "pantry", 6, 6), ("variable", "other", 7, 7),
    ]
    assert r.doc("joinWords") == "Join words with a separator."
    assert r.sig("joinWords") == "joinWords = sep: words: ..."
    assert json.loads(r.by_key["arg:pkgs"][11]) == {"default": "import <nixpkgs> { }"}
    assert r.refs == sorted([("lib/default.nix", "imports", "./pkgs/pantry/package.nix"),
                             ("lib/default.nix", "imports", "../other.nix")])


def test_let_bound_package_inherit_and_throw(ex):
    r = ex("nix", """
        { lib, buildGoModule, fetchFromGitHub }:
        let
          version = "1.56.0";
          package = buildGoModule {
            pname = "tool";
            inherit version;
            src = fetchFromGitHub { owner = "o"; repo = "tool"; tag = "v${version}"; hash = lib.fakeHash; };
          };
        in
        assert lib.versionAtLeast version "1.0";
        if package.version == "0" then throw "tool: version 0 is not supported" else package
        """, path="pkgs/by-name/to/tool/package.nix")
    meta = json.loads(r.by_key["pkg:tool"][11])
    assert (meta["pname"], meta["version"], meta["attr"]) == ("tool", "1.56.0", "tool")
    assert meta["src"]["expr_args"] == ["hash"]
    assert r.by_key["throw:11"][3] == "tool: version 0 is not supported"
    assert r.by_key["assert:10"][2] == "assert"


def test_syntax_error_is_partial_not_fatal(ex):
    r = ex("nix", "{ lib }:\n{\n  a = 1;\n  b = ;\n", path="bad.nix")
    assert r.res.status == "partial"
    assert r.res.reason == "syntax_error"
    assert r.res.error_line is not None
    assert r.nodes[0][0] == "module"


# What the fast paths read differently: a non-ASCII file (text sliced from bytes), quoted and
# interpolated attrpaths (not split at dots), and values longer than a signature (collapsed from a prefix).
FAST_PATHS = """
{ lib, ... }:
let
  long = [ @LONG@ ];
  "quoted.name" = "ünïcode ${lib.version}";
in
{
  options.programs.demo = {  # ünï
    enable = lib.mkEnableOption "démo";
    "with.dot".x = lib.mkOption { type = lib.types.str; default = "@TEXT@"; description = "Ünïcode"; };
    ${"interp"} = lib.mkOption { type = lib.types.int; };
  };
  config.a . b = 1;
}
""".replace("@LONG@", " ".join(f'"item-{i}"' for i in range(200))).replace("@TEXT@", "x  y\\n" * 200)


def test_fast_paths_match_plain_node_reads():
    """The extractor run through SPEC (file text sliced, bindings memoised, byte gates) gives the same
    rows as the same extractor reading every node's own text (no file context)."""
    from nanodex.graph.lang.nix import SPEC, NixExtractor
    from nanodex.graph.languages import parser

    for src in (FAST_PATHS, FAST_PATHS.replace("é", "e").replace("ü", "u").replace("ï", "i").replace("Ü", "U")):
        data = src.encode()
        fast = SPEC.extract(parser("nix").parse(data), data, "s", "m/default.nix")
        plain = NixExtractor("s", "m/default.nix", data, 2000).run(parser("nix").parse(data))
        assert fast == plain
        assert any(n[2] == "option" for n in fast[0])
