"""The coach command's own texts (argparse's usage, sections, -h and errors) are Chinese."""

from __future__ import annotations

import pytest

from assistant.cli import main


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["chat", "-h"])
    out = capsys.readouterr().out
    assert "用法：coach chat" in out and "显示这段帮助并退出" in out and "选项" in out
    assert "usage" not in out and "options" not in out and "show this help" not in out


@pytest.mark.parametrize("argv, words", [
    (["--bogus"], ["不认识的参数：--bogus"]),
    (["history", "import-chat"], ["缺少必需的参数", "--customer"]),
    (["history", "import-chat", "x", "--customer", "c", "--outcome", "好"], ["不在可选范围内", "成交"]),
    # a missing positional is named in Chinese too (argparse says its dest, file / id, without a metavar)
    (["customers", "import"], ["缺少必需的参数：文件"]),
    (["groups", "import"], ["缺少必需的参数：文件"]),
    (["followups", "done"], ["缺少必需的参数：编号"]),
    (["triggers", "remove"], ["缺少必需的参数：编号"]),
    (["triggers", "export"], ["缺少必需的参数：目录"]),
])
def test_errors_are_chinese_and_say_where_help_is(argv, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "出错了" in err and "-h" in err and all(w in err for w in words)
    assert "error:" not in err and "usage:" not in err
