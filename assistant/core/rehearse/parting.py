"""Staff ending the call: is the reply a goodbye (「那您先忙」, 「我先挂了」, 「改天再打给您」), and the
customer's goodbye back, in words that fit the persona and the channel.

A goodbye is read clause by clause with the language layer's phrasing rules (clauses, questions,
negation), not matched as whole sentences: 「我先挂了」 and 「那您先忙，我明天上午十点再打给您」 take
leave; 「我先给您说一下」, 「您先别挂」 and 「您要是忙，我改天再打」 (an offer) do not.
"""

from __future__ import annotations

import re

from assistant.core.language.phrasing import is_question, negation, split_clauses
from assistant.core.playbooks.models import CustomerLine

#: Ways of taking leave inside one clause (the clause must not negate or ask it).
LEAVE = re.compile(
    r"先挂|挂了|挂啦|挂电话了|(?:先|就)?不打扰(?:您|你)?(?:了|啦)|(?:先|就)不打扰|不耽误(?:您|你)(?:时间)?(?:了|啦)"
    r"|(?:您|你)先忙|先忙(?:着|吧|您的|你的)|(?:您|你)忙(?:您|你)的|再见|拜拜|回见|回头见|明天见|改天见"
    r"|(?:先|就)这样(?=[吧了啊哈呀]*$)|(?:回头|改天|晚点|晚些|稍后|下次|有空|明天|后天|下周|周[一二三四五六日末]|[上下]午|晚上|之后|以后"
    r"|下班|下了班|忙完|方便的时候|过两天|过几天|月底|月初|到时候)"
    r"[^，。！？]{0,8}再(?:联系|聊|打|约|说|跟(?:您|你)|给(?:您|你)|找(?:您|你)|来|过来|过去|上门|拜访)"
)
#: A negator right before the words: 「别挂了」, 「先不挂」 (phrasing.negation reads 不, not 别).
NEGATED = re.compile(r"(?:不|别|没|甭|不要|不用)(?:先|再|急着)?$")
#: 「您要是忙，我改天再打」 offers to end; it does not end the call yet.
CONDITION = re.compile(r"如果|要是|万一|假如|的话|不然")
#: Clauses after the goodbye that still end a call (a tag question, thanks, the name, 再见): short.
TAIL_CHARS = 8
_BREAKS = "，,。！!？?；;\n"


def takes_leave(text: str) -> str | None:
    """The clause of `text` that ends the call (a quote), or None when the reply is no goodbye."""
    parts = split_clauses(text, _BREAKS, keep_question=True, strip=True)
    last = None
    for i, clause in enumerate(parts):
        m = LEAVE.search(clause)
        if m and not is_question(clause) and not CONDITION.search(clause) \
                and negation(clause, m.start(), m.end(), (m.group(0),)) is None and not NEGATED.search(clause[:m.start()]):
            last = (i, clause.strip("，,。！!？?；; "))
        elif last is not None and len(clause.strip("，,。！!？?；; ")) > TAIL_CHARS:
            last = None  # more was said after it: the call goes on
    if last is None or (last[0] > 0 and CONDITION.search(parts[last[0] - 1])):
        return None
    return last[1]


def _line(text: str, *temperaments: str, channel: str = "any", mood: str = "ask") -> CustomerLine:
    return CustomerLine(text=text, temperaments=list(temperaments), channel=channel, mood=mood)


#: The customer's goodbye (most specific fitting line wins; never the same line twice).
GOODBYES = (
    _line("行，那先这样，我这边还有事。", "busy"),
    _line("嗯，好，挂了啊。", "busy", channel="phone"),
    _line("好，回头联系。", "busy"),
    _line("嗯，那就这样吧。", "sceptical"),
    _line("行，有需要我再找你。", "sceptical"),
    _line("好好，那你忙，有事再跟我说啊。", "cautious_elderly"),
    _line("行，那我先挂了啊，有事你再打给我。", "cautious_elderly", channel="phone"),
    _line("好嘞，你也忙吧，有事咱们再联系！", "warm", "chatty"),
    _line("行呀，那先这样，谢谢你啊。", "warm", "chatty"),
    _line("行，有好利率再告诉我。", "price_driven"),
    _line("好的，回头聊。", channel="wechat"),
    _line("好，那先这样。"),
    # A customer already put off (warmth −2 or less) says it short.
    _line("嗯。", mood="annoyed"),
    _line("行吧，就这样。", mood="annoyed"),
)


def fitting_goodbyes(channel: str, temperament: str, mood: str = "ask") -> list[CustomerLine]:
    """Goodbyes of `mood` for this channel (a phone line only on the phone, not face to face at the
    branch), the temperament's own when it has some (a busy VP does not say 「谢谢你啊」)."""
    here = [x for x in GOODBYES if x.channel in ("any", channel) and x.mood == mood]
    return [x for x in here if temperament in x.temperaments] or [x for x in here if not x.temperaments]
