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
    #: What syncing with the team folder did at start (None: no team folder set; see core/history/team.py).
    team: Any = None
    #: Bumped each time colleagues' records came in after start (screens reload their names then).
    team_generation: int = 0


#: What build_services is doing, in the words the loading line shows (see ui/widgets/loading.py).
STEPS = {"library": "读取话术库（第一次打开要整理，稍慢）", "history": "打开历史记录",
         "team": "同步团队文件夹", "matcher": "建立匹配索引"}


def build_services(paths: Paths | None = None, progress: Callable[[str], None] | None = None) -> Services:
    """Load the playbooks (built-in + COACH_PLAYBOOKS), build the matcher, open the history.
    `progress` hears each step's words from STEPS as it starts (called from the loading thread)."""
    from assistant.core.history import History
    from assistant.core.playbooks.loader import load_library
    from assistant.core.language.matcher import Matcher
    from assistant.core.playbooks.render import Renderer

    say = progress or (lambda _step: None)
    paths = paths or get_paths()
    say(STEPS["history"])
    history = History(paths)
    # The team first: a first merge's child also builds the library's and the matcher's caches
    # (see warm_matcher) from the same playbooks, and colleagues' remembered lines are in before
    # the matcher is built.
    say(STEPS["team"])
    team = attach_team(history)
    close_stale(history)
    say(STEPS["library"])
    library = load_library()
    say(STEPS["matcher"])
    matcher = Matcher.from_library(library, extra=remembered_entries(history, library))
    matcher.search("你好")  # warm the segmenter and pinyin tables here, not on the first customer line
    services = Services(library, matcher, Renderer(library), history, problem_lines(library))
    services.team = team
    return services


def close_stale(history: Any) -> None:
    """Rehearsals of this PC left open past the resume window are closed as 未完成, once (a full
    disk is no reason not to start: they are closed on a later start)."""
    from assistant.core.rehearse.resume import close_stale_rehearsals

    try:
        close_stale_rehearsals(history, history.clock())
    except OSError:
        pass


def warm_matcher(history: Any) -> None:
    """Build the matcher as `build_services` will (writing its caches): run by the team merge's child
    process, so the app loads the caches instead of keeping the dictionaries that build them."""
    from assistant.core.language.matcher import Matcher
    from assistant.core.playbooks.loader import load_library

    library = load_library()
    Matcher.from_library(library, extra=remembered_entries(history, library)).search("你好")


def remembered_entries(history: Any, library: Any) -> list:
    """The branch's 「记住这句」 lines as extra triggers (see assistant/core/remembered.py)."""
    from assistant.core.remembered import entries

    return entries(history, library)


def attach_team(history: Any) -> Any:
    """Merge colleagues' records from the team folder and publish ours after each session."""
    from assistant.core.history.team import attach

    return attach(history, warm="assistant.ui.services:warm_matcher")


def resync_team(services: Services) -> Any:
    """Read the team folder again after the user changed (a 网点负责人 takes everyone's conversations
    and customers, a staff PC only the team's numbers): the first start's sync took only what the
    user then could see. None when no team folder is set or nothing new came in.

    A newly full read (the manager's first) goes to a child process, as at start (team.attach).
    """
    from assistant.core.history.team import MANAGER, sync, sync_in_child, team_dir

    history = services.history
    where = team_dir(history.paths)
    if not where or services.team is None:
        return None
    manager = (history.current_staff() or {}).get("role") == MANAGER
    report = (sync_in_child(history, where) if manager else None) or sync(history, where)
    if report is not None and report.imported:
        services.team_generation += 1
    return report


def problem_lines(library: Any) -> list[str]:
    """The library's load errors as `path:line: message` lines (a skipped file names itself)."""
    from assistant.core.playbooks.problems import format_problem

    return [format_problem(p) for p in library.problems if p.severity == "error"]



def remember_staff(staff: dict, paths: Paths | None = None) -> dict:
    """Make `staff` ({id?, name, role}) the current user in the history's settings (added if new)."""
    from assistant.core.history import History

    history = History(paths or get_paths())
    try:
        record = history.get_staff(staff["id"]) if staff.get("id") else None
        record = record or history.add_staff(**staff)
        history.set_current_staff(record["id"])
        return record
    finally:
        history.close()
