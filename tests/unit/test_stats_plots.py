from nanodex.dataset.stats import needs_log_scale, plots


def test_log_scale_when_counts_span_orders_of_magnitude():
    assert needs_log_scale([900, 12, 3])
    assert not needs_log_scale([40, 30, 12])
    assert not needs_log_scale([])


def test_plots_are_written(tmp_path):
    stats = {"by_category": {"discovery": 900, "options": 3, "howto": 12},
             "_lengths_raw": {"question_chars": [40, 50, 60], "answer_chars": [100, 2000, 150]}}
    plots(stats, tmp_path / "c.png", tmp_path / "l.png")
    for name in ("c.png", "l.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
