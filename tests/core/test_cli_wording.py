"""What `coach` prints to people, in Chinese: validate's labels, the --playbooks option after the
subcommand, a CSV cell named by its Chinese column (issue 17 audit)."""

from __future__ import annotations

import pytest

from assistant.cli import main
from assistant.core.history.csvimport import MAX_CELL_CHARS


def test_validate_labels_problems_in_chinese(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing")]) == 1
    out = capsys.readouterr().out
    assert ": 错误：" in out and "error:" not in out and "warning:" not in out


@pytest.mark.parametrize("argv", [
    ["validate", "--playbooks", "{dir}"],
    ["--playbooks", "{dir}", "validate"],
    ["suggest", "利息太低了", "--playbooks", "{dir}"],
    ["history", "stats", "--playbooks", "{dir}"],
])
def test_playbooks_is_taken_before_or_after_the_subcommand(argv, tmp_path, monkeypatch, capsys):
    seen = {}
    import assistant.cli as cli

    real = cli.importlib.import_module

    def spy(name, *a):
        module = real(name, *a)
        if name.startswith("assistant.commands.") and hasattr(module, "run"):
            class Wrapped:
                def __getattr__(self, attr):
                    return getattr(module, attr)

                @staticmethod
                def run(args):
                    import os

                    seen["dirs"] = os.environ.get("COACH_PLAYBOOKS", "")
                    return 0
            return Wrapped()
        return module

    monkeypatch.setattr(cli.importlib, "import_module", spy)
    argv = [a.format(dir=tmp_path) for a in argv]
    assert main(argv) == 0, capsys.readouterr().err
    assert str(tmp_path) in seen["dirs"].split(__import__("os").pathsep)


def test_paths_does_not_take_playbooks(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["paths", "--playbooks", "x"])
    assert stop.value.code == 2
    assert "不认识的参数" in capsys.readouterr().err


def test_an_overlong_csv_cell_names_its_chinese_column(tmp_path, capsys):
    path = tmp_path / "c.csv"
    path.write_text("称呼,备注\n王阿姨," + "长" * (MAX_CELL_CHARS + 1) + "\n", encoding="utf-8")
    main(["customers", "import", str(path)])
    out, err = capsys.readouterr()
    assert "「备注」这一格" in out + err and "notes" not in out + err
