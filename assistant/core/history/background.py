"""Work a history does in the background, one job at a time, coalesced: the team folder's publish.

Nobody waits for it: `request` returns at once. Requests made while the job runs make it run once
more afterwards (so what was written meanwhile, e.g. the follow-ups made right after a session's
end, goes out too), and requests made before it starts share one run. Failures reach the callbacks
given with the requests of that run as one Chinese sentence, never as a traceback.

Threads are daemons (a network share that hangs must not keep the app from quitting), but a
normal exit waits up to EXIT_WAIT seconds for a job under way to finish. A job killed halfway
must leave its files readable (the team folder's publish does: see team.py).
"""

from __future__ import annotations

import atexit
import threading
import weakref
from typing import Any, Callable

from assistant.core.errors import CoachError

#: Seconds a normal exit waits for a background job under way.
EXIT_WAIT = 10.0
Report = Callable[[str], None]


class Coalesced:
    """One job of one owner: runs `work(owner)` in a thread when asked, never two at a time."""

    def __init__(self, owner: Any, work: Callable[[Any], Any], name: str, failed: str):
        #: Held weakly: a history that is gone has nothing left to publish.
        self.owner = weakref.ref(owner)
        self.work = work
        #: The thread's name (tests and the exit wait find it by it).
        self.name = name
        #: What to say when `work` fails with something other than a CoachError.
        self.failed = failed
        self._lock = threading.Lock()
        self._wanted = False
        self._reports: list[Report] = []
        self._thread: threading.Thread | None = None

    def request(self, report: Report | None = None) -> threading.Thread:
        """Run `work` soon (again, when a run is under way); returns the thread that will."""
        with self._lock:
            self._wanted = True
            if report is not None:
                self._reports.append(report)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            return self._thread

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no run is wanted or under way; False when `timeout` passed first."""
        while True:
            with self._lock:
                thread = self._thread
            if thread is None:
                return True
            thread.join(timeout)
            if thread.is_alive():
                return False

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._thread = None
                    return
                self._wanted, reports, self._reports = False, self._reports, []
            problem = self._attempt()
            if problem:
                for report in reports:
                    _tell(report, problem)

    def _attempt(self) -> str | None:
        owner = self.owner()
        if owner is None:
            return None
        try:
            self.work(owner)
        except CoachError as exc:
            return str(exc)
        except Exception:  # noqa: BLE001 - a background thread must not print a traceback over the app
            return self.failed
        return None


def _tell(report: Report, problem: str) -> None:
    try:
        report(problem)
    except Exception:  # noqa: BLE001 - the screen that asked may be gone (the app quitting)
        pass


_jobs: "weakref.WeakKeyDictionary[Any, dict[str, Coalesced]]" = weakref.WeakKeyDictionary()
_jobs_lock = threading.Lock()


def job(owner: Any, name: str, work: Callable[[Any], Any], failed: str, key: str | None = None) -> Coalesced:
    """The owner's job `key` (default `name`), made on first use; `work` is called with the owner."""
    with _jobs_lock:
        mine = _jobs.setdefault(owner, {})
        if (key or name) not in mine:
            mine[key or name] = Coalesced(owner, work, name, failed)
        return mine[key or name]


def wait_for(owner: Any, timeout: float | None = None) -> bool:
    """Wait for the owner's jobs (each up to `timeout`); False when one was still running."""
    with _jobs_lock:
        jobs = list(_jobs.get(owner, {}).values())
    return all([j.wait(timeout) for j in jobs])


def wait_all(timeout: float | None = None) -> bool:
    """Wait for every owner's jobs (each up to `timeout`); False when one was still running."""
    with _jobs_lock:
        jobs = [j for mine in list(_jobs.values()) for j in mine.values()]
    return all([j.wait(timeout) for j in jobs])


@atexit.register
def _finish_on_exit() -> None:
    wait_all(EXIT_WAIT)
