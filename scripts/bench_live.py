"""Live-mode speed, driven by Pilot: app start → first screen, and Enter → suggestions on screen.

    .venv/bin/python scripts/bench_live.py [--n 50] [--fake]

Uses the real services (shipped library, matcher, renderer, a throwaway history in a temp
COACH_HOME, or the one COACH_HOME names, e.g. a 1M-event history built by bench_history.py --keep)
unless --fake. Prints p50/p99 in milliseconds; the target for Enter → suggestions is a
process CPU p99 under 50 ms. Utterances are the library's own triggers, lightly varied, plus a few
that match nothing.

The window runs from the Enter key reaching the app to the end of the last paint that Enter
causes (every paint of the Live screen is stamped; after LiveScreen.Shown the bench waits a quiet
0.1 s for any later one), so a bubble or scroll drawn one frame late is counted, not missed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def utterances(library, n: int) -> list[str]:
    triggers = [t for ref in library.matchable_cards() for t in ref.card.triggers]
    extra = ["今天天气不错", "你们几点下班", "我就随便看看"]
    varied = [("哎，" + t + "吧") if i % 3 == 0 else t for i, t in enumerate(triggers)]
    pool = (varied + extra) or extra
    return [pool[(i * 7) % len(pool)] for i in range(n)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def measure(build, n: int) -> dict:
    """Enter sent as the terminal driver sends it; the clock stops at the last paint the Enter
    causes (the new bubble and cards on screen), found by waiting until the screen is quiet.
    No Pilot call runs inside the timed window (Pilot's pause forces extra paints and walks
    every widget)."""
    from textual import events

    from assistant.ui.app import CoachApp
    from assistant.ui.screens.live import LiveScreen
    from assistant.ui.widgets.chat_input import ChatInput

    services = build()
    app = CoachApp(mode="live", build=lambda: services)
    stamps: dict[str, float] = {}
    shown = asyncio.Event()

    def hook(message) -> None:
        if isinstance(message, events.Key) and message.key == "enter":
            stamps.setdefault("enter", time.perf_counter())
            stamps.setdefault("enter_cpu", time.process_time())
        elif isinstance(message, LiveScreen.Shown):
            stamps["shown"] = time.perf_counter()
            shown.set()

    t0 = time.perf_counter()
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        await pilot.pause()
        first_screen = time.perf_counter() - t0
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        painted = _count_paints(screen, stamps)
        box = screen.query_one(ChatInput)
        box.cursor_blink = False  # its timer would repaint the box inside the window
        timings, cpu, late = [], [], 0
        for text in utterances(services.library, n):
            box.value = text
            box.cursor_position = len(text)
            await pilot.pause()
            stamps.clear()
            shown.clear()
            app._driver.send_message(events.Key("enter", "\r"))
            await asyncio.wait_for(shown.wait(), 30)  # the app failed if it never comes (run_test re-raises)
            paints = painted[0]
            await asyncio.sleep(QUIET)  # anything this Enter still draws lands in here
            late += painted[0] - paints
            end, end_cpu = stamps["paint"], stamps["paint_cpu"]
            timings.append((end - stamps["enter"]) * 1000)
            cpu.append((end_cpu - stamps["enter_cpu"]) * 1000)
    return {"first_screen_ms": first_screen * 1000, "timings": timings, "cpu": cpu, "late": late}


#: Quiet time after Shown in which any further paint still counts to the Enter.
QUIET = 0.1


def _count_paints(screen, stamps: dict) -> list[int]:
    """Stamp the end of every paint of `screen` (its compositor refresh); returns a live counter."""
    count = [0]
    paint = screen._compositor_refresh

    def stamped() -> None:
        paint()
        stamps["paint"], stamps["paint_cpu"] = time.perf_counter(), time.process_time()
        count[0] += 1

    screen._compositor_refresh = stamped
    return count


def real_services():
    from assistant.ui.services import build_services

    services = build_services()
    if services.history.current_staff() is None:  # skip the first-start identity dialog
        services.history.set_current_staff(services.history.add_staff(name="测速", role="理财经理")["id"])
    return services


def fake_services():
    sys.path.insert(0, str(ROOT / "tests"))
    from livefakes import FakeHistory, fake_services as make

    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="测", role="理财经理")["id"])
    return make(history)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="how many utterances")
    parser.add_argument("--fake", action="store_true", help="use the test fakes instead of the real services")
    args = parser.parse_args()
    os.environ.setdefault("COACH_HOME", tempfile.mkdtemp(prefix="coach-bench-"))
    build = fake_services if args.fake else real_services
    t = time.perf_counter()
    build()  # warm: the first load fills the playbook cache, as on a user's second start
    print(f"services build (cold, incl. imports): {(time.perf_counter() - t) * 1000:.0f} ms")
    result = asyncio.run(measure(build, args.n))
    ms, cpu = result["timings"], result["cpu"]
    print(f"app start → first screen: {result['first_screen_ms']:.0f} ms")
    print(f"Enter → suggestions on screen over {len(ms)} utterances (wall-clock | process CPU, target CPU p99 < 50 ms):")
    for label, p in (("p50", 50), ("p99", 99), ("max", 100)):
        print(f"  {label}  {percentile(ms, p):6.1f} ms | {percentile(cpu, p):6.1f} ms CPU")
    first = cpu[:10]
    print(f"  first 10 Enters (a user's first lines): CPU mean {statistics.mean(first):.1f}, max {max(first):.1f} ms"
          f" | the rest: mean {statistics.mean(cpu[10:] or first):.1f} ms")
    slowest = sorted(range(len(cpu)), key=lambda i: -cpu[i])[:5]
    print("  slowest 5 by CPU (Enter number from 0: CPU ms): "
          + ", ".join(f"#{i}: {cpu[i]:.1f}" for i in slowest))
    print(f"  paints after Shown (should be 0: Shown is posted after the last one): {result['late']}")
    print(f"  load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall-clock grows with load; CPU much less)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
