"""An open live session's step reached so far (its record gets furthest_step only when it ends)."""

from __future__ import annotations

from assistant.core.live.stored import furthest_of, reached_so_far


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
    assert reached_so_far(Events(["care", "recommend", "probe"]), record)["furthest_step"] == "recommend"
    assert record["furthest_step"] is None  # the stored record is not changed


def test_ended_rehearsal_and_eventless_sessions_are_left_as_they_are():
    events = Events(["close"])
    ended = {"id": "s1", "mode": "live", "ended": "2026-12-01T10:00", "furthest_step": "probe"}
    rehearsal = {"id": "s2", "mode": "rehearse", "ended": None, "furthest_step": None}
    assert reached_so_far(events, ended) is ended and reached_so_far(events, rehearsal) is rehearsal
    empty = {"id": "s3", "mode": "live", "ended": None, "furthest_step": None}
    assert reached_so_far(Events([]), empty) is empty
