"""A branch's team folder at scale: 10 staff PCs of 100k events each, merged on the manager's PC.

    .venv/bin/python scripts/bench_team.py [--staff 10] [--events 100000] [--home DIR] [--json]

Builds (or reuses, in --home DIR) one history per staff PC with the demo generator (`coach demo
--events N`, each PC a different day so their conversations differ), each publishing to
DIR/team as it would on start. Then measures, side by side:

- publish: the first full publish of one PC, and the incremental publish of one new session
  (20 lines) on a PC that already holds 100k events (target < 50 ms);
- on a fresh manager's PC, in its own process (so its peak memory is its own): the first merge of
  every colleague's file, a second sync with nothing new, then in the app (real services, Pilot)
  the review's first page, filter changes, full-text searches, and the process's peak memory
  (targets: first page < 1 s after the first merge, memory < 300 MB).

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
    from assistant.core import config
    from assistant.core.history import History
    from assistant.core.history.team import sync
    from assistant.paths import Paths

    shutil.rmtree(home, ignore_errors=True)
    paths = Paths(home)
    history = History(paths)
    boss = history.add_staff("赵主任", "网点负责人")
    history.set_current_staff(boss["id"])
    config.set_value("team_dir", str(team), paths)
    out: dict = {}
    started, cpu = time.perf_counter(), time.process_time()
    report = sync(history)
    out["merge_s"] = round(time.perf_counter() - started, 2)
    out["merge_cpu_s"] = round(time.process_time() - cpu, 2)
    out["merge_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out["merged_sessions"] = report.added_sessions()
    out["merged_events"] = sum(s.added.get("event", 0) for s in report.imported.values())
    out["problems"] = report.problems
    started = time.perf_counter()
    sync(history)
    out["sync_again_ms"] = round(1000 * (time.perf_counter() - started), 1)
    history.close()
    started = time.perf_counter()
    history = History(paths)  # what the app does first: open the merged history, one page
    history.query_sessions(limit=50)
    out["open_and_page_s"] = round(time.perf_counter() - started, 3)
    history.close()
    os.environ["COACH_HOME"] = str(home)
    out.update(asyncio.run(review()))
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
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
        await until(pilot, lambda: app.services is not None)
        ready = time.perf_counter()
        out["services_s"] = round(ready - t0, 3)
        await until(pilot, lambda: screen.rows and screen.painted_seq == screen.seq)
        out["page_after_services_s"] = round(time.perf_counter() - ready, 3)
        out["first_page_s"] = round(time.perf_counter() - t0, 3)
        out["first_page_cpu_s"] = round(time.process_time() - c0, 3)
        out["rss_mb"] = {"first_page": _rss()}
        out["sessions"] = screen.total
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
    args = parser.parse_args()
    if args.manager:
        root = Path(args.manager)
        print(json.dumps(manager(root / "manager", root / "team")))
        return 0
    root = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="coach-team-"))
    team = root / "team"
    team.mkdir(parents=True, exist_ok=True)
    from assistant.core.playbooks.loader import load_library

    library = load_library()
    staff = [build_staff(root / f"staff-{i:02d}", team, i, args.events, library) for i in range(args.staff)]
    publish = one_session_publish(root / "staff-00", team)
    done = subprocess.run([sys.executable, __file__, "--manager", str(root)], capture_output=True, text=True)
    if done.returncode:
        print(done.stderr, file=sys.stderr)
        return 1
    numbers = {"staff": staff, "publish_one_session": publish, "manager": json.loads(done.stdout.splitlines()[-1]),
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
    print(f"first full publish of one PC:          {statistics.median(s['publish_s'] for s in n['staff']):.2f} s (median)")
    print(f"incremental publish of one session:    median {p['median_ms']:.1f} ms, max {p['max_ms']:.1f} ms "
          f"({p['records']} records; target < 50 ms)")
    print(f"manager's first merge of everyone:     {m['merge_s']:.2f} s (CPU {m['merge_cpu_s']:.2f} s): "
          f"{m['merged_sessions']:,} sessions, {m['merged_events']:,} events; peak {m['merge_rss_mb']} MB")
    print(f"sync again with nothing new:           {m['sync_again_ms']:.1f} ms")
    print(f"merged history opened + first page:    {m['open_and_page_s']:.3f} s (core: History() and query_sessions; "
          f"{m['sessions']:,} sessions)")
    print(f"review first page after the merge:     {m['page_after_services_s']:.3f} s from services ready to the page "
          f"painted (target < 1 s); app start → page {m['first_page_s']:.3f} s, CPU {m['first_page_cpu_s']:.3f} s, "
          f"of which loading playbooks, history and sync {m['services_s']:.3f} s")
    print(f"filter change → table:                 median {m['filter_ms']['median']:.1f} ms, max {m['filter_ms']['max']:.1f} ms")
    for s in m["search"]:
        print(f"full-text search 「{s['query']}」:        {s['seconds']:.3f} s, {s['hits']} hits")
    print(f"manager process peak memory:           {m['peak_rss_mb']} MB (target < 300 MB); peak after the merge "
          f"{m['merge_rss_mb']} MB, then in the app: {m['rss_mb']}")
    if m["problems"]:
        print("problems:", *m["problems"], sep="\n  ")
    print(f"machine load (1 min) {n['load_avg_1m']} on {n['cores']} cores")


if __name__ == "__main__":
    sys.exit(main())
