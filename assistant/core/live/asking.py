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
  the line talking about customers or the work in words customers do not use of themselves
  (`_WORK`), or, when it has no voice either way, a sure card. A line `voice` reads as a marketer's
  only for words customers also say (社群, 商户, 老年人) stays the customer's.

Measured on the dev lines (typed as Live reads them, 2026-12-07): real customer lines read as staff
0 of 498, real no-topic lines 0 of 182, own-voice customer lines 1 of 2,880 (news narration), real
marketer lines 61 of 138 (most of the rest are statements and article prose, not questions).
"""

from __future__ import annotations

import re

from assistant.core.language.frames import situation
from assistant.core.language.voice import voice

#: Words a question is asked with (Mandarin and the colloquial forms staff type).
_ASKS = re.compile(r"怎么|怎样|如何|咋|啥|什么|哪|多久|多少|有没有|能不能|可不可以|要不要|是否|吗|[?？]")
#: Quoted words: what someone said, not what the line asks.
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|『[^』]*』|\"[^\"]*\"|‘[^’]*’")
#: Words of the work that customers do not say of themselves (社群, 商户, 网点, 老年人 they do:
#: 社群里发的那个活动怎么报名？ is a customer's).
_WORK = re.compile(r"客户(?!经理)|客群|获客|拓客|话术|邀约|转化|引流|外拓|建群|群发|粉丝|沙龙")
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
    if _WORK.search(bare):
        return True
    return said is None and sure

#: Said above the cards of a line read as the staff member's own question.
ASKED_NOTE = "这是您自己的问题，按营销问题给卡片（不记为客户说的话）。"
