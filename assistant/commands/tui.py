"""`coach`, `coach live`, `coach review`, `coach library`: open the app (in that mode)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The TUI takes no options of its own (`--playbooks` is global)."""


def run(args: argparse.Namespace) -> int:
    return run_app(mode=getattr(args, "command", None))


def run_app(mode: str | None = None, **opts) -> int:
    """Start the app in `mode` (home when None or not a mode)."""
    from assistant.ui.app import MODE_SCREENS, CoachApp

    CoachApp(mode=mode if mode in MODE_SCREENS else None, **opts).run()
    return 0
