"""Opening the app where there is no terminal (a pipe, a cron job) says so instead of writing
escape codes into the output."""

from __future__ import annotations

from assistant import cli


def test_the_app_refuses_to_open_without_a_terminal(capsys):
    assert cli.main(["live"]) == 2  # pytest captures stdout: not a terminal
    err = capsys.readouterr().err
    assert "终端" in err and "coach followups" in err
