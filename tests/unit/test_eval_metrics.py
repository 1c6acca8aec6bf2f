"""Eval numbers on tiny authored cases, computed by hand."""

import pytest

from nanodex.eval.metrics import bootstrap_ci, identifier_recall, identifiers, nix_parse_ok, ratio_ci, rouge_l


def test_identifiers_and_recall():
    ref = "Set `services.nginx.enable` to true and add `pkgs.hello`; see services.nginx.virtualHosts."
    assert identifiers(ref) == {"services.nginx.enable", "pkgs.hello", "services.nginx.virtualHosts"}
    assert identifier_recall(ref, "Use services.nginx.enable = true;") == pytest.approx(1 / 3)
    assert identifier_recall("No identifiers here.", "anything") is None


def test_rouge_l_by_hand():
    # LCS("the cat sat on the mat", "the cat lay on the mat") = "the cat on the mat" = 5 words
    assert rouge_l("the cat sat on the mat", "the cat lay on the mat") == pytest.approx(5 / 6)
    # reference 4 words, prediction 2 words, LCS 2: P = 1, R = 0.5, F1 = 2/3
    assert rouge_l("a b c d", "b d") == pytest.approx(2 / 3)
    assert rouge_l("a b", "") == 0.0


def test_nix_parse_share():
    assert nix_parse_ok("```nix\n{ a = 1; }\n```") is True
    assert nix_parse_ok("```nix\n{ a = ; \n```") is False
    assert nix_parse_ok("no code") is None


def test_bootstrap_intervals():
    assert bootstrap_ci([0.5] * 10) == [0.5, 0.5]
    lo, hi = bootstrap_ci([0.0, 1.0] * 50, seed=1)
    assert lo < 0.5 < hi and hi - lo < 0.3
    assert ratio_ci([2.0, 4.0], [1, 1], seed=0)[0] >= 2.0
    assert bootstrap_ci([]) is None
