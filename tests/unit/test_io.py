"""nanodex.io: a folder is published whole or not at all."""

from __future__ import annotations

import pytest

from nanodex.io import atomic_dir


def test_atomic_dir_replaces_the_folder_whole(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    (tmp_path / "out.partial").mkdir()
    (tmp_path / "out.partial" / "left-by-a-killed-run").write_text("x")
    with atomic_dir(out) as tmp:
        assert tmp == tmp_path / "out.partial" and list(tmp.iterdir()) == []
        (tmp / "new.txt").write_text("new")
        assert (out / "old.txt").exists()   # the old folder stays until the new one is complete
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]
    assert not (tmp_path / "out.partial").exists()


def test_atomic_dir_failure_keeps_the_old_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), atomic_dir(out) as tmp:
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("stopped")
    assert sorted(p.name for p in out.iterdir()) == ["old.txt"]
    assert not tmp.exists()


def test_atomic_dir_named_partial(tmp_path):
    with atomic_dir(tmp_path / "step-1", partial=tmp_path / ".step-1.partial") as tmp:
        assert tmp.name == ".step-1.partial"
        (tmp / "state.json").write_text("{}")
    assert (tmp_path / "step-1" / "state.json").exists() and not tmp.exists()
