"""Property: any interleaving of imports (repeats included) of overlapping exports — edits made on
three PCs, some of them to the same records, and lines appended to one session on several PCs
before they saw each other's (the same seq twice) — leaves the same history, transcripts in the
same order."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.history.merge import import_files
from team_helpers import branch, export, history, picture


def at(h, hour: int) -> None:
    h.clock = lambda: datetime(2026, 12, 1, hour)


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> list[Path]:
    """Five exports from three PCs that saw each other's records at different moments."""
    root = tmp_path_factory.mktemp("pcs")
    a, b, c = history(root / "a"), history(root / "b"), history(root / "c")
    made = branch(a, "李娜")
    branch(b, "王强", sessions=1)
    fa1 = export(a, root / "fa1.jsonl")
    import_files(b, fa1)
    at(b, 11)
    b.log_event(made["sessions"][0], "system", "B 补一句")  # seq 2 on B ...
    b.update_customer(made["customer"]["id"], notes="B 改的")
    b.mark_followup(a.list_followups()[0]["id"], "done", note="B 打过电话")
    fb1 = export(b, root / "fb1.jsonl")
    at(a, 12)
    a.update_customer(made["customer"]["id"], notes="A 改的", tags=["广场舞"])
    a.update_session(made["sessions"][0], outcome="待跟进")  # a newer version of a session fa1 holds
    a.log_event(made["sessions"][0], "staff", "A 接着说")  # ... and seq 2 on A, neither seen by the other
    branch(a, "李娜", sessions=1)
    fa2 = export(a, root / "fa2.jsonl")
    import_files(c, fa1), import_files(c, fb1)
    at(c, 13)
    c.update_customer(made["customer"]["id"], segment="payroll")
    c.add_flag(made["sessions"][1], 0, None, "C 的批注")
    c.log_event(made["sessions"][0], "system", "C 结束")  # seq 3 on C ...
    fc1 = export(c, root / "fc1.jsonl")
    import_files(b, fa2)
    at(b, 14)
    b.mark_flags_seen(made["sessions"][0], "u-someone")
    b.log_event(made["sessions"][0], "staff", "B 又补一句")  # ... and seq 3 on B (it saw A's seq 2)
    fb2 = export(b, root / "fb2.jsonl")
    return [fa1, fb1, fa2, fc1, fb2]


@pytest.fixture(scope="module")
def expected(exports) -> dict:
    with tempfile.TemporaryDirectory() as d:
        h = history(Path(d))
        for path in exports:
            import_files(h, path)
        return picture(h)


@settings(max_examples=30, deadline=None)
@given(order=st.lists(st.integers(0, 4), min_size=5, max_size=9).filter(lambda xs: set(xs) == set(range(5))))
def test_any_order_of_imports_gives_the_same_history(exports, expected, order):
    with tempfile.TemporaryDirectory() as d:
        h = history(Path(d))
        for i in order:
            import_files(h, exports[i])
        assert picture(h) == expected


@settings(max_examples=15, deadline=None)
@given(order=st.permutations(range(5)))
def test_a_folder_of_exports_in_any_order_equals_one_by_one(exports, expected, order, tmp_path_factory):
    folder = tmp_path_factory.mktemp("folder")
    for rank, i in enumerate(order):
        (folder / f"{rank}.jsonl").write_bytes(exports[i].read_bytes())
    with tempfile.TemporaryDirectory() as d:
        h = history(Path(d))
        import_files(h, folder)
        assert picture(h) == expected


def test_the_scenario_has_a_real_conflict(expected):
    """Guard: the exports above do put one customer edited on three PCs into conflict."""
    customers = [c for c in expected["tables"]["customers"] if b'"versions"' in c]
    assert len(customers) == 1 and b"A \xe6\x94\xb9" in customers[0]


def test_the_scenario_has_lines_from_three_pcs_sharing_seqs(expected):
    """Guard: one session holds two lines with seq 2 and two with seq 3, from three PCs, all kept."""
    [shared] = [t for t in expected["transcripts"].values() if len(t) > 2]
    lines = [orjson.loads(e) for e in shared]
    assert [e["seq"] for e in lines] == [0, 1, 2, 2, 3, 3]
    assert {e["text"] for e in lines} >= {"B 补一句", "A 接着说", "C 结束", "B 又补一句"}
