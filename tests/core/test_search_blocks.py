"""Full-text search reads a journal in blocks (a merged team's month is 100+ MB): hits that straddle
a block boundary are found once, and a torn last line is never one."""

from __future__ import annotations

from datetime import datetime

from assistant.core.history import History
from assistant.core.history import search as search_module
from assistant.paths import Paths


def test_blocks_find_every_hit_once_whatever_the_block_size(tmp_path, monkeypatch):
    h = History(Paths(tmp_path / "h"), clock=lambda: datetime(2026, 12, 1, 10))
    sid = h.start_session()
    for i in range(200):
        h.log_event(sid, "customer", f"第{i}句：利息太低了" if i % 7 == 0 else f"第{i}句：我再想想")
    wanted = sorted(i for i in range(200) if i % 7 == 0)
    with open(h.events_journal.path("2026-12"), "ab") as f:
        f.write('{"session_id":"x","seq":999,"text":"利息太低'.encode())  # torn: a crash mid-append
    for block in (64, 1000, 1 << 20):
        monkeypatch.setattr(search_module, "BLOCK", block)
        hits = sorted(e["seq"] for e in h.search_events("利息太低"))
        assert hits == wanted, block
