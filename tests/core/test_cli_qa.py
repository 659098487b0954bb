"""What a branch employee met running the CLI (QA of issues 12/13): an empty `coach check` is a
message, not a ✓; a batch file in the wrong encoding names the line; a branch playbook's
template error says what to do in Chinese; a compliance problem reads without 「。；」."""

from __future__ import annotations

import pytest

from assistant.cli import main
from assistant.core.playbooks.templates_lint import syntax_hint


@pytest.mark.parametrize("text", ["", "   "])
def test_check_refuses_an_empty_line(text, capsys) -> None:
    assert main(["check", text]) == 2
    captured = capsys.readouterr()
    assert "✓" not in captured.out and "这句话是空的" in captured.err


def test_batch_in_gbk_names_the_line(tmp_path, capsys) -> None:
    src = tmp_path / "lines.txt"
    src.write_bytes("您考虑清楚再定\n".encode() + "这款保本\n".encode("gbk"))
    assert main(["check", "--batch", str(src)]) == 2
    err = capsys.readouterr().err
    assert "第 2 行不是 UTF-8" in err and "字节" not in err


@pytest.mark.parametrize("message, hint", [
    ("No filter named 'nosuch'.", "没有名为 `nosuch` 的过滤器"),
    ("Encountered unknown tag 'endfi'.", "`{% endfi %}`"),
    ("unexpected '}'", "要成对"),
])
def test_template_syntax_errors_say_what_to_do(message, hint) -> None:
    out = syntax_hint(message)
    assert hint in out and message in out


def test_branch_playbook_problems_read_cleanly(tmp_path, capsys) -> None:
    folder = tmp_path / "objection"
    folder.mkdir()
    triggers = "[利息太低了吧, 你们利息真低, 比隔壁低多了, 才这么点利息, 收益太少, 这点钱不够塞牙, 存着没意思, 利率不行]"
    (folder / "x.yaml").write_text(
        "version: 1\nkind: objection\nid: objection-branch-x\ntitle: 分行测试\ncards:\n"
        "  - id: branch-x\n    title: 测试卡\n    topic: rate_low\n"
        f"    triggers: {triggers}\n    responses:\n"
        "      - text: \"{{ name }}，这款理财保本，您放心？\"\n"
        "      - text: \"{{ name | nosuchfilter }}，理解您？\"\n"
        "      - text: \"{{ name }}，利率是低了点，您这笔钱多久用？\"\n"
        "    key_points:\n      - {id: empathize, label: 认同, evidence: [理解]}\n",
        encoding="utf-8")
    assert main(["validate", "--playbooks", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "x.yaml:12: 错误：模板语法错误：没有名为 `nosuchfilter` 的过滤器" in out
    assert "x.yaml:11: 错误：合规" in out and "。；" not in out


def test_plain_batch_numbers_lines_and_sums_up(tmp_path, capsys) -> None:
    src = tmp_path / "lines.txt"
    src.write_text("您考虑清楚再定\n\n存款保险什么都保\n额度有限，先到先得\n", encoding="utf-8")
    assert main(["check", "--batch", str(src)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✓ 第 1 行 您考虑清楚再定"
    assert "✗ 第 3 行 存款保险什么都保" in out and "✗ 第 4 行 额度有限，先到先得" in out
    assert out[-1] == "共检查 3 行：1 行违规，1 行有提醒。"


def test_a_part_of_a_customer_name_lists_who_is_meant(capsys) -> None:
    from assistant.core.history import History

    history = History()
    for name in ("王阿姨", "马阿姨", "李叔"):
        history.add_customer(name)
    assert main(["suggest", "--customer", "阿姨", "利息太低了"]) == 2
    err = capsys.readouterr().err
    assert "王阿姨" in err and "马阿姨" in err and "李叔" not in err and "请写全名或编号" in err


def test_a_broken_branch_folder_is_said_not_silently_skipped(tmp_path, capsys, monkeypatch) -> None:
    """`coach suggest … --playbooks DIR` with a YAML error in DIR (or no DIR at all) answered from the
    built-in cards alone and said nothing; `coach validate` and the app name the file."""
    import assistant.commands

    monkeypatch.setenv("COACH_PLAYBOOKS", "")
    (tmp_path / "objection").mkdir()
    (tmp_path / "objection" / "x.yaml").write_text("id: objection-x\nkind: objection\ntitle: 测试\n  bad: [\n",
                                                   encoding="utf-8")
    monkeypatch.setattr(assistant.commands, "_told", False)
    assert main(["suggest", "利息太低", "--top", "1", "--playbooks", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "嫌收益低" in captured.out
    assert "x.yaml:4: 错误：YAML 语法错误" in captured.err and "coach validate" in captured.err
    monkeypatch.setenv("COACH_PLAYBOOKS", "")
    monkeypatch.setattr(assistant.commands, "_told", False)
    main(["check", "保本", "--playbooks", str(tmp_path / "nosuch")])
    assert "话术目录不存在" in capsys.readouterr().err


def test_config_help_keeps_each_setting_and_its_example_path_whole(capsys) -> None:
    """argparse wrapped the epilog by characters and cut the example path (/mnt/网点共享/co | ach-team)."""
    with pytest.raises(SystemExit):
        main(["config", "--help"])
    lines = capsys.readouterr().out.splitlines()
    assert any(line.strip().startswith("team_dir") and "/mnt/网点共享/coach-team" in line for line in lines)
