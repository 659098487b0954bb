"""The services the screens share, built once (in a worker) when the app starts.

No Textual here, so the benchmark and the tests can build the same services without an event loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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

