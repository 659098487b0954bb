"""`coach history check` when the data folder itself is unusable (issue 17 audit): COACH_HOME under a
regular file made every other command fail while check said 历史记录完好."""

from __future__ import annotations

from assistant.cli import main


def test_check_reports_a_data_home_under_a_regular_file(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    monkeypatch.setenv("COACH_HOME", str(blocker / "home"))
    assert main(["history", "check"]) == 1
    out = capsys.readouterr().out
    assert "历史记录完好" not in out and str(blocker) in out and "COACH_HOME" in out
    assert "repair" not in out  # nothing a repair could fix


def test_check_reports_a_history_folder_that_is_a_file(coach_home, capsys):
    coach_home.mkdir(parents=True)
    (coach_home / "history").write_text("x")
    assert main(["history", "check"]) == 1
    out = capsys.readouterr().out
    assert "历史记录完好" not in out and str(coach_home / "history") in out


def test_a_fresh_home_not_made_yet_is_fine(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "new" / "home"))
    assert main(["history", "check"]) == 0
    assert "历史记录完好" in capsys.readouterr().out
