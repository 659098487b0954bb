"""How a Chinese reply reads: does it end in a real question, is a key word negated or waved away.

Both are small rule tables, tuned on tests/data/rehearse_replies.yaml and the shipped card
replies: 「有什么好商量的」 names 商量 but refuses it, while 「不会影响您的本金」 and
「没问题，我帮您算一下」 negate something else; 「那就这么定了吧」 ends in 吧 but asks nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

# ------------------------------------------------------------------ questions

#: Sentences end at 。！； (not at ？: 「您看行吗？我帮您约。」 still hands the turn over).
_SENTENCE = re.compile(r"[^。！!；;\n]+[。！!；;\n]*")
_TRAILING = re.compile(r"[\W_]+$")
#: Sentence-final question particles (吧 and 嘛 are not: 那就这么定了吧).
_PARTICLE = re.compile(r"(?:[吗呢]|(?<![这那多要什怎])么)[啊呀哈]?$")
#: A-not-A (方不方便, 要不要, 有没有) and tags that ask for an answer (对吧, 行不).
_A_NOT_A = re.compile(r"([^不没])[不没]\1|(?:对|是)吧$|(?:行|好|成|对|可以)不$|[了过]没有?$")
#: 几 asks only in these (关几天门 does not).
_QUESTION_WORD = re.compile(
    r"什么|啥|怎么|怎样|咋|如何|哪|多少|多久|多长|多大|谁|为什么|为啥|是否|何时|请问"
    r"|几[点号岁]|[周第]几|星期几|礼拜几|几年期|几口人"
)
#: Uses of question words that ask nothing: 没什么, 没多少, 有什么需要随时找我, 多多少少, 谁都.
_NOT_ASKING = re.compile(
    r"没(?:什么|啥|多少|多久|多大)|(?:什么|啥)的|不怎么|多多少少|或多或少|哪怕|哪里哪里"
    r"|(?:什么|啥|哪|谁|怎么|几)\S{0,3}?[都也]|(?:不管|无论|不论)\S*"
    r"|有(?:什么|啥)\S*?(?:随时|尽管|直接|可以|都|就|找我|联系我|告诉我|跟我说)\S*"
    r"|(?<!不)(?:知道|明白|清楚)\S*|(?:教|学会?|告诉)(?:您|你|大家)?怎么"
)
#: A concession makes the A-not-A in it no question: 买不买都行.
_CONCESSION = re.compile(r"([^不没])[不没]\1\S{0,2}[都也](?:行|可以|没关系|无所谓)")


def is_question(sentence: str) -> bool:
    """True when `sentence` asks something: ？, 吗/呢/么, A-not-A, or a question word that asks."""
    text = _TRAILING.sub("", sentence.strip())
    if not text:
        return False
    if "?" in sentence or "？" in sentence:
        return True
    if _PARTICLE.search(text):
        return True
    if _A_NOT_A.search(text) and not _CONCESSION.search(text):
        return True
    return bool(_QUESTION_WORD.search(_NOT_ASKING.sub("", text)))


def last_sentence(text: str) -> str:
    """The last sentence of `text` up to 。！；, with any ？ inside it."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if _TRAILING.sub("", s.strip())]
    return sentences[-1] if sentences else ""


def last_clause(sentence: str) -> str:
    """The part of a sentence after its last comma: what it ends on."""
    body = _TRAILING.sub("", sentence.strip())
    return re.split(r"[，,、：:]", body)[-1] if body else ""


def ends_with_question(text: str) -> bool:
    """Whether a reply hands the turn back: its last sentence asks (？) or ends on a question."""
    sentence = last_sentence(text)
    if "?" in sentence or "？" in sentence:
        return True
    return is_question(last_clause(sentence))


# ------------------------------------------------------------------ negation

_CLAUSE_BREAK = re.compile(r"[，,。！!？?；;：:、\n…~～\s]")
#: Telling someone not to bother: 不用考虑, 别担心, 没必要解释.
_DISMISS = r"(?:不用|不必|无需|无须|不需要|没必要|用不着|犯不着|何必|甭|不要|(?<![特分区告级个类差识性派鉴辨离送道临久格惜判甄各])别)"
_ADVERB = r"(?:再|太|那么|这么|过多|多|去|总|老|一直|还)?"
#: What such a negator waves away before the key word: 不用【考虑】风险, 别【担心】收益.
_ATTEND = (r"(?:考虑|担心|操心|顾虑|在意|在乎|纠结|关心|害怕|怕|计较|管(?!理)|想|问|提(?![前醒供高交出升示])|谈|聊"
           r"|讲(?![究座])|解释|商量|了解|理会)")
#: The same after the key word (风险就不用考虑了); not 管/理会: 陌生链接都别理 is advice.
_ATTEND_AFTER = r"(?:考虑|担心|操心|在意|在乎|纠结|计较|想|提(?![前醒供高交出升示])|解释|商量|问)"
#: Key words that are themselves attention or empathy, negated by a plain 不/没: 我不理解.
_ATTENTION_WORDS = ("担心", "考虑", "顾虑", "商量", "解释", "理解", "了解", "在意", "在乎", "操心", "关心", "明白", "懂", "纠结")
_PLAIN = r"(?:并不|从不|从没|毫不|没有|不|没|未)"
_PLAIN_ADVERB = r"(?:太|怎么|大|能|会|想|愿意|愿)?"

