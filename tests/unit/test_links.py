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
