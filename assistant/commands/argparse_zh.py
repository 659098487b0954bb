"""argparse in Chinese: its usage line, section titles, -h help and error messages are looked up
through gettext at run time, so one table read by `install()` translates every `coach` command."""

from __future__ import annotations

import argparse

#: argparse's English texts (Python 3.11) → what staff read.
TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示这段帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：出错了：%(message)s（加 -h 看用法）\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 至少要给一个",
    "not allowed with argument %s": "不能和参数 %s 一起用",
    "ignored explicit argument %r": "多余的值 %r",
    "expected one argument": "后面要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少要跟一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "unexpected option string: %s": "多出来的选项：%s",
    "invalid %(type)s value: %(value)r": "「%(value)s」不是有效的值（应为%(type)s）",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r 不在可选范围内（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "打不开「%(filename)s」：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有子命令 %(parser_name)r（可用：%(choices)s）",
}
PLURALS = {"expected %s argument": "后面要跟 %s 个值"}


def integer(text: str) -> int:
    """`type=` for a whole-number option: argparse names the type by `__name__` when the value is
    not one, so staff read 「应为整数」 instead of 「应为 int」."""
    return int(text)


integer.__name__ = "整数"


def _(text: str) -> str:
    return TEXTS.get(text, text)


def _n(singular: str, plural: str, n: int) -> str:
    return PLURALS.get(singular, singular if n == 1 else plural)


def install() -> None:
    """Make argparse speak Chinese (idempotent; argparse looks `_` up on every message)."""
    argparse._ = _
    argparse.ngettext = _n