_RHETORIC = re.compile(rf"(有|没有?)?(?:什么|啥)(?:好|可){_ATTEND}?$")
_DISMISS_VERB = re.compile(rf"{_DISMISS}{_ADVERB}{_ATTEND}.{{0,6}}$")
_DISMISS_NEXT = re.compile(rf"{_DISMISS}{_ADVERB}$")
_PLAIN_NEXT = re.compile(rf"{_PLAIN}{_PLAIN_ADVERB}$")
_AFTER = re.compile(
    rf"^(?:什么的|啥的|之类的|这些|这块|这方面|方面|的事|这事|嘛|呢|啊|呀)?(?:您|你)?(?:就|也|都|倒)?"
    rf"(?:{_DISMISS}(?:太|再|多|去)?{_ATTEND_AFTER}"
    rf"|没有?(?:什么|啥)(?:好|可){_ATTEND}?的?|有(?:什么|啥)(?:好|可){_ATTEND}的"
    r"|(?:不用|不必|不需要|用不着)了|算了|免了|不重要|无所谓|没必要|不存在)了?"
)
_RHETORIC_END = re.compile(r"^[的得](?:呢|啊|呀|嘛|哟)?$")
_CONDITIONAL = re.compile(r"如果|要是|万一|假如|的话")
#: Negating tokens inside a loosely matched quote (rjieba keeps 不少, 特别, 不错 whole).
_NEG_TOKENS = frozenset("不 没 没有 无 别 未 不用 不必 不要 不会 不是 不能 没什么 并不 从不 从没 毫不 无需".split())


@lru_cache(maxsize=4096)
def _simplified(ch: str) -> str:
    """One char in simplified form, same length (沒 → 没), so spans stay valid."""
    try:
        import zhconv

        out = zhconv.convert(ch, "zh-cn")
    except ImportError:
        return ch
    return out if len(out) == 1 else ch


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end]: from the break before it to the break after it."""
    left = start
    while left > 0 and not _CLAUSE_BREAK.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and not _CLAUSE_BREAK.match(text[right]):
        right += 1
    return left, right


def _a_not_a(text: str, at: int) -> bool:
    """The negator at `at` sits in 有没有 / 要不要 / 担不担心: a question, not a refusal."""
    return 0 < at < len(text) - 1 and text[at - 1] == text[at + 1]


def negation(text: str, start: int, end: int, evidence: Sequence[str] = ()) -> tuple[int, int] | None:
    """The span of the words that negate or dismiss the quote text[start:end], or None.

    `evidence` are the key point's phrases: a negator they contain themselves (不着急, 不代表)
    is what the key point asks for, not a refusal of it.
    """
    left, right = _clause(text, start, end)
    simple = text[:left] + "".join(_simplified(ch) for ch in text[left:right]) + text[right:]
    before, quote, after = simple[left:start], simple[start:end], simple[end:right]
    attention = any(w in quote for w in _ATTENTION_WORDS)
    found = _before(before, after, attention)
    if found is not None:
        at = left + found
        return (at, end + _tail(after)) if not _a_not_a(simple, at) else None
    m = _AFTER.match(after)
    if m:
        return start, end + m.end()
    if _negated_inside(quote, evidence):
        return start, end
    return None


def _before(before: str, after: str, attention: bool) -> int | None:
    """Where in `before` a negation of the word right after it starts, or None."""
    m = _RHETORIC.search(before)
    if m and (m.group(1) in ("没", "没有") or _RHETORIC_END.match(after)):
        return m.start()
    m = _DISMISS_VERB.search(before)
    if m:
        return m.start()
    if not attention:
        return None
    m = _DISMISS_NEXT.search(before)
    if m:
        return m.start()
    m = _PLAIN_NEXT.search(before)
    # 您还不了解 / 要是不明白 / 不懂的地方: the customer's state, not the staff refusing.
    if m and not re.search(r"[您你]", before[: m.start()]) and not _CONDITIONAL.search(before + after):
        return m.start() if not after.startswith("的") else None
    return None


def _tail(after: str) -> int:
    """How far the negating phrase runs past the word: 有什么好商量【的】, 别担心收益【了】."""
    m = re.match(r"[的了]+", after)
    return m.end() if m else 0


def _negated_inside(quote: str, evidence: Sequence[str]) -> bool:
    """A loose (fuzzy or token) quote with a negator no evidence phrase has: 产品【没】风险."""
    if len(quote) < 3:
        return False
    import rjieba

    negators = {tok for tok in rjieba.cut(quote) if tok in _NEG_TOKENS}
    return any(not any(tok in phrase for phrase in evidence) for tok in negators)


# ------------------------------------------------------------------ clauses

#: Where a customer line is cut into clauses for matching: sentence ends, commas, …, new lines.
CLAUSE_BREAKS = "，,。！!？?；;…\n"


def split_clauses(text: str, breaks: str = CLAUSE_BREAKS, *, keep_question: bool = False, strip: bool = False,
                  offsets: bool = False) -> list:
    """The clauses of `text`: the runs between any of `breaks` (the inside of a regex character
    class, so `\\s` works), blank ones left out. `keep_question` leaves a ？/? that ends a clause on
    it (the clause asks); `strip` trims its spaces; `offsets` gives (start, clause) pairs, start
    being where the run begins in `text` (before any strip), for shifting match spans."""
    out: list = []
    for m in _clause_pattern(breaks, keep_question).finditer(text):
        piece = m.group().strip() if strip else m.group()
        if piece.strip():
            out.append((m.start(), piece) if offsets else piece)
    return out


@lru_cache(maxsize=16)
def _clause_pattern(breaks: str, keep_question: bool) -> re.Pattern:
    return re.compile(f"[^{breaks}]+" + ("[？?]?" if keep_question else ""))
