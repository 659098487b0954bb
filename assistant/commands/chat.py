"""`coach chat parse FILE [--staff NAME] [--json]`: read a chat copied out of WeChat / 企业微信 or a
chat-backup export, and show who said what (the same reader live mode and import-chat use)."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="chat_command", metavar="子命令", title="子命令")
    p = sub.add_parser("parse", help="把复制的聊天记录拆成一条条消息（谁说的、几点、说了什么）",
                       description="把复制的聊天记录拆成一条条消息（谁说的、几点、说了什么）")
    p.add_argument("file", metavar="文件", help="聊天记录文本文件（- 表示标准输入）")
    p.add_argument("--staff", action="append", default=[], metavar="姓名",
                   help="我在聊天里显示的名字（可重复；「我」总算员工这边）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")


def run(args: argparse.Namespace) -> int:
    from assistant.core.errors import InputError
    from assistant.core.live.chat import parse_chat

    if getattr(args, "chat_command", None) != "parse":
        raise InputError("用法：coach chat parse 文件 [--staff 姓名] [--json]")
    messages = parse_chat(read_text(args.file), args.staff)
    if args.json:
        print(json.dumps([m.as_dict() for m in messages], ensure_ascii=False, indent=2))
        return 0
    for m in messages:
        who = "员工" if m.speaker == "staff" else "客户"
        head = " ".join(filter(None, [who, m.name and f"（{m.name}）", m.time]))
        print(f"{head}\n  " + m.text.replace("\n", "\n  "))
    if not messages:
        print("没有读到消息。", file=sys.stderr)
    return 0


def read_text(path: str) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 (Windows exports)."""
    from assistant.core.errors import InputError

    if path == "-":
        return sys.stdin.read()
    try:
        data = open(path, "rb").read()
    except FileNotFoundError:
        raise InputError(f"读不了 {path}：找不到这个文件。请检查文件名和路径。") from None
    except IsADirectoryError:
        raise InputError(f"读不了 {path}：这是一个文件夹，请给聊天记录文件。") from None
    except OSError as exc:
        raise InputError(f"读不了 {path}：{exc.strerror}。请检查文件名、路径和权限。") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path} 不是文本文件（既不是 UTF-8 也不是 GBK 编码）。请另存为 UTF-8 文本再试。")
