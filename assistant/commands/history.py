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
    exp.add_argument("--full", action="store_true",
                     help="完整导出（须 --format jsonl --no-mask）：会话、对话、批注、跟进及相关客户和员工，供另一台电脑 coach history import")
    imp = sub.add_parser("import", help="导入另一台电脑 `coach history export --format jsonl --full` 的文件（或一个文件夹里的全部）")
    imp.add_argument("target", metavar="FILE|DIR", help="导出文件，或放导出文件（*.jsonl）的文件夹")
    imp.add_argument("--dry-run", action="store_true", help="只看会导入什么，不写入")
    sub.add_parser("sync", help="和团队文件夹同步：发布本机的新记录，读入同事的（coach config set team_dir 设置文件夹）")
    st = sub.add_parser("stats", help="统计：结果、八步漏斗、常见异议、卡片采用、演练得分、24/72 跟进")
    st.add_argument("--since", help="从哪天起（YYYY-MM-DD）")
    st.add_argument("--json", action="store_true", help="以 JSON 输出")
    from assistant.commands.chat import add_import_arguments

    add_import_arguments(sub.add_parser("import-chat", help="把一段真实聊天（微信复制或导出）导入成一次实战会话，供复盘"))


def _dates(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", help="从哪天起（YYYY-MM-DD，含当天）")
    parser.add_argument("--until", help="到哪天止（YYYY-MM-DD，含当天）")


def run(args: argparse.Namespace) -> int:
    command = args.history_command or "check"
    if command == "import-chat":
        from assistant.commands.chat import run_import

        return run_import(args)
    return {"check": _check, "repair": _repair, "export": _export, "stats": _stats,
            "import": _import, "sync": _sync}[command](args)


def _check(args) -> int:
    from assistant.core.history.repair import check
    from assistant.paths import get_paths

    paths = get_paths()
    findings = check(paths)
    for f in findings:
        print(f)
    errors = [f for f in findings if f.severity == "error"]
    if errors and not paths.history_dir.is_dir():  # no data folder to repair: the message says what to move
        return 1
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
    if getattr(args, "full", False):
        return _export_full(args)
    from assistant.core.history import History
    from assistant.core.history.export import export

    since, until = _parse_day(args.since, "--since"), _parse_day(args.until, "--until")
    history = History()
    _must_exist(args.staff, history.list_staff(), "--staff", "员工")
    _must_exist(args.customer, history.list_customers(), "--customer", "客户")
    kwargs = dict(since=since, until=until, staff=args.staff, customer=args.customer, mask=not args.no_mask,
                  **(_names() if args.format != "jsonl" else {}))  # jsonl keeps ids, for programs
    if not args.out:
        try:
            if args.format == "csv" and _stdout_is_file():  # `> 导出.csv`: a file for Excel, BOM first
                sys.stdout.flush()
                sys.stdout.buffer.write(b"\xef\xbb\xbf")
            export(history, args.format, sys.stdout, **kwargs)
        except BrokenPipeError:  # `| head`: the reader left; that is fine
            sys.stdout = open(os.devnull, "w")
        return 0
    from assistant.core.history.export import write_export_file

    count = write_export_file(args.out, lambda out: export(history, args.format, out, **kwargs),
                              bom=args.format == "csv")  # the BOM lets Excel read Chinese
    note = "（未隐去个人信息）" if args.no_mask else "（手机号、身份证、银行卡号和客户姓名已隐去）"
    print(f"已导出 {count} 条记录到 {args.out}{note}", file=sys.stderr)
    return 0


def _must_exist(value: str | None, records: list[dict], flag: str, what: str) -> None:
    """A --staff/--customer nobody has (a typo) exported only the header and said nothing."""
    from assistant.core.errors import InputError

    if not value or any(value in (r.get("id"), r.get("name")) for r in records):
        return
    if what == "员工":
        known = "、".join(f"{r.get('name')}（{r['id']}）" for r in records) or "还没有员工"
        raise InputError(f"{flag}：没有编号或姓名为「{value}」的{what}，没有导出。现有：{known}")
    raise InputError(f"{flag}：没有编号或姓名为「{value}」的{what}，没有导出。用 coach customers list 查看客户。")


def _names() -> dict[str, dict[str, str]]:
    """Card, rule and scenario titles and step names for an export people read (csv, md)."""
    from assistant.commands import load_library
    from assistant.core.review.export import steps_of, titles_of

    library = load_library()
    return {"titles": titles_of(library), "steps": steps_of(library)}


def _stdout_is_file() -> bool:
    """stdout redirected into a regular file (not a terminal or a pipe into another program)."""
    import stat

    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def _stats(args) -> int:
    from assistant.core.history import History
    from assistant.core.history.stats import compute
    from assistant.commands import load_library

    library = load_library()
    history = History()
    _quiet_sync(history)
    numbers = compute(history, since=_parse_day(args.since, "--since"), library=library)
    if args.json:
        print(json.dumps(numbers, ensure_ascii=False, indent=2))
        return 0
    from assistant.commands.history_text import print_stats

    print_stats(numbers, library)
    return 0


def _export_full(args) -> int:
    """Everything, unmasked, for another PC: refuses unless asked for exactly that."""
    from assistant.core.errors import InputError
    from assistant.core.history import History
    from assistant.core.history.exchange import write_full

    if args.format != "jsonl" or not args.no_mask:
        raise InputError("完整导出包含客户姓名、手机号等全部个人信息，只能是 JSONL：请写 "
                         "`coach history export --format jsonl --full --no-mask --out 文件`，并妥善保管这个文件。")
    if args.since or args.until or args.staff or args.customer:
        raise InputError("完整导出不能按日期、员工或客户筛选（另一台电脑要的是全部）。请去掉 --since/--until/--staff/--customer。")
    history = History()
    if not args.out:
        counts = write_full(history, sys.stdout.buffer)
    else:
        from assistant.core.history.export import export_target
        from assistant.core.history.files import FILE_MODE
        from assistant.core.platform import secure_fd

        export_target(args.out)  # never truncate a device or block on a named pipe
        try:
            fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            secure_fd(fd, FILE_MODE)  # an existing file keeps its mode otherwise (POSIX only)
        except OSError as exc:
            raise InputError(f"写不了 {args.out}：{exc.strerror}。请换一个文件夹或文件名。") from None
        with open(fd, "wb") as out:
            counts = write_full(history, out)
            out.flush()
            os.fsync(out.fileno())
    where = f"到 {args.out}" if args.out else ""
    print(f"已完整导出{where}：会话 {counts['session']}、对话事件 {counts['event']}、客户 {counts['customer']}、"
          f"员工 {counts['staff']}、跟进 {counts['followup']}、批注 {counts['flag']}。"
          "（未隐去个人信息，只给有权查看的人；文件仅本人可读）", file=sys.stderr)
    return 0


def _import(args) -> int:
    from assistant.core.history import History
    from assistant.core.history.merge import import_files

    summary, files = import_files(History(), args.target, dry_run=args.dry_run)
    head = "试运行（没有写入任何记录）" if args.dry_run else "已导入"
    print(f"{head}：{len(files)} 个文件")
    for line in summary.lines():
        print(line)
    return 0


def _sync(args) -> int:
    from assistant.core.errors import InputError
    from assistant.core.history import History
    from assistant.core.history.team import sync

    report = sync(History())
    if report is None:
        raise InputError("还没有设置团队文件夹。请先：coach config set team_dir 共享文件夹路径（网点每台电脑设成同一个）。")
    print_sync(report)
    return 1 if report.problems else 0


def print_sync(report, out=None) -> None:
    """What a sync did, in one line per colleague and per problem."""
    out = out or sys.stdout
    print(f"已发布本机新记录 {report.published} 条。", file=out)
    for device, summary in report.imported.items():
        added = "、".join(f"{n} {k}" for k, n in (("个会话", summary.added.get("session", 0)),
                                                 ("条对话", summary.added.get("event", 0))) if n) or "没有新会话"
        print(f"{report.colleague(device)}：{added}。", file=out)
        for conflict in summary.conflicts:
            print(f"  · {conflict}", file=out)
    for problem in report.problems:
        print(problem, file=out)


def _quiet_sync(history) -> None:
    """Merge the team folder (when set) before numbers are computed; problems go to stderr."""
    from assistant.core.history.team import sync

    report = sync(history)
    if report is not None and (report.problems or report.added_sessions()):
        print_sync(report, sys.stderr)
