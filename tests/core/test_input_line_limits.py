"""Lines read from files and pasted chats obey the per-argument limit (MAX_ARG_CHARS): a huge line
is refused with the file and its line number, nothing is stored or printed (issue 17 audit)."""

from __future__ import annotations

import pytest

from assistant.cli import main
from assistant.core.errors import InputError
from assistant.core.history import History
from assistant.core.textsafe import MAX_ARG_CHARS

HUGE = "利" * (MAX_ARG_CHARS + 1)


@pytest.fixture
def lines_file(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text(f"利息太低了\n{HUGE}\n", encoding="utf-8")
    return path


def _refused(capsys, argv, where) -> None:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert f"{where} 第 2 行太长" in err and str(MAX_ARG_CHARS) in err
    assert HUGE[:100] not in out + err


def test_suggest_and_check_batch_refuse_a_huge_line(capsys, lines_file):
    _refused(capsys, ["suggest", "--batch", str(lines_file)], lines_file)
    _refused(capsys, ["check", "--batch", str(lines_file)], lines_file)


def test_a_line_at_the_limit_is_read(capsys, tmp_path):
    path = tmp_path / "ok.txt"
    path.write_text("利" * MAX_ARG_CHARS + "\n", encoding="utf-8")
    assert main(["check", "--batch", str(path), "--json"]) in (0, 1)
    assert "太长" not in capsys.readouterr().err


def test_rehearse_replies_refuse_a_huge_line(lines_file):
    from assistant.commands.rehearse import read_replies

    with pytest.raises(InputError, match=f"{lines_file} 第 2 行太长"):
        read_replies(str(lines_file))


def test_chat_parse_and_import_chat_refuse_a_huge_message(capsys, tmp_path):
    chat = tmp_path / "chat.txt"
    chat.write_text(f"王阿姨：我的定期到期了\n王阿姨：{HUGE}\n", encoding="utf-8")
    _refused(capsys, ["chat", "parse", str(chat), "--json"], chat)
    history = History()
    history.add_customer(name="王阿姨")
    history.close()
    _refused(capsys, ["history", "import-chat", str(chat), "--customer", "王阿姨"], chat)
    assert list(History().iter_sessions()) == []


def test_a_pasted_chat_with_a_huge_line_is_refused_before_anything_is_stored():
    from assistant.core.live.importer import import_chat

    history = History()
    with pytest.raises(InputError, match="粘贴的聊天 第 2 行太长"):
        import_chat(f"王阿姨：你好\n{HUGE}", services=None, staff=None, customer=None)
    assert list(history.iter_sessions()) == []
