"""An open session's step reached so far (its record gets furthest_step only when it ends):
review.numbers.so_far, the one 复盘's list, transcript and dashboard use."""

from __future__ import annotations

from assistant.core.live.stored import furthest_of
from assistant.core.playbooks.models import steps_of
from assistant.core.review.numbers import so_far


class Events:
    def __init__(self, steps: list[str | None]) -> None:
        self.steps = steps

    def events(self, session_id: str) -> list[dict]:
        return [{"session_id": session_id, "step": s} for s in self.steps]


def test_furthest_of_orders_by_the_eight_steps_and_ignores_unknown_codes():
    assert furthest_of(["handle_objection", "probe", "bogus", None]) == "handle_objection"
    assert furthest_of([None, "bogus"]) is None


def test_an_open_live_session_gets_the_furthest_step_of_its_events():
    record = {"id": "s1", "mode": "live", "ended": None, "furthest_step": None}
    reached = so_far(Events(["care", "recommend", "probe"]), record)
    assert reached["furthest_step"] == "recommend" and reached["steps"] == ["care", "probe", "recommend"]
    assert record["furthest_step"] is None  # the stored record is not changed


def test_ended_and_eventless_sessions_are_left_as_they_are_an_open_rehearsal_is_not():
    events = Events(["close"])
    ended = {"id": "s1", "mode": "live", "ended": "2026-12-01T10:00", "furthest_step": "probe"}
    assert so_far(events, ended) is ended
    empty = {"id": "s3", "mode": "live", "ended": None, "furthest_step": None}
    assert so_far(Events([]), empty) is empty
    rehearsal = {"id": "s2", "mode": "rehearse", "ended": None, "furthest_step": None}
    assert so_far(events, rehearsal)["furthest_step"] == "close"  # open rehearsals count as far as they got


def test_steps_of_keeps_each_step_once_in_the_eight_steps_order():
    assert steps_of(["close", "care", "bogus", None, "care"]) == ["care", "close"]
