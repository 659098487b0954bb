"""How long 演练 keeps a trainee waiting, measured through the real app (headless Pilot):

- open: app start → the scenario picker is on screen (services loaded in the worker);
- start: a persona picked → the customer's first line is drawn;
- reply N: Enter → my reply scored, the customer's answer and the feedback panel drawn, the lines on disk.

Usage: .venv/bin/python scripts/bench_rehearse.py [--runs 3]   (uses a temporary COACH_HOME)
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCENARIO, PERSONA = "scenario-adopt-call", "demolition-uncle"


async def one_run() -> dict[str, float]:
    from ruamel.yaml import YAML

    from assistant.ui.app import CoachApp
    from assistant.ui.screens.rehearse_picker import Choice, ScenarioPicker
    from assistant.ui.services import remember_staff
    from assistant.ui.widgets.chat_input import ChatInput

    walk = YAML(typ="safe").load(Path("tests/data/walkthroughs/scenario-adopt-call.yaml").read_text(encoding="utf-8"))
    remember_staff({"name": "小王", "role": "理财经理"})
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    app = CoachApp(mode="rehearse")
    async with app.run_test(size=(100, 30)) as pilot:
        while not isinstance(app.screen, ScenarioPicker):
            await pilot.pause(0.01)
        times["open"] = time.perf_counter() - t0
        await app.workers.wait_for_complete()  # the warm-up a trainee would not notice while picking
        await pilot.press("escape")
        screen = app.screen
        t = time.perf_counter()
        screen.start(Choice(SCENARIO, PERSONA, walk["seed"]))
        await pilot.pause()
        times["start"] = time.perf_counter() - t
        for i, line in enumerate(walk["good"], 1):
            if screen.run.finished:
                break
            screen.query_one(ChatInput).value = line
            t = time.perf_counter()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            times[f"reply {i}"] = time.perf_counter() - t
        await pilot.press("escape")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[float]] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as home:
            os.environ["COACH_HOME"] = home
            for key, value in asyncio.run(one_run()).items():
                results.setdefault(key, []).append(value * 1000)
    print(f"rehearse screen, {args.runs} runs (ms: median / max)")
    for key, values in results.items():
        print(f"  {key:<9} {statistics.median(values):7.1f} / {max(values):7.1f}")


if __name__ == "__main__":
    main()
