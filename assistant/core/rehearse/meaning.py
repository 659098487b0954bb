"""What a reply means beyond its key words: the rules that make scoring a trainer's judgement.

- A keyword list (「理解，活期，损失，您决定」) says nothing: most of its clauses are bare key words.
- A point that asks (问… / 确认客户听懂) needs a question, not the word in a statement.
- A promise of no loss (「稳稳的不会亏」) fails the reply like a compliance breach, read through the
  language layer's concepts (a negated `loss` hit), unless the reply says it cannot promise that.
- Wherever the reply puts a product forward, suitability (风险测评 / 适不适合) is a key point.
- A risky product offered to a cautious or elderly customer caps the reply below the pass mark.
- Keeping a loss-averse customer's money in deposits answers the points about product risk: the
  conservative choice is the honest one (scoring.yaml `conservative`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from assistant.core.language.coverage import norm_phrase
from assistant.core.language.phrasing import is_question, split_clauses
from assistant.core.playbooks.models import KeyPoint

#: Sentences, and clauses inside them (a list is chunks separated by commas, 、 or spaces).
_SENTENCES = re.compile(r"[。！!？?；;\n]+")
_PIECES = r"，,、：:\s…~～"
_FILLER = re.compile(r"[您你我的了吗呢吧啊呀和还有就是也都很]")
#: A sentence of at least this many clauses, this share of them bare key words, holding this
#: share of the reply's characters, makes the reply a keyword list.
LIST_MIN_CLAUSES = 3
LIST_BARE_SHARE = 0.75
LIST_TEXT_SHARE = 0.6
#: A clause this short (normalized, the name taken out) is a fragment, not a statement: a
#: sentence of at least FRAGMENT_MIN_CLAUSES clauses (SPACED_MIN_CLAUSES when spaces split CJK
#: words, which nobody does in speech) that is mostly fragments is a word list, whatever the
#: separators (「确实 利率 下调 感受」).
FRAGMENT_MAX = 3
FRAGMENT_MIN_CLAUSES = 4
SPACED_MIN_CLAUSES = 3
#: Short clauses that are whole utterances on their own (好的 / 没问题 / 您放心), not fragments.
UTTERANCE = re.compile(r"^(?:好的?|行|对|是的?|嗯|没问题|放心|您放心|明白|了解|谢谢|谢谢您|不客气|没事|可以|没关系|您说|您看呢)$")
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff\d%])\s+(?=[\u4e00-\u9fff\d])")
#: Point labels that ask something: the words must sit in a question.
ASK_LABEL = re.compile(r"^(?:问|先问|确认客户|征求|把选择交给|以问题收尾|用问题收尾|问客户)|开放式提问")
#: Statements that ask politely all the same (想问下 / 想了解一下 / 请问).
ASKING_LEAD = re.compile(r"想问|想了解|了解一下|请问|问一下|问问|问您|冒昧问")
#: A staff line that says it cannot promise (so a negated loss inside it is honest).
HONEST = re.compile(r"不能保证|不保证|没法保证|保证不了|不敢保证|不敢说|不是说|谁也不能说|不能承诺|不承诺|不能打包票|不敢打包票|可能会亏|也可能亏|可能亏")
#: A clause about deposit interest only (等到期再取，利息都不亏) promises nothing about a product.
DEPOSIT_ONLY = re.compile(r"^(?!.*(?:理财|基金|产品|这款|收益|净值)).*(?:利息|定期|存款|本息)")
#: Suitability words (a product put forward needs one of these, or a question about tolerance).
SUITABILITY_WORDS = ["风险测评", "测评", "适合您", "适不适合", "合不合适", "匹配", "风险承受", "承受能力", "能承受", "能接受", "接受波动"]
SUITABILITY_POINT = KeyPoint(id="suitability", label="推荐产品前先做风险测评、看适不适合客户",
                             evidence=SUITABILITY_WORDS)
#: A reply that recommends a product (any of these before a product word in the clause).
OFFER = re.compile(r"(推荐|建议|试试|买点|买一点|配置|配点|配一|给您配|帮您配|可以买|可以考虑|不妨|适合您的|这款|有款|有一款|新出|续购|续买)"
                   r"[^，。！？；,!?;]{0,10}(理财|基金|保险|定投|贵金属|黄金)")
#: The reply advises against products in the same clause (不建议您买理财).
AGAINST = re.compile(r"不建议|不推荐|不买|别买|就别|不用买|不适合|不考虑")
#: Most a reply can score when it offers a risky product to a cautious or elderly customer.
UNSUITABLE_CAP = 40


def clauses(text: str) -> list[str]:
    return split_clauses(text, _PIECES)


def keyword_list(text: str, key_points: Sequence, name: str | None = None) -> bool:
    """A sentence that is mostly bare key words (and fillers) carries the reply: a list, not speech."""
    words = sorted({norm_phrase(e) for kp in key_points for e in kp.evidence if norm_phrase(e)}, key=len, reverse=True)
    total = len(norm_phrase(text)) or 1
    for sentence in _SENTENCES.split(text):
        parts = clauses(sentence)
        if len(parts) < LIST_MIN_CLAUSES:
            continue
        if len(norm_phrase(sentence)) / total < LIST_TEXT_SHARE:
            continue
        bare = sum(1 for c in parts if _bare(norm_phrase(c), words, norm_phrase(name or "")))
        if bare / len(parts) >= LIST_BARE_SHARE or _fragments(sentence, parts, name):
            return True
    return False


def _fragments(sentence: str, parts: list[str], name: str | None) -> bool:
    """Mostly short clauses with no statement among them: fragments strung together."""
    spaced = len(_SPACED.findall(sentence)) + 1 >= SPACED_MIN_CLAUSES
    if len(parts) < (SPACED_MIN_CLAUSES if spaced else FRAGMENT_MIN_CLAUSES):
        return False
    short = sum(1 for c in parts if _fragment(norm_phrase(c), norm_phrase(name or "")))
    return short / len(parts) >= LIST_BARE_SHARE


def _fragment(clause: str, name: str) -> bool:
    rest = clause.replace(name, "") if name else clause
    return len(rest) <= FRAGMENT_MAX and not UTTERANCE.match(rest)


def _bare(clause: str, words: list[str], name: str) -> bool:
    """The clause is one key word and nothing else (a name or fillers aside): 「活期」「您决定」."""
    rest = clause.replace(name, "") if name else clause
    word = next((w for w in words if w in rest), None)  # longest first
    return word is not None and len(_FILLER.sub("", rest.replace(word, "", 1))) <= 1


def asks(point) -> bool:
    """The key point is a question to the customer (its label says so, or it sets `act`)."""
    return bool(ASK_LABEL.search(point.label))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, ？ and 。！； ending one."""
    out, start = [], 0
    for m in re.finditer(r"[。！!；;\n？?]+", text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _asking(sentence: str) -> bool:
    return "？" in sentence or "?" in sentence or is_question(sentence) or bool(ASKING_LEAD.search(sentence))


def asked_at(text: str, start: int, end: int) -> bool:
    """The words at text[start:end] sit in a question (or a polite 想问下 …), or frame the
    question right after them (「孩子教育、父母养老。您最关心哪方面？」)."""
    spans = sentence_spans(text)
    for i, (a, b) in enumerate(spans):
        if a <= start < b:
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            return _asking(text[a:b]) or (nxt is not None and _asking(text[nxt[0]:nxt[1]]))
    return False


def statement_spans(text: str) -> list[tuple[int, int]]:
    """Sentences that ask nothing and frame no question: where an asking point cannot be found."""
    return [(a, b) for a, b in sentence_spans(text) if not asked_at(text, a, a + 1)]


def promises_no_loss(text: str, library) -> str | None:
    """The words that promise the customer cannot lose (「不会亏」), or None."""
    index = concept_index(library)
    if index is None:
        return None
    for hit in index.hits(text):
        if hit.concept_id == "loss" and hit.negated:
            clause_start = max(text.rfind(p, 0, hit.start) for p in "，,。！!？?；;\n")
            clause = text[clause_start + 1: hit.end + 2]
            if not HONEST.search(clause) and not DEPOSIT_ONLY.search(clause):
                return text[max(clause_start + 1, hit.start - 4): hit.end]
    return None


def concept_index(library):
    """The library's ConceptIndex, built once (None without concepts)."""
    key = "rehearse.concepts"
    derived = getattr(library, "derived", None)
    if derived is None:
        return None
    if key not in derived:
        try:
            from assistant.core.language.concepts import ConceptIndex

            derived[key] = ConceptIndex.from_library(library)
        except Exception:  # no concepts file in this library: the rule stays quiet
            derived[key] = None
    return derived[key]


def offers_product(text: str) -> str | None:
    """The words that put a wealth product forward (not advise against it), or None."""
    for clause in re.split(r"[，,。！!？?；;\n]", text):
        m = OFFER.search(clause)
        if m and not AGAINST.search(clause):
            return m.group(0)
    return None


def needs_suitability(text: str, key_points: Sequence) -> bool:
    """A product is put forward and the node has no suitability point of its own."""
    if offers_product(text) is None:
        return False
    return not any(re.search(r"测评|适合|匹配|适当|承受", kp.label) for kp in key_points)


@lru_cache(maxsize=64)
def _compiled(words: tuple[str, ...]) -> re.Pattern | None:
    return re.compile("|".join(map(re.escape, words))) if words else None


#: Keeping the money in deposits said plainly (放定期, 还是存着, 留在存款里), beside scoring.yaml's words.
KEEP_IN_DEPOSIT = re.compile(r"(?:放|存|留|续)(?:在|到|回)?(?:定期|存款|大额存单)|还是存着|接着存|继续存")


def keeps_in_deposits(text: str, rules) -> bool:
    """The reply keeps the customer's money in deposits and puts no product forward."""
    spec = getattr(rules, "conservative", None)
    keeps = _compiled(tuple(spec.reply)) if spec is not None else None
    said = bool(keeps and keeps.search(text)) or bool(KEEP_IN_DEPOSIT.search(text))
    return said and not offers_product(text) and not AGAINST_DEPOSIT.search(text)


#: Advising against deposits (别存定期了) is the opposite of keeping the money there.
AGAINST_DEPOSIT = re.compile(r"(?:别|不要|不用|没必要)(?:再)?(?:放|存|续)")


def conservative_covers(text: str, key_points: Sequence, rules, persona, customer_line: str) -> list:
    """Key points a conservative answer covers for a loss-averse customer (none otherwise)."""
    spec = getattr(rules, "conservative", None)
    if spec is None or persona is None:
        return []
    from assistant.core.rehearse.voice import traits_of

    says = _compiled(tuple(spec.customer_says))
    # an older customer is loss-averse whatever her temperament (as for unsuitable products)
    averse = (persona.temperament in spec.temperaments or traits_of(persona, "any").age == "senior"
              or bool(says and says.search(customer_line)))
    if not averse or not keeps_in_deposits(text, rules):
        return []
    labels = _compiled(tuple(spec.covers_labels))
    return [kp for kp in key_points if labels and labels.search(kp.label)]


#: A key point about greeting the customer by name (热情接待、称呼客户).
GREET_LABEL = re.compile(r"称呼客户|热情接待|打招呼|问好")
#: Points that ask staff to acknowledge what the customer feels (认同…, 共情): covered by an
#: acknowledgement in the reply's first sentence, whatever its words (利率确实一直在降，您觉得存款
#: 跑不赢很正常, found playing 秦先生, missed 认同客户嫌定期利息少 whose evidence is 理解/觉得少/嫌少).
AGREE_LABEL = re.compile(r"^(?:先)?认同|^共情")
AGREEING = re.compile(r"确实|是啊|是的|您说得对|说得没错|没错|我理解|能理解|理解您|很正常|换谁都|换我也|难怪|可不是")
#: Points that ask for a concrete time (约具体时间, 约好下次联系的时间): any concrete time offered
#: covers them (reactions.time_offered), not only the card's sample times (今晚, 明天中午).
BOOK_LABEL = re.compile(r"约[^，,（(]{0,8}时间|方便的时间")  # a concrete time offered answers 问方便的时间 too
#: In the first sentence, beside the customer's name: a greeting or the staff introducing herself.
GREETING = re.compile(r"您好|你好|好[，,！!。]|早上好|下午好|欢迎|我是|来了|来啦|快坐|先坐")


def greeting_span(text: str, name: str | None) -> tuple[int, int] | None:
    """(start, end) of the customer's name when the first sentence greets her by it
    (「蒋阿姨好，我是幸福里支行的李娜」), else None."""
    if not name:
        return None
    first = re.split(r"[。！!？?\n]", text, maxsplit=1)[0]
    at = first.find(name)
    if at < 0 or not GREETING.search(first):
        return None
    return at, at + len(name)


#: A point that asks staff to tell the customer a rate (如实告知现在的定期利率): covered only with a
#: figure in the reply. Found in a walk: 「现在利率不高」 earned it through 现在利率 with no number.
FIGURE_LABEL = re.compile(r"告知[^，,（(]{0,6}利率")
#: A rate as said or typed: 1.45%, 1.5, 2个点, 百分之一点五, 一点四五, 一点几.
FIGURE = re.compile(r"\d+\.\d+|\d+\s*(?:%|％|个点|厘)|百分之|[零一二两三四五六七八九十]点[零一二三四五六七八九几]")


def has_figure(text: str) -> bool:
    return bool(FIGURE.search(text))


#: Topics of a customer line about rates: a reply citing a rate speaks to them.
RATE_TOPICS = {"rate_low", "rate_cut"}
_RATE_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|个点)|利率|利息")


def same_topic(library, reply: str, line: str) -> bool:
    """The reply speaks to what the customer's line is about, read through the concepts: a shared
    topic, or a rate cited to a line about rates (「他们给的3.5%肯定有条件」 to 「存定期根本跑不赢」,
    found playing 秦先生: it drew 「我是说，利率一降再降……」 as if ignored)."""
    index = concept_index(library)
    if index is None or not reply or not line:
        return False
    topics = {t for h in index.hits(line) if not h.negated for t in index.concepts[h.concept_id].topics}
    mine = {t for h in index.hits(reply) if not h.negated for t in index.concepts[h.concept_id].topics}
    return bool(topics & mine) or bool(topics & RATE_TOPICS and _RATE_FIGURE.search(reply))


def acknowledgement(text: str) -> tuple[int, int] | None:
    """The span of an acknowledgement in the reply's first sentence (确实 / 很正常 / 我理解), or None."""
    from assistant.core.language.phrasing import negation

    first = _SENTENCES.split(text, maxsplit=1)[0]
    for m in AGREEING.finditer(first):  # 我不理解您… acknowledges nothing
        if negation(first, m.start(), m.end()) is None and not first[max(0, m.start() - 1):m.start()] in ("不", "没"):
            return m.start(), m.end()
    return None
