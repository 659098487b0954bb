"""A pasted message's stamp as people read it (issue 16 QA)."""

from datetime import datetime

from assistant.core.live.chat import bubble_time

NOW = datetime(2026, 12, 6, 10, 0)


def test_today_yesterday_and_older_days():
    assert bubble_time("2026/12/6 09:02:11", NOW) == "09:02"
    assert bubble_time("2026-12-05 9:02", NOW) == "昨天 09:02"
    assert bubble_time("2026.11.30 19:02:11", NOW) == "11月30日 19:02"
    assert bubble_time("12/4 08:00", NOW) == "12月4日 08:00"
    assert bubble_time("2025/12/6 09:02", NOW) == "2025年12月6日 09:02"


def test_times_without_a_full_date_lose_only_the_seconds():
    assert bubble_time("10:32:15", NOW) == "10:32"
    assert bubble_time("昨天 10:32", NOW) == "昨天 10:32"
    assert bubble_time(None, NOW) == ""


def test_a_pasted_chat_logs_when_each_line_was_said_and_a_resume_shows_that_not_the_log_time():
    from livefakes import FakeHistory, FakeMatcher, FakeRenderer, clock, fake_check, fake_covered, make_library

    from assistant.core.live.moments import said_label
    from assistant.core.live.session import LiveSession

    lib = make_library()
    history = FakeHistory()
    session = LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), history, staff={"id": "u1", "name": "小李"},
                          customer={"id": "c1", "name": "王姐"}, clock=clock(NOW), check=fake_check,
                          covered=fake_covered)
    messages = session.read_chat("王姐 昨天 18:40\n收益太低了\n我 2026/12/6 09:02:11\n您好王姐")
    session.record_chat(session.suggest_chat(messages))
    logged = [e for e in history.events if e["type"] == "line"]
    assert [e.get("said") for e in logged] == ["2026-12-05T18:40:00", "2026-12-06T09:02:11"]
    later = datetime(2026, 12, 6, 15, 30)
    assert [said_label(e, later) for e in logged] == ["昨天 18:40", "09:02"]
    assert all(e["time"].startswith("2026-12-06T10:00") for e in logged)  # logged at the paste


def test_a_line_typed_live_shows_when_it_was_logged_with_its_day_when_not_today():
    from assistant.core.live.moments import said_label

    assert said_label({"time": "2026-12-06T09:15:00"}, NOW) == "09:15"
    assert said_label({"time": "2026-12-04T09:15:00"}, NOW) == "12月4日 09:15"
    assert said_label({"time": "2026-12-04T09:15:00", "said": "2026-12-05T20:01:00"}, NOW) == "昨天 20:01"
    assert said_label({}, NOW) == ""
