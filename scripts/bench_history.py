#!/usr/bin/env python
"""Benchmark the history store against plain TinyDB, side by side in one run.

    .venv/bin/python scripts/bench_history.py --events 1000000 [--json] [--baseline-cap 50000]

Builds a history of N events (the demo branch: realistic Chinese lines from the playbooks, ~50
events a session), then measures each store in its own child process (so peak memory is that
store's alone): event append p50/p99, session open/close p99, transcript load, session filters
by date/staff/outcome/topic, full-text search over all events, opening the history, peak RSS.

Plain TinyDB rewrites its whole file on every insert, so filling it to 1M events one insert at a
time would take days: the baseline is filled (insert_multiple) to at most --baseline-cap events,
measured there, and its size-dependent numbers are extrapolated linearly to N (marked "≈").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGETS = {"append_p99_ms": 5, "filter_ms": 200, "search_ms": 1000, "open_ms": 1000, "peak_mb": 300}
QUERY = "利息"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - start) * 1000, result


def fsync_floor(folder: Path, count: int = 200) -> tuple[float, float]:
    """p50/p99 of a bare 200-byte append + fsync here: the disk's floor under any durable append."""
    path = folder / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        os.write(fd, b"x" * 199 + b"\n")
        os.fsync(fd)
        times.append((time.perf_counter() - start) * 1000)
    os.close(fd)
    path.unlink()
    return round(pct(times, 50), 2), round(pct(times, 99), 2)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------ build


def build(home: Path, events: int) -> dict:
    os.environ["COACH_HOME"] = str(home)
    from assistant.core.history import History
    from assistant.core.history.demo import build_demo
    from assistant.core.playbooks.loader import load_library

    ms, made = timed(build_demo, History(), load_library(), None, events)
    size = sum(p.stat().st_size for p in (home / "history").iterdir())
    return {**made, "build_s": round(ms / 1000, 1), "journal_mb": round(size / 2**20, 1)}


# ------------------------------------------------------------------ ours


