"""Shared fixtures: every test gets its own data home; nothing touches the real user dir.

COACH_TEST_NOW=2026-12-31T23:59 pytest ... runs the whole session with the wall clock moved there
(time-machine, ticking; monotonic time untouched), to catch tests that read the real date.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh COACH_HOME per test, and no branch playbooks leaking in from the environment.

    COACH_PLAYBOOKS is set (empty) rather than deleted so that teardown removes it again: `coach
    --playbooks DIR` run in-process sets it, and a module-scoped library built before the next
    test's fixtures would otherwise load those folders too."""
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COACH_PLAYBOOKS", "")
    return home


@pytest.fixture(autouse=True)
def textual_unpatched():
    """The launcher patches Textual for the whole process (assistant/ui/paste_guard.py and
    wide_cuts.py); a test that runs the launcher must not leave those patches to the tests after it."""
    import sys

    from textual import _xterm_parser
    from textual._compositor import Compositor

    from assistant.ui.paste_guard import DRIVER_MODULES

    render_chops = Compositor._render_chops
    yield
    Compositor._render_chops = render_chops
    for name in DRIVER_MODULES:
        if name in sys.modules:
            sys.modules[name].XTermParser = _xterm_parser.XTermParser


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function):
    """Run `async def` tests (Pilot tests) in a fresh event loop, without an asyncio plugin."""
    import asyncio
    import inspect

    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


def pytest_configure(config: pytest.Config) -> None:
    """Travel before collection, so module-level dates see the moved clock too."""
    when = os.environ.get("COACH_TEST_NOW")
    if not when:
        return
    from datetime import datetime

    try:
        import time_machine  # only needed for this opt-in mode (in the `test` extra)
        moment = datetime.fromisoformat(when)
    except (ImportError, ValueError) as exc:
        raise pytest.UsageError(f"COACH_TEST_NOW={when!r}: {exc} (needs time-machine and YYYY-MM-DDTHH:MM)") from None
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)
