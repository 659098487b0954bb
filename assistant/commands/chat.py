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
                   help="我在聊天里显示的名字（可重复；「我」总算员工这边；默认当前使用者的姓名和昵称）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")


def run(args: argparse.Namespace) -> int:
    from assistant.core.errors import InputError
    from assistant.core.live.chat import parse_chat

    if getattr(args, "chat_command", None) != "parse":
        raise InputError("用法：coach chat parse 文件 [--staff 姓名] [--json]")
    messages = parse_chat(read_text(args.file), args.staff or _my_names())
    if not messages:  # an empty or wrong file: said as import-chat says it, and not a success
        raise InputError(f"{_name(args.file)}：这段聊天里没有读到消息。请给从微信 / 企业微信复制的聊天，或聊天备份导出的文本。")
    _say_if_staff_unseen(messages, args.staff)
    if args.json:
        print(json.dumps([m.as_dict() for m in messages], ensure_ascii=False, indent=2))
        return 0
    for m in messages:
        who = "员工" if m.speaker == "staff" else "客户"
        head = " ".join(filter(None, [who, m.name and f"（{m.name}）", m.time]))
        print(f"{head}\n  " + m.text.replace("\n", "\n  "))
    return 0


def _name(path: str) -> str:
    """How a FILE argument is named in a message (`-` is stdin)."""
    return "标准输入" if path == "-" else path


def _say_if_staff_unseen(messages, staff: list[str]) -> None:
    """`--staff 李那` (a typo, or a name the chat does not show) made every line the customer's, silently."""
    if not staff or not messages or any(m.speaker == "staff" for m in messages):
        return
    names = "、".join(dict.fromkeys(m.name for m in messages if m.name)) or "（聊天里没有名字）"
    print(f"注意：聊天里没有人叫「{'、'.join(staff)}」，所以每条消息都算成了客户说的。"
          f"请用聊天里显示的名字写 --staff，聊天里的名字有：{names}", file=sys.stderr)


def _my_names() -> list[str]:
    """The signed-in staff member's names (as Live and import-chat use them), when this home has a
    history at all: parsing a file on a fresh machine neither opens nor creates one."""
    from assistant.core.live.chat import staff_names
    from assistant.paths import get_paths

    paths = get_paths()
    if not paths.state_db.exists():
        return []
    from assistant.core.history import History

    history = History(paths)
    try:
        return staff_names(history.current_staff())
    finally:
        history.close()


