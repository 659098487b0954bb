"""`coach history check|repair|export|stats`: look after the history and get review data out."""

from __future__ import annotations

import argparse
import json
import os
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="history_command")
    sub.add_parser("check", help="检查历史文件能否完整读取（只读，不改动任何文件）")
    sub.add_parser("repair", help="修复：保留所有能读的记录，读不了的原样另存在旁边")
    exp = sub.add_parser("export", help="导出对话记录（每条事件一行；默认隐去手机号、身份证、银行卡和客户姓名）")
    exp.add_argument("--format", choices=["csv", "jsonl", "md"], default="csv", help="格式（默认 csv）")
    _dates(exp)
    exp.add_argument("--staff", help="只导出这位员工的（姓名或编号）")
    exp.add_argument("--customer", help="只导出这位客户的（姓名或编号）")
    exp.add_argument("--out", metavar="FILE", help="写到文件（默认输出到屏幕）")
    exp.add_argument("--no-mask", action="store_true", help="不隐去个人信息（请确认有权这样做）")
    st = sub.add_parser("stats", help="统计：结果、八步漏斗、常见异议、卡片采用、演练得分、24/72 跟进")
    st.add_argument("--since", help="从哪天起（YYYY-MM-DD）")
    st.add_argument("--json", action="store_true", help="以 JSON 输出")


def _dates(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", help="从哪天起（YYYY-MM-DD，含当天）")
    parser.add_argument("--until", help="到哪天止（YYYY-MM-DD，含当天）")


def run(args: argparse.Namespace) -> int:
    command = args.history_command or "check"
    return {"check": _check, "repair": _repair, "export": _export, "stats": _stats}[command](args)


def _check(args) -> int:
    from assistant.core.history.repair import check
    from assistant.paths import get_paths

    paths = get_paths()
    findings = check(paths)
    for f in findings:
        print(f)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        print(f"\n有 {len(errors)} 个文件读不完整。运行 `coach history repair` 修复：能读的记录全部保留，读不了的原样另存在旁边。")
        return 1
    print(f"历史记录完好（{paths.home}）。")
    return 0


def _repair(args) -> int:
    from assistant.core.history.repair import check, repair
    from assistant.paths import get_paths

    paths = get_paths()
    done = repair(paths)
    for line in done:
        print(line)
    left = [f for f in check(paths) if f.severity == "error"]
    for f in left:
        print(f)
    if not done and not left:
        print("没有需要修复的文件。")
    return 1 if left else 0


def _parse_day(value: str | None, flag: str) -> str | None:
    if not value:
        return None
    from datetime import date

    from assistant.core.errors import InputError

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"{flag}「{value}」不是日期，应为 YYYY-MM-DD") from None


def _export(args) -> int:
    from assistant.core.history import History
    from assistant.core.history.export import export

    since, until = _parse_day(args.since, "--since"), _parse_day(args.until, "--until")
    history = History()
    kwargs = dict(since=since, until=until, staff=args.staff, customer=args.customer, mask=not args.no_mask)
    if not args.out:
        try:
            export(history, args.format, sys.stdout, **kwargs)
        except BrokenPipeError:  # `| head`: the reader left; that is fine
            sys.stdout = open(os.devnull, "w")
        return 0
    from assistant.core.history.files import FILE_MODE

    try:
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    except OSError as exc:
        from assistant.core.errors import InputError

        raise InputError(f"写不了 {args.out}：{exc.strerror}。请换一个文件夹或文件名。") from None
    encoding = "utf-8-sig" if args.format == "csv" else "utf-8"  # the BOM lets Excel read Chinese
    with open(fd, "w", encoding=encoding, newline="") as out:
        count = export(history, args.format, out, **kwargs)
    note = "（未隐去个人信息）" if args.no_mask else "（手机号、身份证、银行卡号和客户姓名已隐去）"
    print(f"已导出 {count} 条记录到 {args.out}{note}", file=sys.stderr)
    return 0


def _stats(args) -> int:
    from assistant.core.history import History
    from assistant.core.history.stats import compute
    from assistant.core.playbooks.loader import load_library

    library = load_library()
    numbers = compute(History(), since=_parse_day(args.since, "--since"), library=library)
    if args.json:
        print(json.dumps(numbers, ensure_ascii=False, indent=2))
        return 0
    from assistant.commands.history_text import print_stats

    print_stats(numbers, library)
    return 0
