"""A branch's team folder at scale: 10 staff PCs of 100k events each, merged on the manager's PC.

    .venv/bin/python scripts/bench_team.py [--staff 10] [--events 100000] [--home DIR] [--json]

Builds (or reuses, in --home DIR) one history per staff PC with the demo generator (`coach demo
--events N`, each PC a different day so their conversations differ), each publishing to
DIR/team as it would on start. Then measures, side by side:

- publish: the first full publish of one PC, and the incremental publish of one new session
  (20 lines) on a PC that already holds 100k events (target < 50 ms);
- on a fresh manager's PC, in its own process: the first merge of every colleague's file (in a
  child process, as the app's first start does: its own time, CPU and peak memory), a second sync
  with nothing new, then in the app (real services, Pilot) the review's first page, filter
  changes, full-text searches, and the app's peak memory; then the same in a new process (the
  next start). Targets: first page < 1 s after the first merge, memory < 300 MB.

Prints numbers; asserts nothing. Say the load average (printed) beside any figure you quote.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

SEARCHES = ["利息太低", "没有这句话的客户"]
FILTERS = [{"mode": "live"}, {"outcome": "成交", "step": "handle_objection"}, {"mode": "rehearse", "score_min": 80}, {}]


def build_staff(home: Path, team: Path, day: int, events: int, library) -> dict:
    """One staff PC: the demo branch of `day` days ago with about `events` events, published."""
    from assistant.core import config
    from assistant.core.history import History
    from assistant.core.history.demo import build_demo
    from assistant.core.history.team import TeamFolder
    from assistant.paths import Paths

    paths = Paths(home)
    history = History(paths)
    out: dict = {"home": str(home)}
    if not history.session_count():
        started = time.perf_counter()
        now = datetime.now().replace(microsecond=0) - timedelta(days=day)
        build_demo(history, library, now=now, events=events)
        out["build_s"] = round(time.perf_counter() - started, 1)
    config.set_value("team_dir", str(team), paths)
    started = time.perf_counter()
    out["published"] = TeamFolder(history, team).publish()
    out["publish_s"] = round(time.perf_counter() - started, 2)
    history.close()
    return out


def one_session_publish(home: Path, team: Path, repeat: int = 5) -> dict:
    """A new 20-line session on a PC that already holds its history, then its incremental publish."""
    from assistant.core.history import History
    from assistant.core.history.team import TeamFolder
    from assistant.paths import Paths

    history = History(Paths(home))
    staff = history.current_staff() or history.list_staff()[0]
    times = []
    for _ in range(repeat):
        sid = history.start_session(staff_id=staff["id"])
        for i in range(20):
            history.log_event(sid, "customer" if i % 2 else "staff", f"第 {i} 句：利息能不能再高一点")
        history.end_session(sid, outcome="待跟进")
        started = time.perf_counter()
        sent = TeamFolder(history, team).publish()
        times.append(1000 * (time.perf_counter() - started))
    history.close()
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "records": sent}


# ------------------------------------------------------------------ the manager's PC (own process)


def manager(home: Path, team: Path) -> dict:
    """The manager's first start on a new PC: the app merges everyone (in a child process, as it
    does for a big backlog) while loading, then shows 复盘. Memory is the app's own peak."""
    from assistant.core import config
    from assistant.core.history import History
    from assistant.core.history import team as team_module
    from assistant.paths import Paths

    shutil.rmtree(home, ignore_errors=True)
    paths = Paths(home)
    history = History(paths)
    boss = history.add_staff("赵主任", "网点负责人")
    history.set_current_staff(boss["id"])
    config.set_value("team_dir", str(team), paths)
    history.close()
    del history
    out: dict = {}
    real = team_module.sync_in_child

    def timed(*args, **kwargs):
        started = time.perf_counter()
        report = real(*args, **kwargs)
        out["merge_s"] = round(time.perf_counter() - started, 2)
        return report

    team_module.sync_in_child = timed
    os.environ["COACH_HOME"] = str(home)
    out.update(asyncio.run(review()))
    out["peak_rss_mb"] = _rss()
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["merge_cpu_s"] = round(child.ru_utime + child.ru_stime, 2)
    out["merge_rss_mb"] = round(child.ru_maxrss / 1024)
    return out


