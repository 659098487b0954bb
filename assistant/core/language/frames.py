"""The customer's situation inside a marketer's question.

Staff ask the coach about what a customer said or does: 「客户说利率太低怎么回」,
「客户嫌手续费高怎么办」, 「遇到亏了钱的客户怎么安抚」, 「客户非要保本的产品，我们该如何应对」.
Read whole, such a line is a marketer's (客户, 怎么办), so `voice` dims the customer-side card that
answers it, and the frame's words (客户, 应对, 网点) pull marketer cards in. `situation` returns
the described part (利率太低, 嫌手续费高, 亏了钱, 非要保本的产品) so the matcher can read it as
the customer would say it (see `Matcher.search`). Written from how staff phrase such questions,
not from corpus lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Who the situation is about.
_WHO = r"(?:老年|年轻|老|新|有的|有些|个别|部分|很多|不少|一些|这类|这种|那种|这个|那个|某|某个|某位|一位|一个)?(?:客户(?!经理)|客人|顾客|储户|大爷|大妈|阿姨|老人家?)(?:们)?"
#: Verbs that only report speech or thought: the situation is what follows (客户说【利率低】).
_REPORT = r"(?:总是|老是|一直|经常|总|老|都|还是|又|就|如果|要是|上来就|张口就)?(?:说|讲|表示|问|反映|提出|认为|觉得|称)(?:道|说)?"
#: How the question ends: 怎么办 / 怎么回 / 如何应对 / 该说什么 / 有什么办法 …
_ASK = (r"[，,、]?\s*(?:那|这时|这时候|此时)?(?:我们?|咱们?|客户经理|理财经理|员工|营销人员|大堂经理|柜员)?"
        r"(?:应该|应当|应|该|要|可以|能|需要)?"
        r"(?:怎么|如何|怎样|咋|该怎么|用什么|说什么|有什么|有没有|有啥|有哪些|哪些)")
#: Verbs of attitude: the customer's own stance, kept in the situation (嫌手续费高, 担心亏本).
#: (不愿意 / 不肯 / 拒绝 + an action is a state: 客户不愿意加微信 is the staff's engagement topic.)
_ATTITUDE = r"嫌|担心|怕|害怕|要求|非要|非得|坚持|不信|不相信|质疑|怀疑|抱怨|吐槽|埋怨|投诉|犹豫|纠结|不敢|只想|只要|想要|总想|对"
#: 客户(说|嫌 …)…<question frame>; a reporting verb is dropped, a verb of attitude kept.
_SAYS = re.compile(rf"^(?:如果|假如|要是|当|若|遇到|碰到|面对|对于|针对)?(?:有)?{_WHO}"
                   rf"(?:{_REPORT}[：:，,]?\s*|(?=(?:总是|老是|一直|经常|总|老|还是|又|就)?(?:{_ATTITUDE})))(?P<body>.+?){_ASK}")
#: 客户 + a state + question frame (客户亏了钱怎么安抚): the state may be the staff's own topic
#: too (客户不加微信, 老人不会用手机银行), so it is read as a lean (see `Situation.voiced`).
_STATE = re.compile(rf"^(?:如果|假如|要是|当|若|遇到|碰到|面对|对于|针对)?(?:有)?{_WHO}[，,]?\s*(?P<body>.+?){_ASK}")
#: 遇到…的客户 / 亏了钱的客户 + question frame: the situation is the attribute.
_ATTRIBUTE = re.compile(rf"^(?:如果|遇到|碰到|面对|对于|针对)?(?P<body>.+?)的(?:老|新)?(?:客户|客人|顾客|储户|老人)(?:们)?(?:[，,])?\s*(?:{_ASK}|应|该|要)")
#: The question first, then the customer it is about: 怎么说服犹豫不决的客户 / 如何安抚亏了钱的客户.
_ABOUT = re.compile(r"^(?:该|要|应该)?(?:怎么|如何|怎样|咋)(?:去|才能|来)?(?:说服|应对|安抚|对待|服务|维护|接待|搞定|打动|劝|引导|跟进|回应)"
                    r"(?:好)?(?:这些|这类|这种|那些)?(?P<body>(?!这样的|那样的).+?)的(?:老|新)?(?:客户|客人|顾客|储户|老人)(?:们)?[?？]?$")
_QUOTES = "“”「」『』\"'‘’"
#: Any other staff question about a customer (理财产品一亏损，客户就来投诉，怎么办？ / 遇到带着气来的
#:客户…该如何应对): what is left without the staff's frame words is the situation.
_HELP = re.compile(r"怎么办|咋办|(?:怎么|如何|怎样)(?:去|才能)?(?:处理|应对|回应|回复|回|回答|解释|安抚|说服|化解|沟通|引导|劝|打消|消除|挽回|挽留|维护|跟他说|跟她说)")
_FRAME_WORDS = re.compile(
    rf"{_WHO}|我们?行?|咱们?|你会|若你是|如果你是|假如你是|银行工作人员|工作人员|客户经理|理财经理|大堂经理|柜员|员工|网点"
    rf"|遇到|碰到|面对|这样的|这种|类似问题|经常会|应该|应当|该|{_HELP.pattern}|啊|呢|[?？!！]")
#: The situation left must still say something (not 这样的…该如何应对 → 的).
MIN_LEFT = 4
#: A body this short says nothing of its own (客户说的 / 客户问).
MIN_CHARS = 2


@dataclass(frozen=True)
class Situation:
    """What a marketer's question says the customer said or is in."""

    text: str
    #: True when the customer is quoted or said / felt it (客户说…, 客户嫌…): their own voice.
    #: False for a bare state (客户不加微信怎么办), which a staff-side card may answer better.
    voiced: bool


def situation(text: str) -> Situation | None:
    """The customer situation a marketer's question describes, or None when it is no such question."""
    line = text.strip()
    quoted = _quoted(line)
    if quoted and re.search(_WHO, line):
        return Situation(quoted, True)
    for pattern, voiced in ((_SAYS, True), (_STATE, False), (_ATTRIBUTE, False), (_ABOUT, False)):
        found = pattern.search(line)
        if found:
            body = found.group("body").strip(_QUOTES + "，, ")
            if len(body) >= MIN_CHARS and not re.fullmatch(_WHO, body):
                return Situation(body, voiced)
    if _HELP.search(line) and re.search(_WHO, line):
        left = _FRAME_WORDS.sub("", line).strip("，,。 ")
        if sum(ch.isalnum() for ch in left) >= MIN_LEFT:
            return Situation(left, False)
    return None


def _quoted(line: str) -> str | None:
    """What a marketer quotes the customer saying: 客户说「现在利率太低了」怎么回."""
    found = re.search(r"[“「『\"‘](?P<body>[^”」』\"’]{2,})[”」』\"’]", line)
    return found.group("body") if found else None
