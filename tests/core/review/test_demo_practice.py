"""The demo's practice sessions read as real ones: a drill is one answer to one card's customer line
(as the drill screen logs it), never a whole scenario that 「到达 成交」; a rehearsal played to its
scenario's end has that end's outcome."""

from __future__ import annotations

import pytest

from assistant.core.history import History
from assistant.core.history.demo import build_demo
from assistant.core.playbooks.loader import load_library


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The default demo (seeded: it holds drills), built once for this module in its own home."""
    home = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:  # runs before the per-test home (tests/conftest.py)
        patch.setenv("COACH_HOME", str(home))
        history, library = History(), load_library()
        build_demo(history, library)
        yield history, library


def test_a_demo_drill_is_one_answer_to_a_cards_line(demo):
    history, library = demo
    drills = [s for s in history.iter_sessions() if s.get("mode") == "drill"]
    assert drills
    for s in drills:
        card = library.card(s["card_id"]).card
        events = history.events(s["id"])
        assert [e["speaker"] for e in events] == ["customer", "staff"]
        assert events[0]["text"] in card.triggers and events[1]["score"] == s["score"]
        assert s["furthest_step"] == "handle_objection" and s.get("scenario_id") is None
        assert s["passed"] == (s["score"] >= 80) and s.get("outcome") is None


def test_a_demo_rehearsal_played_to_the_end_has_its_scenarios_outcome(demo):
    history, library = demo
    runs = [s for s in history.iter_sessions() if s.get("mode") == "rehearse"]
    ends = {sid: next(n.end for n in sc.nodes if n.end) for sid, sc in library.scenarios.items()}
    finished = [s for s in runs if history.events(s["id"])[-2]["type"] == "score"
                and s["outcome"] == ends[s["scenario_id"]]]
    assert finished
    assert all(s["outcome"] in ("待跟进", "未成交") or s["outcome"] == ends[s["scenario_id"]] for s in runs)