def after_merge(home: Path) -> dict:
    """Core numbers on the merged history: a sync with nothing new, and open + first page."""
    from assistant.core.history import History
    from assistant.core.history.team import sync
    from assistant.paths import Paths

    out: dict = {}
    started = time.perf_counter()
    history = History(Paths(home))  # what the app does first: open the merged history, one page
    history.query_sessions(limit=50)
    out["open_and_page_s"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    sync(history)
    out["sync_again_ms"] = round(1000 * (time.perf_counter() - started), 1)
    history.close()
    return out


async def review() -> dict:
    from bench_review import _search, until

    from assistant.core.history import SessionFilter
    from assistant.ui.app import CoachApp
    from assistant.ui.screens.review import ReviewScreen
    from assistant.ui.services import build_services

    out: dict = {}
    t0, c0 = time.perf_counter(), time.process_time()
    app = CoachApp(mode="review", build=build_services)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        # Polled slowly: a busy wait here takes a core from the merging child (2-core machines).
        while app.services is None:
            if time.perf_counter() - t0 > 1800:
                raise TimeoutError("the app's services did not load in 30 min")
            await pilot.pause(0.05)
        ready = time.perf_counter()
        out["services_s"] = round(ready - t0, 3)
        await until(pilot, lambda: screen.rows and screen.painted_seq == screen.seq)
        out["page_after_services_s"] = round(time.perf_counter() - ready, 3)
        out["first_page_s"] = round(time.perf_counter() - t0, 3)
        out["first_page_cpu_s"] = round(time.process_time() - c0, 3)
        out["rss_mb"] = {"first_page": _rss()}
        out["sessions"] = screen.total
        report = getattr(app.services, "team", None)
        if report is not None:
            out["merged_sessions"] = report.added_sessions()
            out["merged_events"] = sum(x.added.get("event", 0) for x in report.imported.values())
            out["problems"] = report.problems
        times = []
        for fields in FILTERS:
            screen.apply_filter(SessionFilter(**fields))
            times.append(1000 * await until(pilot, lambda: screen.painted_seq == screen.seq))
        out["filter_ms"] = {"median": round(statistics.median(times), 1), "max": round(max(times), 1)}
        out["rss_mb"]["filters"] = _rss()
        out["search"] = [await _search(pilot, screen, q) for q in SEARCHES]
        out["rss_mb"]["search"] = _rss()
    return out


def _rss() -> int:
    """Peak memory of this process so far, MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


# ------------------------------------------------------------------ driver


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=10, help="staff PCs (default 10)")
    parser.add_argument("--events", type=int, default=100_000, help="events per staff PC (default 100,000)")
    parser.add_argument("--home", help="build once in (and reuse) this folder instead of a temp dir")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--manager", help=argparse.SUPPRESS)  # internal: run the manager's side here
    parser.add_argument("--manager-again", help=argparse.SUPPRESS)  # internal: the manager's next start
    args = parser.parse_args()
    if args.manager:
        root = Path(args.manager)
        print(json.dumps(manager(root / "manager", root / "team")))
        return 0
    if args.manager_again:
        os.environ["COACH_HOME"] = str(Path(args.manager_again) / "manager")
        out = asyncio.run(review())
        out["peak_rss_mb"] = _rss()
        print(json.dumps({**out, **after_merge(Path(args.manager_again) / "manager")}))
        return 0
    root = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="coach-team-"))
    team = root / "team"
    team.mkdir(parents=True, exist_ok=True)
    from assistant.core.playbooks.loader import load_library

    library = load_library()
    staff = [build_staff(root / f"staff-{i:02d}", team, i, args.events, library) for i in range(args.staff)]
    publish = one_session_publish(root / "staff-00", team)
    sides = {}
    for flag in ("--manager", "--manager-again"):
        done = subprocess.run([sys.executable, __file__, flag, str(root)], capture_output=True, text=True)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return 1
        sides[flag] = json.loads(done.stdout.splitlines()[-1])
    numbers = {"staff": staff, "publish_one_session": publish, "manager": sides["--manager"],
               "manager_again": sides["--manager-again"],
               "load_avg_1m": round(os.getloadavg()[0], 2), "cores": os.cpu_count(), "root": str(root)}
    if args.json:
        print(json.dumps(numbers, ensure_ascii=False, indent=2))
    else:
        report(numbers, args)
    if not args.home:
        shutil.rmtree(root, ignore_errors=True)
    return 0


def report(n: dict, args) -> None:
    m, p = n["manager"], n["publish_one_session"]
    built = [s for s in n["staff"] if "build_s" in s]
    size = sum(f.stat().st_size for f in Path(n["root"], "team").glob("*/records.jsonl")) / 1e6
    print(f"team folder: {args.staff} staff PCs × ~{args.events:,} events ({size:,.0f} MB of records)"
          + (f"; built {len(built)} in {sum(s['build_s'] for s in built):.0f} s" if built else " (reused)"))
    if built:
        print(f"first full publish of one PC:          {statistics.median(s['publish_s'] for s in built):.2f} s (median)")
    print(f"incremental publish of one session:    median {p['median_ms']:.1f} ms, max {p['max_ms']:.1f} ms "
          f"({p['records']} records; target < 50 ms)")
    print(f"manager's first merge of everyone:     {m['merge_s']:.2f} s in a child process (CPU {m['merge_cpu_s']:.2f} s): "
          f"{m['merged_sessions']:,} sessions, {m['merged_events']:,} events; peak {m['merge_rss_mb']} MB")
    a = n["manager_again"]
    print(f"sync again with nothing new:           {a['sync_again_ms']:.1f} ms")
    print(f"merged history opened + first page:    {a['open_and_page_s']:.3f} s (core: History() and query_sessions; "
          f"{m['sessions']:,} sessions)")
    print(f"review first page after the merge:     {m['page_after_services_s']:.3f} s from services ready to the page "
          f"painted (target < 1 s); app start → page {m['first_page_s']:.3f} s (CPU {m['first_page_cpu_s']:.3f} s "
          f"in the app), of which loading playbooks and the merge {m['services_s']:.3f} s")
    print(f"filter change → table:                 median {m['filter_ms']['median']:.1f} ms, max {m['filter_ms']['max']:.1f} ms")
    for s in m["search"]:
        print(f"full-text search 「{s['query']}」:        {s['seconds']:.3f} s, {s['hits']} hits")
    print(f"manager app peak memory:               {m['peak_rss_mb']} MB (target < 300 MB) {m['rss_mb']}; "
          f"the merging child's peak {m['merge_rss_mb']} MB")
    print(f"the manager's next start (new process, sync with nothing new): first page {a['page_after_services_s']:.3f} s "
          f"after services ({a['first_page_s']:.3f} s from app start, CPU {a['first_page_cpu_s']:.3f} s); filter median "
          f"{a['filter_ms']['median']:.1f} ms; search {[(s['query'], s['seconds']) for s in a['search']]}; "
          f"peak memory {a['peak_rss_mb']} MB {a['rss_mb']}")
    if m["problems"]:
        print("problems:", *m["problems"], sep="\n  ")
    print(f"machine load (1 min) {n['load_avg_1m']} on {n['cores']} cores")


if __name__ == "__main__":
    sys.exit(main())
