"""The `coach` command. Each subcommand lives in `assistant/commands/<name>.py` with
`add_arguments(parser)` and `run(args) -> int`; those modules import heavy things inside `run`,
so `coach suggest` never loads Textual. No subcommand (or live/rehearse/review/library/groups/drill
without headless flags) starts the TUI.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

#: subcommand → (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("assistant.commands.validate", "检查话术库（默认内置 + 分行目录）"),
    "suggest": ("assistant.commands.suggest", "为一句话匹配话术卡片"),
    "check": ("assistant.commands.check", "合规检查：一句话或 --batch 文件逐行（违规时退出码 1）"),
    "paths": ("assistant.commands.paths", "显示数据文件的位置"),
    "config": ("assistant.commands.config", "设置：get / set / unset（如网点名称 branch_name）"),
    "history": ("assistant.commands.history", "历史记录：check / repair / export / stats / import / import-chat / sync"),
    "customers": ("assistant.commands.customers", "客户：import / list"),
    "followups": ("assistant.commands.followups", "今天到期和逾期的跟进（done / postpone 标记完成或改期）"),
    "demo": ("assistant.commands.demo", "生成演示网点数据"),
    "rehearse": ("assistant.commands.rehearse", "演练（无参数打开界面；--list / --scenario 无界面运行）"),
    "drill": ("assistant.commands.drill", "今日到期的强化练习"),
    "groups": ("assistant.commands.groups", "微信群：import / list / check / log"),
    "chat": ("assistant.commands.chat", "聊天记录：parse（把复制的微信聊天拆成消息）"),
    "triggers": ("assistant.commands.triggers", "记住的客户说法：list / remove / export（给别的网点加载）"),
    "live": ("assistant.commands.tui", "打开实战模式"),
    "review": ("assistant.commands.tui", "打开复盘模式"),
    "library": ("assistant.commands.tui", "打开话术库"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole `coach` parser; with `only`, the other subcommands are listed (help, choices) but
    their modules are not imported: together they cost a one-shot command ~40 ms."""
    from assistant.commands.argparse_zh import install

    install()  # usage, option titles, -h and errors in Chinese
    parser = argparse.ArgumentParser(prog="coach", description="网点营销教练")
    parser.add_argument(
        "--playbooks",
        action="append",
        default=[],
        metavar="DIR",
        help="加载分行自己的话术目录（可重复；同 id 覆盖内置）",
    )
    sub = parser.add_subparsers(dest="command")
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if only is not None and name != only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue  # a command still being built is simply not offered
        p.set_defaults(_module=module)
        module.add_arguments(p)
        if name not in NO_PLAYBOOKS:
            _accept_playbooks(p)
    return parser


class _Unsure(Exception):
    pass


def _command_named(argv: list[str]) -> str | None:
    """The subcommand `argv` names, read with the same top-level options as the full parser (so
    `coach --playbooks suggest check …` is `check`); None when unsure: then every module loads."""
    probe = argparse.ArgumentParser(prog="coach", add_help=False)
    probe.add_argument("--playbooks", action="append", default=[])
    sub = probe.add_subparsers(dest="command")
    for name in COMMANDS:
        sub.add_parser(name, add_help=False).add_argument("rest", nargs=argparse.REMAINDER)

    def unsure(message: str):
        raise _Unsure(message)

    probe.error = unsure
    try:
        return probe.parse_known_args(argv)[0].command
    except (_Unsure, SystemExit):
        return None


#: Commands that never load the playbooks (so `--playbooks` after them would mean nothing).
NO_PLAYBOOKS = frozenset({"paths", "config"})


def _accept_playbooks(parser: argparse.ArgumentParser) -> None:
    """`coach validate --playbooks DIR` as well as `coach --playbooks DIR validate`: the option
    after the subcommand (and after a nested one: `coach history stats --playbooks DIR`)."""
    parser.add_argument("--playbooks", action="append", dest="playbooks_after", default=argparse.SUPPRESS,
                        metavar="DIR", help="加载分行自己的话术目录（可重复；同 id 覆盖内置；写在命令前后都可以）")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                _accept_playbooks(child)


def main(argv: list[str] | None = None) -> int:
    from assistant.core.errors import CoachError
    from assistant.core.textsafe import TerminalSafeWriter, clean_argv

    # One choke point: whatever a command prints (customer names, chat lines, CSV) reaches the
    # terminal without control sequences; the TUI draws through sys.__stderr__, not through these.
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafeWriter(sys.stdout), TerminalSafeWriter(sys.stderr)
    try:
        try:
            argv = clean_argv(sys.argv[1:] if argv is None else list(argv))
        except CoachError as exc:
            print(f"coach: {exc}", file=sys.stderr)
            return exc.exit_code
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = saved


def _main(argv: list[str]) -> int:
    from assistant.core.errors import CoachError

    args = build_parser(only=_command_named(argv)).parse_args(argv)
    if args.command is not None and getattr(args, "_module", None) is None:
        args = build_parser().parse_args(argv)  # read otherwise than the probe did: the full parser decides
    args.playbooks = [*args.playbooks, *getattr(args, "playbooks_after", [])]
    if args.playbooks:
        os.environ["COACH_PLAYBOOKS"] = os.pathsep.join(
            [*args.playbooks, *filter(None, [os.environ.get("COACH_PLAYBOOKS")])]
        )
    module = getattr(args, "_module", None)
    if args.command is None:
        module = importlib.import_module("assistant.commands.tui")
    if module is None:
        print(f"coach: 命令 {args.command} 还不可用", file=sys.stderr)
        return 2
    try:
        return int(module.run(args) or 0)
    except CoachError as exc:  # a problem the user can act on: never a traceback
        print(f"coach: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # disk full, a folder where a file should be, no permission...
        if isinstance(exc, BrokenPipeError):  # `coach … | head` closed the pipe: not an error
            getattr(sys.stderr, "inner", sys.stderr).close()
            return 0
        from assistant.core.platform import describe_os_error

        print(f"coach: {describe_os_error(exc)}", file=sys.stderr)
        return 1
    except MemoryError:
        print("coach: 内存不够，操作没有完成。请关掉其他程序后再试；如果是导入，请把文件拆小。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
