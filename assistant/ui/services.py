"""The services the screens share, built once (in a worker) when the app starts.

Also the small settings file (who is using the app). No Textual here, so the benchmark and the
tests can build the same services without an event loop.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from assistant.paths import Paths, get_paths


@dataclass
class Services:
    """Library, matcher, renderer and history; `problems` are load problems to show once."""

    library: Any
    matcher: Any
    renderer: Any
    history: Any
    problems: list[str] = field(default_factory=list)
    #: Compliance and coverage checks (None = the core modules); tests pass fakes.
    check: Callable | None = None
    covered: Callable | None = None
    clock: Callable[[], datetime] = datetime.now


def build_services(paths: Paths | None = None) -> Services:
    """Load the playbooks (built-in + COACH_PLAYBOOKS), build the matcher, open the history."""
    from assistant.core.history import History
    from assistant.core.loader import load_library
    from assistant.core.matcher import Matcher
    from assistant.core.render import Renderer

    paths = paths or get_paths()
    library = load_library()
    problems = [_problem_text(p) for p in library.problems if getattr(p, "severity", "error") == "error"]
    return Services(library, Matcher.from_library(library), Renderer(library), History(paths), problems)


def _problem_text(problem: Any) -> str:
    try:
        from assistant.core.problems import format_problem

        return format_problem(problem)
    except ImportError:
        return str(problem)


# ------------------------------------------------------------------ settings


def load_settings(paths: Paths | None = None) -> dict:
    """The settings file as a dict; a missing or unreadable file is an empty dict."""
    path = (paths or get_paths()).settings
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_settings(values: dict, paths: Paths | None = None) -> None:
    """Write the settings atomically (temp file + replace), owner-only."""
    paths = paths or get_paths()
    paths.ensure()
    fd, tmp = tempfile.mkstemp(dir=paths.home, prefix=".settings-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(values, fh, ensure_ascii=False, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, Path(paths.settings))


def current_staff(paths: Paths | None = None) -> dict | None:
    """Who is using the app ({id, name, role}), or None on first start."""
    staff = load_settings(paths).get("staff")
    return staff if isinstance(staff, dict) and staff.get("name") else None


def remember_staff(staff: dict, paths: Paths | None = None) -> None:
    save_settings({**load_settings(paths), "staff": staff}, paths)
