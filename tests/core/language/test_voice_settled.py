"""Who is talking (language.voice), and a customer's settled line shows no staff-side guess."""

from __future__ import annotations

import pytest

from assistant.core.language.matcher import Matcher
from assistant.core.language.voice import settled, voice

CARDS = [("think", "objection", "think_it_over", "再考虑", "我再考虑考虑"),
         ("think2", "objection", "think_it_over", "再考虑", "回去再想想"),
         ("rate", "objection", "rate_low", "利息", "利息太低了"),
         ("follow", "followup", "followup_timing", "多久跟进", "客户说考虑考虑我隔几天再问"),
         ("group", "group_fix", "group_inactive", "群不活跃", "群里没人说话怎么救活")]


@pytest.mark.parametrize("line, who", [
    ("客户说利率太低怎么回", "marketer"), ("怎么把快死了的群组救活？说说我的做法", "marketer"),
    ("厅堂营销我该怎么配合", "marketer"), ("我是你们的老客户", "customer"), ("我再考虑考虑", "customer"),
    ("利率多少", None),
])
def test_voice(line: str, who: str | None) -> None:
    assert voice(line) == who


def test_settled_by_a_customer_card_on_top_of_a_line_not_a_marketers() -> None:
    assert settled("customer", "objection") and settled(None, "objection")
    assert not settled("marketer", "objection") and not settled("customer", "followup")


def test_a_settled_customer_line_shows_no_staff_side_guess() -> None:
    m = Matcher(CARDS, use_cache=False)
    # The staff card shares 考虑 with the customer's line; beside a sure answer it is noise.
    assert m.search("我再考虑考虑", top=3)[0].tier == "sure"
    assert "follow" not in [r.card_id for r in m.search("我再考虑考虑", top=3)]
    # A marketer asking finds the staff card.
    assert "follow" in [r.card_id for r in m.search("客户说考虑考虑，我隔几天再问合适吗", top=3)]
