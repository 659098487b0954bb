#!/usr/bin/env python3
"""How often Live reads a typed line as the staff member's own question (live.asking), by kind of line.

Every dev line of the real corpus (customer, marketer, none, staff) and every own-voice match-example
line (customers-*.yaml; the held-out files are not read) is typed into a Live session with the shipped
library and matcher, as the 客户说 box reads it (`LiveSession.typed`). A customer or none line read as
staff is a line taken from the customer; a marketer line read as staff is one the record now keeps right.
Dev only: the test half is not read.

Usage: .venv/bin/python scripts/eval_staff_questions.py [--show KIND]   (KIND: print that kind's lines read as staff)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import realcorpus  # noqa: E402  (tests/realcorpus.py: the corpus reader every script uses)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", help="print the lines of this group read as staff (e.g. own-customer)")
    args = parser.parse_args(argv)
    from assistant.core.live.session import LiveSession
    from assistant.ui.services import build_services

    services = build_services()
    session = LiveSession(services.library, services.matcher, services.renderer, services.history)
    lines = [("real-" + line.kind, line.text) for line in realcorpus.load_all("dev")]
    lines += [("own-" + line.kind, line.text) for line in realcorpus.load_own_voice("customers-*.yaml")]
    total, asked = Counter(), Counter()
    for group, text in lines:
        read = session.typed(text).asked
        total[group] += 1
        asked[group] += read
        if read and group == args.show:
            print("  ", text)
    for group in sorted(total):
        print(f"{group:14} {asked[group]:4} / {total[group]:4} = {100 * asked[group] / total[group]:5.1f} % read as staff")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