def read_text(path: str) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 (Windows exports)."""
    from assistant.core.errors import InputError

    if path == "-":
        from assistant.core.textsafe import check_line_lengths

        from assistant.commands import read_stdin

        text = read_stdin()
        check_line_lengths(text.splitlines(), "标准输入")
        return text
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
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        from assistant.core.textsafe import check_line_lengths

        check_line_lengths(text.splitlines(), path)
        return text
    raise InputError(f"{path} 不是文本文件（既不是 UTF-8 也不是 GBK 编码）。请另存为 UTF-8 文本再试。")


# ---------------------------------------------------------------- coach history import-chat


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="文件", help="聊天记录文本文件（- 表示标准输入）")
    parser.add_argument("--customer", required=True, metavar="客户", help="这段聊天的客户（编号或姓名）")
    parser.add_argument("--staff", metavar="员工", help="聊天里的员工（编号或姓名；默认当前使用者）")
    parser.add_argument("--date", metavar="日期", help="聊天的日期（YYYY-MM-DD；聊天里没写日期时用，默认今天）")
    parser.add_argument("--outcome", choices=["成交", "未成交", "待跟进"], metavar="结果",
                        help="这次沟通的结果：成交、未成交 或 待跟进（不写就问；不是在终端里运行则留空）")


def run_import(args: argparse.Namespace) -> int:
    from assistant.core.errors import InputError
    from assistant.core.history import History
    from assistant.core.live.importer import import_chat, stranger_warning
    from assistant.ui.services import build_services

    text = read_text(args.file)
    if not text.strip():  # named here: the importer only sees text, and staff must know which file
        raise InputError(f"{_name(args.file)}：是空的，没有读到聊天消息。请给从微信 / 企业微信复制的聊天，或聊天备份导出的文本。")
    day = _day(args.date)
    history = History()
    customer = _customer(history, args.customer)
    staff = _staff(history, args.staff)
    services = build_services()
    services.history = history
    outcome = args.outcome or _ask_outcome()
    result = import_chat(text, services=services, staff=staff, customer=customer, day=day, outcome=outcome)
    print(describe_import(result, customer, services.library))
    warning = None if result.duplicate else stranger_warning(result, customer["name"])
    if warning:  # the same words 复盘's import dialog shows
        print(f"{warning}选错了的话，请再导入一次：--customer {result.stranger}（coach customers list 看有哪些客户）。",
              file=sys.stderr)
    return 0


def describe_import(result, customer: dict, library) -> str:
    """One short report of what an import found, in the words 复盘 uses."""
    if result.duplicate:
        return f"这段聊天已经导入过（会话 {result.session_id}），没有重复导入。"
    step = library.step_label(result.furthest_step) if result.furthest_step else "—"
    cards = "、".join(_title(library, c) for c in result.cards[:5]) or "无"
    lines = [f"已导入：{customer['name']} · 客户 {result.customer_lines} 句、员工 {result.staff_lines} 句",
             f"  匹配到的话术：{cards}",
             f"  走到：{step} · 勾上要点 {result.ticked} 个 · 合规提示 {result.flags} 条",
             f"  结果：{result.outcome or '未填'}" + (f"，安排了 {result.followups} 个跟进" if result.followups else ""),
             f"  会话编号：{result.session_id}（在复盘里标为「导入」）"]
    return "\n".join(lines)


def _title(library, card_id: str) -> str:
    try:
        return library.card(card_id).card.title
    except (KeyError, AttributeError):
        return card_id


def _day(value: str | None):
    from datetime import date

    from assistant.core.errors import InputError

    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date「{value}」不是日期，应写成 YYYY-MM-DD，如 2026-12-03。") from None


def _customer(history, wanted: str) -> dict:
    from assistant.core.errors import InputError

    wanted = wanted.strip()
    if not wanted:
        raise InputError("--customer 没写客户：写客户的姓名或编号（coach customers list 看有哪些客户）。")
    found = history.get_customer(wanted)
    if found:
        return found
    named = [c for c in history.list_customers() if c.get("name") == wanted]
    if len(named) == 1:
        return named[0]
    if named:
        ids = "、".join(c["id"] for c in named)
        raise InputError(f"有 {len(named)} 位客户叫「{wanted}」（{ids}），请用 --customer 编号 指定。")
    near = close_names(wanted, [c.get("name") or "" for c in history.list_customers()])
    create = "要新建这位客户：用 coach customers import 导入，或在实战里按 ctrl+o 新建（复盘的「导入聊天」也能顺手新建）。"
    if near:  # 「阿姨」 for 王阿姨, 刘叔叔 for 刘叔: say whom they may mean
        raise InputError(f"没有叫「{wanted}」的客户。是不是：{'、'.join(near)}？请写全名或编号（coach customers list "
                         f"看全部客户）。{create}")
    raise InputError(f"没有叫「{wanted}」的客户。{create}coach customers list 看已有的客户。")


def close_names(wanted: str, names: list[str], limit: int = 8) -> list[str]:
    """Customer names that may be the one meant: containing it or contained in it, then similar ones."""
    import difflib

    names = list(dict.fromkeys(n for n in names if n))
    partly = [n for n in names if wanted in n or n in wanted]
    similar = difflib.get_close_matches(wanted, names, n=limit, cutoff=0.5)
    return list(dict.fromkeys([*partly, *similar]))[:limit]


def _staff(history, wanted: str | None) -> dict:
    from assistant.core.errors import InputError

    if not wanted:
        current = history.current_staff()
        if current is None:
            raise InputError("还不知道你是谁：加 --staff 姓名，或先打开一次 coach 选择身份。")
        return current
    found = history.get_staff(wanted) or next((s for s in history.list_staff() if s.get("name") == wanted), None)
    if found is None:
        raise InputError(f"没有叫「{wanted}」的员工。可用的：{'、'.join(s['name'] for s in history.list_staff()) or '（还没有）'}")
    return found


def _ask_outcome() -> str | None:
    """Ask how it ended when a person is at the terminal; a script gets an empty outcome."""
    if not sys.stdin.isatty():
        return None
    answer = input("这次沟通的结果？1 成交  2 未成交  3 待跟进  回车=不填：").strip()
    return {"1": "成交", "2": "未成交", "3": "待跟进"}.get(answer, answer if answer in ("成交", "未成交", "待跟进") else None)
