"""The team folder as the app and the CLI use it: `sync` (publish, then read colleagues),
`attach` (sync on start, publish after each session), the background publish, and the child
process that does a big first merge. The folder itself (layout, cursors, reading colleagues) is
in team_folder.py, publishing in team_publish.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

from assistant.core.errors import CoachError
from assistant.core.history.merge import Summary
from assistant.core.history.team_folder import SyncReport, TeamFolder, staff_by_device

MANAGER = "网点负责人"
#: Unread bytes above which the app leaves the merge to a child process (see `attach`).
CHILD_BACKLOG = 32 * 1024 * 1024


def team_dir(paths: Any) -> str | None:
    """The configured team folder, or None."""
    from assistant.core import config

    return config.load(paths).get("team_dir")


def takes_all(history: Any) -> bool:
    """This PC takes colleagues' conversations and customers too: its current user is the 网点负责人."""
    return (history.current_staff() or {}).get("role") == MANAGER


def sync(history: Any, folder: str | Path | None = None, full: bool | None = None) -> SyncReport | None:
    """Publish this PC's new records, then read the colleagues'. None when no team folder is set.

    `full` None: everything when this PC's current user is the 网点负责人, else TEAM_KINDS.
    Never raises: what could not be done is in `report.problems`.
    """
    report = SyncReport()
    try:
        folder = folder or team_dir(history.paths)
        if not folder:
            return None
        team = TeamFolder(history, folder, takes_all(history) if full is None else full)
        if not team.folder.is_dir():
            report.problems.append(f"团队文件夹 {team.folder} 不存在或打不开（共享盘没连上？）。这次没有同步，本机数据照常可用。")
            return report
        report.published = team.publish()
        team.read_all(report)
        report.names = staff_by_device(history, set(report.imported))
        if report.imported:
            team.publish(tables=False)  # steps the cursors over what was just imported (not ours: not sent)
    except CoachError as exc:
        report.problems.append(str(exc))
    return report


def attach(history: Any, folder: str | Path | None = None, warm: str | None = None) -> SyncReport | None:
    """Sync now, and publish again after every session this history ends (the app calls this), in
    the background: with 100k customers a publish takes over a second, and nobody ending a session
    should wait for it (what it could not do is published at the next one, or the next start).

    A big backlog (the manager's first merge of everyone) is read by a child process, so the
    app's own memory stays that of an ordinary start (the merge's peak leaves with the child).
    `warm` ("module:function", called with the child's history) lets that child also build what
    the app would otherwise build itself on a first start (see `sync_in_child`).
    """
    where = folder or team_dir(history.paths)
    if not where:
        return None
    report = None
    if TeamFolder(history, where, takes_all(history)).unread() > CHILD_BACKLOG:
        report = sync_in_child(history, where, warm)
    report = report or sync(history, where)

    history.on_session_end.append(lambda _session: publish_later(history, folder=folder))
    return report


#: The background publish's thread name.
PUBLISH_JOB = "team-publish"


def publish_later(history: Any, report: Any = None, folder: str | Path | None = None) -> Any:
    """Publish this PC's new records in the background (a session's end and its follow-ups, a
    comment, a corrected outcome): colleagues see them at their next sync. Returns at once, with
    the thread that publishes (None without a team folder). Asked again while a publish runs, it
    publishes once more after it (what was written meanwhile goes out too). `report` (optional) is
    called from that thread with one Chinese sentence if the publish fails; what failed goes out
    at the next publish (nothing is marked published before it is in the folder). `folder`: this
    team folder instead of the configured one."""
    from assistant.core.history import background

    paths = getattr(history, "paths", None)  # a stand-in history (tests, rehearsal) has no data home
    if paths is None or not (folder or team_dir(paths)):
        return None
    failed = "这次没能发布到团队文件夹（出了意外）。本机记录都在，下次结束会话或启动时会再发布。"
    key = f"{PUBLISH_JOB}:{folder or ''}"
    return background.job(history, PUBLISH_JOB, lambda h: _publish_now(h, folder), failed, key).request(report)


def wait_published(history: Any, timeout: float | None = None) -> bool:
    """Wait for this history's background publishes, if any is under way; False after `timeout`."""
    from assistant.core.history import background

    return background.wait_for(history, timeout)


def _publish_now(history: Any, folder: str | Path | None = None) -> None:
    """One publish (to `folder`, else the folder configured now); CoachError saying what to do."""
    where = folder or team_dir(history.paths)
    if not where:
        return
    try:
        TeamFolder(history, where).publish()
    except OSError as exc:
        raise CoachError(f"没能发布到团队文件夹 {where}：{exc.strerror or exc}。本机记录都在，"
                         "共享盘恢复后下次结束会话或启动时会再发布。") from None


def sync_in_child(history: Any, folder: str | Path, warm: str | None = None) -> SyncReport | None:
    """`sync` in a child process on the same data home; None when the child could not run.

    `warm` ("module:function") is called in the child with its history after the sync: on a new
    PC the app's caches (matcher, pinyin, segmenter) do not exist yet, and building them loads
    dictionaries (~100 MB) a process keeps until it exits; built in the child, the app loads them.
    """
    import subprocess
    import sys

    env = {**os.environ, "COACH_HOME": str(history.paths.home)}
    command = [sys.executable, "-m", "assistant.core.history.team", str(folder)] + (["--warm", warm] if warm else [])
    try:
        done = subprocess.run(command, env=env, capture_output=True, timeout=3600)
        data = orjson.loads(done.stdout.splitlines()[-1]) if done.returncode == 0 and done.stdout else None
    except (OSError, subprocess.SubprocessError, orjson.JSONDecodeError, IndexError):
        data = None
    if not isinstance(data, dict):
        return None
    history.refresh()
    report = SyncReport(published=data.get("published", 0), problems=list(data.get("problems", [])))
    report.names = {d: list(n) for d, n in (data.get("names") or {}).items() if isinstance(n, list)}
    for device, counts in (data.get("imported") or {}).items():
        report.imported[device] = Summary(added=counts.get("added", {}), updated=counts.get("updated", {}),
                                          skipped=counts.get("skipped", {}), conflicts=counts.get("conflicts", []))
    return report


def _child_main(folder: str, warm: str | None = None) -> int:
    """The child of `sync_in_child`: sync COACH_HOME's history, print the report as one JSON line."""
    from dataclasses import asdict

    from assistant.core.history import History

    history = History()
    try:
        report = sync(history, folder) or SyncReport()
        if warm:
            _warm(warm, history)
    finally:
        history.close()
    print(orjson.dumps(asdict(report)).decode())
    return 0


def _warm(spec: str, history: Any) -> None:
    """Call `module:function` with the history; a failure only means the app builds it itself."""
    import importlib

    module, _, name = spec.partition(":")
    try:
        getattr(importlib.import_module(module), name)(history)
    except Exception:  # noqa: BLE001 - an optional head start; the app builds what is missing
        pass


if __name__ == "__main__":
    import sys

    args = sys.argv[1:]
    sys.exit(_child_main(args[0], args[2] if args[1:2] == ["--warm"] and len(args) > 2 else None))
