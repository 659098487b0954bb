"""Whether a line typed into Live's 客户说 box is the staff member's own question to the coach.

Staff type their own questions where the customer's words go (老客户多久联系一次合适？,
代发单位的员工怎么约出来). The cards are the same either way; what differs is the record: the
customer never said it, so it is not logged as the customer's line, does not name the session's
topic and does not move its step. The reading is conservative — a line the customer could have
said stays the customer's. A staff question

- asks something outside any quoted words (a report of what someone said is no question);
- is a question about a customer (`frames.situation`: 客户说…怎么回, 客户不加我微信怎么办) said
  as staff say it — the customer quoted or described (客户嫌…), or the line talks about customers
  (`voice` marketer); or else
- does not speak as I / you (我 / 你 / 您 / 贵行: a customer's own concern), and its best card is a
  staff-side card (any kind but an objection: the matcher's own split, see `Matcher._lean`), with
  the line talking about customers or the work, or, when it has no voice either way, a sure card.
"""

from __future__ import annotations

import re

from assistant.core.language.frames import situation
from assistant.core.language.voice import voice

#: Words a question is asked with (Mandarin and the colloquial forms staff type).
_ASKS = re.compile(r"怎么|怎样|如何|咋|啥|什么|哪|多久|多少|有没有|能不能|可不可以|要不要|是否|吗|[?？]")
#: Quoted words: what someone said, not what the line asks.
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|『[^』]*』|\"[^\"]*\"|‘[^’]*’")
#: A line speaking as I or to you (the staff member, the bank) is a customer's.
_PERSONAL = re.compile(r"[我你您咱俺]|贵行")


def asked_by_staff(text: str, staff_card: bool, sure: bool) -> bool:
    """True when `text` reads as the staff member's own question. `staff_card`: the best card is a
    staff-side card; `sure`: the matcher is sure of it."""
    said = voice(text)
    bare = _QUOTED.sub("", text)
    if said == "customer" or not _ASKS.search(bare):
        return False
    found = situation(text)
    if found is not None and (found.voiced or said == "marketer"):
        return True
    if _PERSONAL.search(bare) or not staff_card:
        return False
    return said == "marketer" or sure

#: Said above the cards of a line read as the staff member's own question.
ASKED_NOTE = "这是您自己的问题，按营销问题给卡片（不记为客户说的话）。"
