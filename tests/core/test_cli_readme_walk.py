"""Every README command run on a fresh clone as a user would, with wrong input too (session 7, Q):
a replies file in GBK was a traceback; an empty, missing or folder input file is a Chinese
message and exit 2; `--staff 姓名` in a headless rehearsal was stored as an id nobody has; an
export for a staff member nobody is, or into a folder that is not there, is refused naming it;
a holiday greeting in `coach followups` said 「【节日】快到了」."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.core.history import History

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "rehearse_fixture"
REHEARSE = ["--playbooks", str(FIXTURE), "rehearse", "--scenario", "fixture-call", "--persona", "busy-liu"]


def _refused(capsys, argv: list[str], *words: str) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and all(w in err for w in words), err
    return err


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("刘先生您好\n".encode("gbk"))
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    return {"gbk": gbk, "empty": empty, "folder": folder, "missing": tmp_path / "nosuch.txt"}


@pytest.mark.parametrize("argv", [[*REHEARSE, "--replies"], ["drill", "--answer", "--replies"]])
def test_a_replies_file_not_in_utf8_names_the_line(capsys, inputs, argv) -> None:
    _refused(capsys, [*argv, str(inputs["gbk"])], str(inputs["gbk"]), "第 1 行不是 UTF-8")


@pytest.mark.parametrize("argv", [["suggest", "--batch"], ["check", "--batch"], [*REHEARSE, "--replies"],
                                  ["drill", "--answer", "--replies"]])
def test_an_empty_input_file_is_refused(capsys, inputs, argv) -> None:
    _refused(capsys, [*argv, str(inputs["empty"])], str(inputs["empty"]), "文件是空的")


@pytest.mark.parametrize("argv", [["suggest", "--batch"], ["check", "--batch"], [*REHEARSE, "--replies"],
                                  ["customers", "import"], ["groups", "import"]])
@pytest.mark.parametrize("which, says", [("folder", "文件夹"), ("missing", "文件名和路径")])
def test_a_folder_or_missing_input_file_is_said_in_chinese(capsys, inputs, argv, which, says) -> None:
    err = _refused(capsys, [*argv, str(inputs[which])], str(inputs[which]), says)
    assert "directory" not in err and "移走" not in err


def test_a_headless_rehearsal_by_staff_name_is_logged_under_the_id(capsys, tmp_path) -> None:
    li = History().add_staff(name="李敏", role="客户经理")
    replies = tmp_path / "r.txt"
    replies.write_text("刘先生您好，我是小李\n", encoding="utf-8")
    assert main([*REHEARSE, "--replies", str(replies), "--staff", "李敏", "--json"]) == 0
    session = History().session(json.loads(capsys.readouterr().out)["session_id"])
    assert session["staff_id"] == li["id"]
    _refused(capsys, [*REHEARSE, "--replies", str(replies), "--staff", "李明", "--no-log"], "「李明」", "李敏")
    _refused(capsys, ["drill", "--list", "--staff", "李明"], "「李明」", "李敏")


def test_an_export_for_someone_nobody_is_is_refused(capsys) -> None:
    History().add_staff(name="李敏", role="客户经理")
    _refused(capsys, ["history", "export", "--staff", "李明"], "「李明」", "李敏")
    _refused(capsys, ["history", "export", "--customer", "王阿妈"], "「王阿妈」", "coach customers list")


@pytest.mark.parametrize("argv", [["history", "export"], ["customers", "list"], ["groups", "list"],
                                  ["history", "export", "--format", "jsonl", "--full", "--no-mask"]])
def test_an_export_into_a_folder_that_is_not_there_names_that_folder(capsys, tmp_path, argv) -> None:
    target = tmp_path / "nodir" / "x.csv"
    err = _refused(capsys, [*argv, "--out", str(target)], str(target.parent), "不是已有的文件夹")
    assert ".tmp" not in err and not target.parent.exists()


def test_a_holiday_greeting_says_which_holiday(capsys) -> None:
    assert main(["followups", "--date", "2026-12-31", "--json"]) == 0
    items = [i for i in json.loads(capsys.readouterr().out)["items"] if i["rule_id"] == "holiday"]
    assert items and items[0]["message"].startswith("元旦快到了") and "【" not in items[0]["message"]


def test_validate_given_a_file_says_it_is_a_file(capsys, inputs) -> None:
    assert main(["validate", str(inputs["empty"])]) == 1
    out = capsys.readouterr().out
    assert "这是一个文件，不是话术目录" in out and "不存在" not in out


@pytest.mark.parametrize("n", ["0", "-5"])
def test_demo_refuses_a_count_below_one(capsys, n) -> None:
    _refused(capsys, ["demo", "--events", n], f"--events {n}", "至少为 1")
    assert History().session_count() == 0


def test_chat_parse_says_when_the_staff_name_is_nowhere_in_the_chat(capsys, tmp_path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text("王阿姨 2026/12/5 10:02\n我那笔定期到期了\n李娜 2026/12/5 10:03\n王阿姨您好\n", encoding="utf-8")
    assert main(["chat", "parse", str(chat), "--staff", "李那"]) == 0
    err = capsys.readouterr().err
    assert "没有人叫「李那」" in err and "李娜" in err
    assert main(["chat", "parse", str(chat), "--staff", "李娜"]) == 0
    assert "没有人叫" not in capsys.readouterr().err


def test_chat_parse_of_an_empty_file_is_not_a_success(capsys, inputs) -> None:
    _refused(capsys, ["chat", "parse", str(inputs["empty"])], str(inputs["empty"]), "没有读到消息")


def test_a_file_set_as_the_team_folder_is_called_a_file(capsys, inputs) -> None:
    err = _refused(capsys, ["config", "set", "team_dir", str(inputs["empty"])], str(inputs["empty"]), "是一个文件")
    assert "找不到" not in err


def test_a_holiday_greeting_after_the_holiday_does_not_say_it_is_coming(capsys) -> None:
    """A walk: 元旦's greeting task left open read 「[逾期] … 元旦快到了，提前祝您」 days after 元旦."""
    from datetime import date

    from assistant.commands import load_library
    from assistant.core.followups import agenda

    history = History()
    agenda(history, load_library(), date(2026, 12, 31))  # the day it fell due: recorded
    history.close()
    for day, when, says in (("2027-01-01", "逾期1天", "今天就是元旦"), ("2027-01-05", "逾期5天", "已经过了")):
        assert main(["followups", "--date", day]) == 0
        out = capsys.readouterr().out
        assert f"[{when}]" in out and says in out and "快到了" not in out
