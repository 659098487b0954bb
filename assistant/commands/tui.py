"""`coach`, `coach live`, `coach review`, `coach library`: open the app (in that mode)."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The TUI takes no options of its own (`--playbooks` is global)."""


def run(args: argparse.Namespace) -> int:
    return run_app(mode=getattr(args, "command", None))


def run_app(mode: str | None = None, **opts) -> int:
    """Start the app in `mode` (home when None or not a mode)."""
    if not has_terminal():
        # piped or redirected: the screen would arrive as escape codes in a file
        print("coach 的界面要在终端窗口里打开（现在的输入或输出不是终端）。"
              "要在脚本里用，请看 `coach --help` 里不开界面的命令，如 coach followups、coach rehearse --scenario。",
              file=sys.stderr)
        return 2
    from assistant.core.errors import CoachError
    from assistant.ui import paste_guard, wide_cuts
    from assistant.ui.app import MODE_SCREENS, CoachApp

    app = CoachApp(mode=mode if mode in MODE_SCREENS else None, **opts)  # loads the platform's driver
    try:
        paste_guard.install()  # escape bytes inside a paste must not act as keys
        wide_cuts.install()  # a Chinese character on a widget's edge under a toast must not vanish
    except CoachError as error:
        print(f"coach: {error}", file=sys.stderr)
        return 1
    app.run()
    if app.problems:  # the app went on, but something was not saved: say it where it stays visible
        print(f"coach: 这次运行中有 {len(app.problems)} 处读写出错，最后一处：{app.problems[-1]}", file=sys.stderr)
    # it could not start, it stopped on an error, or something was not saved: scripts must see it
    return 1 if app.startup_error or app.problems or app.return_code else 0


def has_terminal() -> bool:
    """Both ends are a terminal, so the screen can be drawn and keys read."""
    return sys.stdin.isatty() and sys.stdout.isatty()
