"""How long ending a session takes on a PC with many customers and a team folder (issue 15).

    .venv/bin/python scripts/bench_end_session.py [--customers 100000] [--sync]

Prints, over 5 sessions of 20 lines: end_session's own time (what staff wait for), the time until
its background publish is done, and how long the next customer's first line takes when typed
right after the end (the publish holds the history's lock only for its last, short part).
`--sync` publishes inside end_session instead (the old behaviour), for comparison.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from assistant.core.history import History
from assistant.core.history.identity import new_id
from assistant.core.history.team import TeamFolder, attach, wait_published
from assistant.paths import Paths


def ms(values: list[float]) -> list[float]:
    return [round(v * 1000, 1) for v in values]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--sync", action="store_true", help="publish inside end_session (before)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp())
    team = root / "team"
    team.mkdir()
    h = History(Paths(root / "pc"))
    staff = h.add_staff("李娜", "理财经理")
    h.state.insert_many("customers", [{"id": new_id("c"), "name": f"客户{i}", "segment": "senior",
                                       "origin": h.origin, "notes": "x" * 200} for i in range(args.customers)])
    attach(h, team)
    wait_published(h)
    if args.sync:
        h.on_session_end[:] = [lambda _s: TeamFolder(h, team).publish()]
    ends, done, next_line = [], [], []
    for _ in range(5):
        sid = h.start_session(staff_id=staff["id"])
        for i in range(20):
            h.log_event(sid, "customer", f"利息太低了{i}")
        started = time.perf_counter()
        h.end_session(sid, outcome="成交")
        ends.append(time.perf_counter() - started)
        t = time.perf_counter()
        nxt = h.start_session(staff_id=staff["id"])
        h.log_event(nxt, "customer", "下一位")
        next_line.append(time.perf_counter() - t)
        wait_published(h)
        done.append(time.perf_counter() - started)
        h.end_session(nxt, outcome="成交")
        wait_published(h)
    print(f"customers {args.customers}, publish {'inside end_session' if args.sync else 'in the background'}")
    print("end_session ms:                    ", ms(ends))
    print("next customer's first line ms:     ", ms(next_line))
    print("end until its publish is done ms:  ", ms(done))


if __name__ == "__main__":
    main()
