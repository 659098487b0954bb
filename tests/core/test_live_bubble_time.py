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
