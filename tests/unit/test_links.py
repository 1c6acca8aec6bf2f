from nanodex.graph.links import mentioned

OPTIONS = {"services.nginx.enable": "o1", "services.nginx.virtualHosts": "o2", "programs.git.enable": "o3"}
PACKAGES = {"hello": "p1", "ripgrep": "p2", "nginx": "p3", "git": "p4"}


def test_option_paths_and_package_forms():
    text = """Set services.nginx.enable = true; and read services.nginx.virtualHosts.
    Try `nix-shell -p hello ripgrep` or nix run nixpkgs#git, or pkgs.nginx in
    environment.systemPackages = with pkgs; [ hello ];"""
    opts, pkgs = mentioned(text, OPTIONS, PACKAGES)
    assert opts == {"services.nginx.enable", "services.nginx.virtualHosts"}
    assert pkgs == {"hello", "ripgrep", "git", "nginx"}


def test_no_false_matches():
    text = "The services.nginx.enableFoo option and my.services.nginx.enable are different; git is a word."
    opts, pkgs = mentioned(text, OPTIONS, PACKAGES)
    assert opts == set()
    assert pkgs == set()   # a bare word is not a package mention


def test_nested_attrsets_in_nix_code_give_full_option_paths():
    options = {**OPTIONS, "security.acme.acceptTerms": "o4", "security.acme.defaults.email": "o5",
               "services.nginx.virtualHosts.<name>.root": "o6"}
    code = [{"lang": "nix",
             "text": 'services.nginx = {\n  enable = true;\n  virtualHosts."example.org".root = "/srv";\n};'},
            {"lang": None, "text": "{ lib, ... }: {\n  security.acme = lib.mkIf true {\n    acceptTerms = true;\n"
                                   "    defaults.email = \"admin@example.org\";\n  };\n}"},
            {"lang": "python", "text": "programs.git = { enable = True }"}]
    opts, _ = mentioned("", options, PACKAGES, code)
    assert opts == {"services.nginx.enable", "services.nginx.virtualHosts", "services.nginx.virtualHosts.<name>.root",
                    "security.acme.acceptTerms", "security.acme.defaults.email"}


def test_let_bindings_are_not_option_paths():
    opts, _ = mentioned("", {"cfg.enable": "x", "services.nginx.enable": "o1"}, {},
                        [{"lang": "nix", "text": "let cfg.enable = true; in { services.nginx.enable = cfg.enable; }"}])
    assert opts == {"services.nginx.enable"}