def measure_ours(home: Path) -> dict:
    os.environ["COACH_HOME"] = str(home)
    from assistant.core.history import History, SessionFilter

    open_ms, h = timed(History)
    sessions, _ = h.query_sessions(limit=None, sort="started")
    staff_id = sessions[len(sessions) // 2]["staff_id"]
    filters = {
        "date": SessionFilter(since=sessions[len(sessions) // 2]["started"][:10], until=sessions[-1]["started"][:10]),
        "staff": SessionFilter(staff_id=staff_id),
        "outcome": SessionFilter(outcome="待跟进"),
        "topic": SessionFilter(topic="rate_low"),
        "combined": SessionFilter(staff_id=staff_id, outcome="成交", mode="live", step="recommend"),
    }
    filter_ms = {k: round(statistics.median(timed(h.query_sessions, f)[0] for _ in range(5)), 1) for k, f in filters.items()}
    cold = [timed(h.events, s["id"])[0] for s in sessions[:: max(1, len(sessions) // 20)]]
    warm = [timed(h.events, s["id"])[0] for s in sessions[:: max(1, len(sessions) // 20)]]
    ticks = []
    first_search_ms, _ = timed(lambda: sum(1 for _ in h.search_events("隔壁银行")))
    search_ms, hits = timed(lambda: sum(1 for _ in h.search_events(QUERY, progress=lambda d, t: ticks.append(d))))
    floor = fsync_floor(home)
    opens, closes, appends = [], [], []
    for _ in range(50):
        ms, sid = timed(h.start_session, "live", staff_id)
        opens.append(ms)
        for i in range(20):
            appends.append(timed(h.log_event, sid, "customer", f"利息太低了，隔壁银行三年期都两点几了（{i}）")[0])
        closes.append(timed(lambda: h.end_session(sid, outcome="待跟进", furthest_step="handle_objection"))[0])
    return {
        "open_ms": round(open_ms, 1), "sessions": len(sessions),
        "append_p50_ms": round(pct(appends, 50), 2), "append_p99_ms": round(pct(appends, 99), 2),
        "session_open_p99_ms": round(pct(opens, 99), 2), "session_close_p99_ms": round(pct(closes, 99), 2),
        "transcript_first_in_month_p99_ms": round(pct(cold, 99), 1), "transcript_p99_ms": round(pct(warm, 99), 2),
        "filter_ms": filter_ms, "search_ms": round(search_ms, 1), "search_hits": hits, "first_search_ms": round(first_search_ms, 1), "progress_calls": len(ticks),
        "peak_mb": round(peak_mb(), 1), "fsync_p50_ms": floor[0], "fsync_p99_ms": floor[1],
        "load_average": round(os.getloadavg()[0], 2),
    }


# ------------------------------------------------------------------ plain TinyDB


def measure_baseline(home: Path, cap: int, total: int) -> dict:
    """Plain TinyDB (default JSONStorage): filled to `cap` events from the same journals, then measured."""
    from tinydb import Query, TinyDB

    from assistant.core.history.journal import Journal

    path = home / "baseline.json"
    path.unlink(missing_ok=True)  # a kept dir: start the baseline afresh
    sessions, events = _first_events(Journal(home / "history", "sessions"), Journal(home / "history", "events"), cap)
    db = TinyDB(path, encoding="utf-8", ensure_ascii=False)
    db.table("sessions").insert_multiple(sessions)
    db.table("events").insert_multiple(events)
    db.close()
    open_ms, db = timed(lambda: (lambda d: (d.table("sessions").all(), d)[1])(TinyDB(path, encoding="utf-8", ensure_ascii=False)))
    S, E = db.table("sessions"), db.table("events")
    appends = [timed(E.insert, {**events[-1], "seq": 10_000 + i})[0] for i in range(10)]
    opens = [timed(S.insert, {**sessions[-1], "id": f"bench-{i}"})[0] for i in range(5)]
    closes = [timed(S.update, {"outcome": "待跟进"}, Query().id == f"bench-{i}")[0] for i in range(5)]
    q = Query()
    mid = sessions[len(sessions) // 2]
    filters = {
        "date": lambda: S.search(q.started >= mid["started"][:10]),
        "staff": lambda: S.search(q.staff_id == mid["staff_id"]),
        "outcome": lambda: S.search(q.outcome == "待跟进"),
        "topic": lambda: S.search(q.topics.any(["rate_low"])),
    }
    filter_ms = {k: round(timed(f)[0], 1) for k, f in filters.items()}
    search_ms, hits = timed(lambda: len(E.search(q.text.test(lambda t: QUERY in t))))
    scale = total / len(events)
    return {
        "filled_events": len(events), "scale": round(scale, 2), "file_mb": round(path.stat().st_size / 2**20, 1),
        "open_ms": round(open_ms * scale, 1), "append_p50_ms": round(pct(appends, 50) * scale, 1),
        "append_p99_ms": round(pct(appends, 99) * scale, 1), "session_open_p99_ms": round(pct(opens, 99) * scale, 1),
        "session_close_p99_ms": round(pct(closes, 99) * scale, 1),
        "filter_ms": {k: round(v * scale, 1) for k, v in filter_ms.items()},
        "search_ms": round(search_ms * scale, 1), "search_hits_in_filled": hits,
        "peak_mb": round(peak_mb() * (scale if scale > 1 else 1), 1), "measured_peak_mb": round(peak_mb(), 1),
    }


def _first_events(sessions_journal, events_journal, cap: int) -> tuple[list[dict], list[dict]]:
    events: list[dict] = []
    for month in events_journal.months():
        events.extend(events_journal.read(month)[0])
        if len(events) >= cap:
            break
    events = events[:cap]
    ids = {e["session_id"] for e in events}
    sessions = {s["id"]: s for s in sessions_journal.iter_all() if s["id"] in ids}
    return list(sessions.values()), events


# ------------------------------------------------------------------ driver


def child(kind: str, home: Path, *extra: str) -> dict:
    out = subprocess.run([sys.executable, __file__, f"--measure-{kind}", str(home), *extra],
                         capture_output=True, text=True, cwd=REPO, check=True)
    return json.loads(out.stdout)


def report(n: int, made: dict, ours: dict, base: dict) -> str:
    approx = "≈" if base["scale"] > 1 else ""
    rows = [
        ("事件追加 p50 (ms)", base["append_p50_ms"], ours["append_p50_ms"], None),
        ("事件追加 p99 (ms)", base["append_p99_ms"], ours["append_p99_ms"], TARGETS["append_p99_ms"]),
        ("会话开始 p99 (ms)", base["session_open_p99_ms"], ours["session_open_p99_ms"], None),
        ("会话结束 p99 (ms)", base["session_close_p99_ms"], ours["session_close_p99_ms"], None),
        *[(f"筛选会话：{k} (ms)", base["filter_ms"].get(k, "—"), v, TARGETS["filter_ms"]) for k, v in ours["filter_ms"].items()],
        (f"全文搜索「{QUERY}」 (ms)", base["search_ms"], ours["search_ms"], TARGETS["search_ms"]),
        ("打开历史 (ms)", base["open_ms"], ours["open_ms"], TARGETS["open_ms"]),
        ("峰值内存 (MB)", base["peak_mb"], ours["peak_mb"], TARGETS["peak_mb"]),
    ]
    lines = [f"历史记录基准：{n} 条事件，{made['sessions']} 个会话，日志 {made['journal_mb']} MB（生成用时 {made['build_s']} 秒）",
             f"TinyDB 基线：实际填到 {base['filled_events']} 条（{base['file_mb']} MB），×{base['scale']} 线性外推到 {n} 条，标 ≈",
             "", f"{'指标':<26}{'TinyDB 基线':>16}{'本实现':>12}{'目标':>10}"]
    for name, b, o, target in rows:
        ok = "" if target is None else ("  ✓" if isinstance(o, (int, float)) and o < target else "  ✗")
        lines.append(f"{name:<26}{approx + str(b):>16}{o:>12}{('< ' + str(target)) if target else '':>10}{ok}")
    lines += ["", f"转录打开 p99：该月第一次 {ours['transcript_first_in_month_p99_ms']} ms（按会话建该月索引），之后 "
              f"{ours['transcript_p99_ms']} ms；搜索命中 {ours['search_hits']} 条，进度回调 {ours['progress_calls']} 次；"
              f"进程里第一次搜索（含加载繁简转换表）{ours['first_search_ms']} ms。"]
    lines.append(f"同一磁盘上单纯 write+fsync：p50 {ours['fsync_p50_ms']} ms、p99 {ours['fsync_p99_ms']} ms"
                 f"（持久追加的下限；测量时负载 {ours['load_average']}）。")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--baseline-cap", type=int, default=50_000, help="fill plain TinyDB to at most this many events")
    parser.add_argument("--keep", metavar="DIR", help="build into DIR and keep it (reused when it already has data)")
    parser.add_argument("--measure-ours", metavar="HOME", help=argparse.SUPPRESS)
    parser.add_argument("--measure-baseline", metavar="HOME", help=argparse.SUPPRESS)
    parser.add_argument("--total", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_ours:
        print(json.dumps(measure_ours(Path(args.measure_ours))))
        return 0
    if args.measure_baseline:
        print(json.dumps(measure_baseline(Path(args.measure_baseline), args.baseline_cap, args.total)))
        return 0
    home = Path(args.keep or tempfile.mkdtemp(prefix="coach-bench-"))
    made = json.loads((home / "bench.json").read_text()) if (home / "bench.json").exists() else None
    if made is None or made.get("requested") != args.events:
        made = {**build(home, args.events), "requested": args.events}
        (home / "bench.json").write_text(json.dumps(made))
    base = child("baseline", home, "--baseline-cap", str(args.baseline_cap), "--total", str(made["events"]))
    ours = child("ours", home)
    if args.json:
        print(json.dumps({"events": made["events"], "build": made, "baseline": base, "ours": ours, "targets": TARGETS},
                         ensure_ascii=False, indent=2))
    else:
        print(report(made["events"], made, ours, base))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
