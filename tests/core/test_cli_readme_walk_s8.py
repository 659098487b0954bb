"""The README's commands on a fresh clone, with wrong input (session 8, Q): a whole-number option
given a word said 「应为 int」; `import-chat` of an empty file did not name it; `--batch -` or
`drill --answer` at a terminal waited in silence; re-importing an unchanged group list rewrote
every group as 「更新」; blank lines in `suggest --batch` printed 「」 with "nothing fits";
`followups postpone --to` a day already gone was taken; `coach validate 空文件夹` said all is well."""

from __future__ import annotations

import io
import json
import sys

import pytest

from assistant.cli import main
from assistant.core.history import History


@pytest.mark.parametrize("argv", [["demo", "--events", "abc"], ["suggest", "x", "--top", "2.5"],
                                  ["rehearse", "--scenario", "x", "--seed", "一"], ["drill", "--list", "--seed", "x"]])
def test_a_word_for_a_number_is_said_in_chinese(capsys, argv) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "应为整数" in err and "int" not in err, err


def test_import_chat_of_an_empty_file_names_it(capsys, tmp_path) -> None:
    History().add_customer(name="王阿姨")
    empty = tmp_path / "空聊天.txt"
    empty.write_text("\n \n", encoding="utf-8")
    assert main(["history", "import-chat", str(empty), "--customer", "王阿姨", "--outcome", "待跟进"]) == 2
    err = capsys.readouterr().err
    assert str(empty) in err and "是空的" in err and "Traceback" not in err
    assert History().session_count() == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_lines_typed_at_a_terminal_are_asked_for(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal("这款理财保本\n"))
    assert main(["check", "--batch", "-"]) == 1
    out, err = capsys.readouterr()
    assert "Ctrl+D" in err and "保本" in out


def test_a_pipe_is_read_without_a_prompt(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("您好\n"))
    assert main(["check", "--batch", "-"]) == 0
    assert "Ctrl+D" not in capsys.readouterr().err


def test_reimporting_an_unchanged_group_list_changes_nothing(capsys, tmp_path) -> None:
    src = tmp_path / "groups.csv"
    src.write_text("群名,层级,人数,建群日期\n幸福里大众群,大众,200,2026-11-01\n拆迁户精英群,精英,12,2026-12-01\n",
                   encoding="utf-8")
    assert main(["groups", "import", str(src)]) == 0
    back = tmp_path / "back.csv"
    assert main(["groups", "list", "--out", str(back)]) == 0
    capsys.readouterr()
    before = History().list_groups()
    assert main(["groups", "import", str(back)]) == 0
    assert "新增 0 个群，更新 0 个，2 个没有变化" in capsys.readouterr().out
    assert History().list_groups() == before
    back.write_text(back.read_text(encoding="utf-8-sig").replace(",200,", ",201,"), encoding="utf-8")
    assert main(["groups", "import", str(back)]) == 0
    assert "更新 1 个，1 个没有变化" in capsys.readouterr().out


def test_blank_lines_of_a_suggest_batch(capsys, tmp_path) -> None:
    batch = tmp_path / "lines.txt"
    batch.write_text("利息太低了\n\n我再考虑考虑\n", encoding="utf-8")
    assert main(["suggest", "--batch", str(batch), "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "「」" not in out and "「利息太低了」" in out and "「我再考虑考虑」" in out
    assert main(["suggest", "--batch", str(batch), "--top", "1", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["query"] for r in rows] == ["利息太低了", "", "我再考虑考虑"]  # one object a line, for programs


def test_postponing_to_a_day_already_gone_is_refused(capsys) -> None:
    f = History().add_followup(title="王阿姨：回访", due="2099-01-01T09:00", rule_id="session-pending-24h")
    assert main(["followups", "postpone", f["id"], "--to", "2000-01-02"]) == 2
    err = capsys.readouterr().err
    assert "已经过去" in err and "2000-01-02" in err
    record = History().get_followup(f["id"])
    assert record["due"] == "2099-01-01T09:00" and [h["status"] for h in record["history"]] == ["open"]


def test_validating_a_folder_with_no_playbook_file_warns(capsys, tmp_path) -> None:
    empty = tmp_path / "分行话术"
    empty.mkdir()
    (empty / "readme.txt").write_text("not yaml", encoding="utf-8")
    assert main(["validate", str(empty)]) == 0
    out = capsys.readouterr().out
    assert "警告" in out and "没有话术文件" in out and "1 个警告" in out


def test_an_older_group_list_does_not_move_what_happened_back(capsys, tmp_path) -> None:
    src = tmp_path / "groups.csv"
    src.write_text("群名,层级,人数,建群日期,最近活跃\n幸福里大众群,大众,200,2019-11-01,2020-01-20\n", encoding="utf-8")
    assert main(["groups", "import", str(src)]) == 0
    assert main(["groups", "log", "幸福里大众群", "post", "早安"]) == 0  # today: after 2020-01-20
    logged = History().list_groups()[0]["last_activity"]
    assert logged > "2020-01-20"
    capsys.readouterr()
    assert main(["groups", "import", str(src)]) == 0
    assert "1 个没有变化" in capsys.readouterr().out
    assert History().list_groups()[0]["last_activity"] == logged
