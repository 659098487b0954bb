"""`coach demo [--events N] [--reset] [--if-empty]`: fill a data dir with a demo branch."""

from __future__ import annotations

import argparse

from assistant.commands.argparse_zh import integer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--events", type=integer, metavar="N", help="让历史记录大约有 N 条事件（用来试大数据量）")
    parser.add_argument("--reset", action="store_true", help="清掉之前生成的演示数据再生成（只对演示目录有效）")
    parser.add_argument("--if-empty", action="store_true", help="已有数据时什么也不做（scripts/run 用）")


def has_data(history) -> bool:
    return bool(history.session_count() or history.list_customers() or history.list_staff())


def run(args: argparse.Namespace) -> int:
    import time

    from assistant.core.errors import CoachError
    from assistant.core.history import History
    from assistant.core.history.demo import build_demo
    from assistant.core.history.reset import reset_demo
    from assistant.commands import load_library
    from assistant.paths import get_paths

    if args.events is not None and args.events < 1:  # 0 built the default 1,000, -5 a few
        from assistant.core.errors import InputError

        raise InputError(f"--events {args.events}：事件条数至少为 1（不写 --events 约生成一千条）。")
    paths = get_paths()
    if args.reset:
        reset_demo(paths)
    history = History(paths)
    if has_data(history):
        if args.if_empty:
            return 0
        what = "演示数据" if paths.demo_marker.exists() else "真实数据"
        raise CoachError(f"{paths.home} 里已经有{what}，没有改动。重新生成演示数据请用 `coach demo --reset`"
                         f"（只对 coach demo 建的目录有效），或设置 COACH_HOME 指向一个空目录。")
    _mark(paths)
    started = time.perf_counter()
    made = build_demo(history, load_library(), events=args.events)
    _name_branch(paths)
    seconds = time.perf_counter() - started
    print(f"演示网点已生成（{paths.home}，用时 {seconds:.1f} 秒）：员工 {made['staff']} 人，客户 {made['customers']} 位，"
          f"会话 {made['sessions']} 个，事件 {made['events']} 条，跟进 {made['followups']} 条，微信群 {made['groups']} 个。")
    print("运行 `coach` 打开应用，`coach followups` 看今天的跟进。")
    return 0


def _name_branch(paths) -> None:
    """Give the demo branch its name in the settings (templates say it as {{ branch }}), unless one is set."""
    from assistant.core import config
    from assistant.core.history.demo_lines import DEMO_BRANCH

    if not config.get_value("branch_name", paths):
        config.set_value("branch_name", DEMO_BRANCH, paths)


def _mark(paths) -> None:
    import os

    fd = os.open(paths.demo_marker, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, "此目录由 coach demo 生成；coach demo --reset 只会清理带这个标记的目录。\n".encode())
    os.close(fd)
