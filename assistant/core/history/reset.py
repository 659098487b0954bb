"""`coach demo --reset`: remove the history files of a data dir that `coach demo` created, and only those."""

from __future__ import annotations

from assistant.core.errors import CoachError
from assistant.core.history.files import Lock
from assistant.core.history.journal import MONTH_RE
from assistant.paths import Paths


def reset_demo(paths: Paths) -> int:
    """Delete journals, their side files and state.json/state.log; refuse unless the demo marker is there."""
    if not paths.demo_marker.exists():
        raise CoachError(f"{paths.home} 不是 coach demo 生成的目录（没有 {paths.demo_marker.name} 标记），"
                         "为保护真实数据，--reset 不会动它。")
    removed = 0
    with Lock(paths.lock).held():
        folder = paths.history_dir
        for path in folder.iterdir() if folder.is_dir() else ():
            base = path.name.split(".jsonl")[0] + ".jsonl"
            if MONTH_RE.match(base):
                path.unlink()
                removed += 1
        for path in [*paths.home.glob("state.json*"), *paths.home.glob("state.log*")]:
            path.unlink()
            removed += 1
    return removed
