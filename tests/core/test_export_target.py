"""`coach history export --out PATH` never replaces something that is not a regular file (a folder,
a named pipe, a device): it refuses with a message. A regular file, or a symlink to one, is written."""

from __future__ import annotations

import os

import pytest

from assistant.cli import main
from assistant.core.history import History


@pytest.fixture(autouse=True)
def a_session():
    history = History()
    sid = history.start_session(mode="live")
    history.log_event(sid, "customer", "利息太低了")
    history.close()


def test_a_fifo_is_refused_and_left_in_place(tmp_path, capsys):
    fifo = tmp_path / "out" / "pipe"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    for argv in (["history", "export", "--format", "csv", "--out", str(fifo)],
                 ["history", "export", "--format", "jsonl", "--full", "--no-mask", "--out", str(fifo)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert str(fifo) in err and "管道" in err and "--out" in err
        assert fifo.is_fifo()
    assert [p.name for p in fifo.parent.iterdir()] == ["pipe"]  # no temp file left either


def test_a_folder_is_refused_and_left_as_it_was(tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    assert main(["history", "export", "--format", "md", "--out", str(folder)]) == 2
    assert "文件夹" in capsys.readouterr().err
    assert folder.is_dir() and (folder / "keep.txt").read_text() == "x"


def test_a_symlink_to_a_regular_file_writes_the_file_and_keeps_the_link(tmp_path, capsys):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(["history", "export", "--format", "csv", "--out", str(link)]) == 0
    assert link.is_symlink() and "利息太低了" in real.read_text(encoding="utf-8-sig")
