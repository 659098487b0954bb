"""Score one staff reply 0–100 with reasons staff can check: quotes, misses, style, compliance.

score = 100 × (knowledge_weight × covered share + style_weight × style share) / (sum of weights),
with weights, pass mark and style rules from `playbooks/scoring.yaml`. A compliance error fails
the reply (0) and shows the safer wording. Words copied from the customer's line earn nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from typing import Sequence

from assistant.core.compliance import Flag, check
from assistant.core.language.coverage import CoverageResult, Evidence, covered, normalize_with_map
from assistant.core.rehearse import meaning
from assistant.core.playbooks.models import ScoringFile, StyleRule
from assistant.core.language.negation import Negated, covered_unless_negated
from assistant.core.language.phrasing import ends_with_question

#: A run of at least this many normalized chars shared with the customer's line is a copy
#: (the whole line when it is shorter, but never under COPY_SHORTEST: 好的 is not a copy).
COPY_MIN_RUN = 5
COPY_SHORTEST = 3
#: Reply mostly copied (this share of its chars): style fails too, so the reply scores near 0.
COPY_MOSTLY = 0.6
#: not_copy fails from this copied share on.
COPY_FAIL = 0.4
DEFAULT_POLITE = ["您", "请", "谢谢", "麻烦", "辛苦"]
HONORIFICS = ("先生", "女士", "小姐", "姐", "哥", "总", "阿姨", "叔", "老师", "工", "经理", "大爷", "奶奶", "爷爷")
#: The quote shown for a point an earlier reply at the same step covered.
EARLIER_QUOTE = "（上一句已讲到）"
#: How many times a key point negated at its best quote is searched again elsewhere in the reply.
FALLBACK_SCORING = ScoringFile(version=1, kind="scoring", id="scoring", title="默认评分", skills={})


@dataclass(frozen=True)
class StyleCheck:
    """One style rule applied to the reply: passed or not, and why in plain words."""

    id: str
    label: str
    passed: bool
    points: float
    why: str


@dataclass(frozen=True)
class ReplyScore:
    """The score of one reply and everything that explains it."""

    total: int
    #: Covered share of key-point weight, 0–100.
    knowledge: float
    #: Share of style points earned, 0–100.
    style: float
    covered: list[Evidence] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)
    style_checks: list[StyleCheck] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    model_reply: str | None = None
    passed: bool = False
    #: Plain-language reasons, in the order staff should read them.
    reasons: list[str] = field(default_factory=list)
    #: Share (0–1) of the reply's words copied from the customer's line.
    copied: float = 0.0
    #: Key words named but negated (没什么好商量的); their points are in `missed`.
    negated: list[Negated] = field(default_factory=list)
    #: The reply only lists key words (理解，活期，损失): its points earn nothing.
    listed: bool = False
    #: A risky product offered to a cautious or elderly customer (the words), capping the score.
    unsuitable: str | None = None

    @property
    def share(self) -> float:
        return self.knowledge / 100

    @property
    def failed_compliance(self) -> bool:
        return any(f.severity == "error" for f in self.flags)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ReplyScore":
        d = dict(data)
        d["covered"] = [Evidence(**e) for e in d.get("covered", [])]
        d["missed"] = [tuple(m) for m in d.get("missed", [])]
        d["style_checks"] = [StyleCheck(**s) for s in d.get("style_checks", [])]
        d["flags"] = [Flag(**{**f, "span": tuple(f["span"])}) for f in d.get("flags", [])]
        d["negated"] = [Negated(**n) for n in d.get("negated", [])]
        return cls(**d)


def scoring_of(library) -> ScoringFile:
    """The library's scoring rules, or neutral defaults when it has no scoring.yaml."""
    return getattr(library, "scoring", None) or FALLBACK_SCORING


# ------------------------------------------------------------------ the score


def score_reply(
    text: str,
    key_points: Sequence,
    library,
    customer_line: str = "",
    customer_name: str | None = None,
    model_reply: str | None = None,
    persona=None,
    channel: str | None = None,
    earlier: Sequence[str] = (),
    answered: str | None = None,
) -> ReplyScore:
    """Score `text` (a staff reply to `customer_line`) against `key_points` (models.KeyPoint).
    `earlier`: ids of points an earlier reply at this step already covered; they count again when
    this reply adds a point of its own (the greeting need not be said twice), or when it answers
    the customer's own follow-up question (`answered`: what it answered, e.g. 数字的来源) — a
    correct answer to 「这个数是按什么算的」 is not a reply that forgot the step's points."""
    rules = scoring_of(library)
    if not text or not text.strip():
        missed = [(kp.id, kp.label) for kp in key_points]
        return ReplyScore(0, 0.0, 0.0, missed=missed, model_reply=model_reply, reasons=["没有回复内容，得 0 分。"])
    copies = copied_spans(text, customer_line)
    copied = _copied_share(text, copies)
    points = _points(text, key_points, rules)
    cov, negated = covered_unless_negated(text, points, copies, concepts=meaning.concept_index(library))
    cov, unasked = _asked(text, cov, points)
    cov = _conservative(text, cov, points, rules, persona, customer_line)
    cov = _greeted(text, cov, points, customer_name)
    cov = _booked(text, cov, points)
    cov = _acknowledged(text, cov, points)
    cov, unfigured = _figured(text, cov, points)
    listed = bool(points) and meaning.keyword_list(text, points, customer_name)
    if listed:
        cov = CoverageResult([], [(kp.id, kp.label) for kp in points], 0.0)
    elif (cov.covered or answered) and earlier:
        cov = _earlier(cov, points, earlier)
    share = cov.share if points else 1.0
    checks = style_checks(text, rules.style, customer_line, customer_name, copied, listed)
    style = _style_share(checks)
    flags = compliance_flags(text, library)
    total = _total(rules, share, style)
    unsuitable = _unsuitable(text, persona, channel)
    if unsuitable:
        total = min(total, meaning.UNSUITABLE_CAP)
    if any(f.severity == "error" for f in flags):
        total = 0
    reasons = _reasons(cov, checks, flags, copied, negated)
    if answered:
        reasons.insert(0, f"✓ 回答了客户的追问：{answered}")
    reasons += [f"✗ {label}：提到了「{quote}」，但没有问出来" for label, quote in unasked]
    if unfigured:  # said instead of 没讲到: the words were there, the number was not
        reasons = [r for r in reasons if r not in {f"✗ 没讲到：{label}" for label, _ in unfigured}]
        reasons += [f"✗ {label}：提到了「{quote}」，但没说具体是多少" for label, quote in unfigured]
    if listed:
        reasons.append("✗ 只是罗列关键词，没有说成完整的话，要点不算。")
    if unsuitable:
        reasons.insert(0, f"✗ 向谨慎/年长的客户推荐了「{unsuitable}」：不适合客户的风险承受能力，本句最高{meaning.UNSUITABLE_CAP}分。")
    return ReplyScore(
        total=total, knowledge=round(share * 100, 1), style=round(style * 100, 1), covered=cov.covered,
        missed=cov.missed, style_checks=checks, flags=flags, model_reply=model_reply,
        passed=total >= rules.pass_mark, reasons=reasons, copied=round(copied, 2), negated=negated,
        listed=listed, unsuitable=unsuitable,
    )


def _points(text: str, key_points: Sequence, rules: ScoringFile) -> list:
    """The node's points (evidence widened by scoring.yaml paraphrases) plus suitability when a
    product is put forward and the node has no suitability point."""
    points = [_widen(kp, rules.paraphrases) for kp in key_points]
    if key_points and meaning.needs_suitability(text, key_points):
        weight = sum(kp.weight for kp in key_points) / len(key_points)
        points.append(meaning.SUITABILITY_POINT.model_copy(update={"weight": weight}))
    return points


def _widen(kp, groups: Sequence[Sequence[str]]):
    """A key point whose evidence also holds each phrase with one word swapped for a paraphrase."""
    extra = [e.replace(w, other) for e in kp.evidence for g in groups for w in g if w in e for other in g if other != w]
    new = [e for e in dict.fromkeys(extra) if e not in kp.evidence]
    return kp.model_copy(update={"evidence": [*kp.evidence, *new]}) if new else kp


def _asked(text: str, cov: CoverageResult, points: Sequence) -> tuple[CoverageResult, list[tuple[str, str]]]:
    """Points that ask (问…) whose words sit in a statement move to missed."""
    asking = {kp.id: kp for kp in points if meaning.asks(kp)}
    stated = [e for e in cov.covered if e.point_id in asking and not meaning.asked_at(text, e.start, e.end)]
    if not stated:
        return cov, []
    # The same point may still be asked elsewhere: search again outside the statements.
    again = covered(text, [asking[e.point_id] for e in stated], exclude=meaning.statement_spans(text)).covered
    found = {e.point_id: e for e in again}
    kept = [e for e in cov.covered if e not in stated] + [found[e.point_id] for e in stated if e.point_id in found]
    unasked = [(e.label, e.quote) for e in stated if e.point_id not in found]
    return _recount(points, kept), unasked


def _conservative(text: str, cov: CoverageResult, points: Sequence, rules, persona, customer_line: str) -> CoverageResult:
    """Points about product risk covered by keeping a loss-averse customer's money in deposits."""
    given = meaning.conservative_covers(text, points, rules, persona, customer_line)
    done = {e.point_id for e in cov.covered}
    extra = [Evidence(kp.id, kp.label, "（选择不冒险的存款方案）", 0, 0, "conservative") for kp in given if kp.id not in done]
    return _recount(points, [*cov.covered, *extra]) if extra else cov


def _greeted(text: str, cov: CoverageResult, points: Sequence, name: str | None) -> CoverageResult:
    """A greeting point covered by greeting the customer by name in the first sentence."""
    return _cover_first(text, cov, points, meaning.GREET_LABEL, lambda t: meaning.greeting_span(t, name), "greeting")


def _figured(text: str, cov: CoverageResult, points: Sequence) -> tuple[CoverageResult, list[tuple[str, str]]]:
    """Points about telling a rate (meaning.FIGURE_LABEL) stay covered only when the reply gives a
    figure (1.45%, 百分之一点五); else they move to missed with the words that said no number."""
    bare = [e for e in cov.covered if meaning.FIGURE_LABEL.search(e.label)]
    if not bare or meaning.has_figure(text):
        return cov, []
    return _recount(points, [e for e in cov.covered if e not in bare]), [(e.label, e.quote) for e in bare]


def _acknowledged(text: str, cov: CoverageResult, points: Sequence) -> CoverageResult:
    """A point about acknowledging the customer (认同…) covered by an acknowledgement up front."""
    return _cover_first(text, cov, points, meaning.AGREE_LABEL, meaning.acknowledgement, "agreeing")


def _booked(text: str, cov: CoverageResult, points: Sequence) -> CoverageResult:
    """A point about booking a time covered by a concrete time the reply offers (明天上午十点再打给您)."""
    from assistant.core.rehearse.reactions import time_offered

    def time_span(t: str) -> tuple[int, int] | None:
        when = time_offered(t)  # a piece of one of t's clauses
        if not when:
            return None
        at = t.find(when)
        return at, at + len(when)

    return _cover_first(text, cov, points, meaning.BOOK_LABEL, time_span, "time")


def _cover_first(text: str, cov: CoverageResult, points: Sequence, label, find, how: str) -> CoverageResult:
    """The first uncovered point whose label matches `label`, covered by the span `find(text)`
    returns (looked for only when there is such a point)."""
    done = {e.point_id for e in cov.covered}
    point = next((kp for kp in points if label.search(kp.label) and kp.id not in done), None)
    span = find(text) if point else None
    if span is None:
        return cov
    return _recount(points, [*cov.covered, Evidence(point.id, point.label, text[span[0]:span[1]], *span, how)])


def _earlier(cov: CoverageResult, points: Sequence, earlier: Sequence[str]) -> CoverageResult:
    """Points an earlier reply at this step covered, credited alongside this reply's own."""
    done = {e.point_id for e in cov.covered}
    extra = [Evidence(kp.id, kp.label, EARLIER_QUOTE, 0, 0, "earlier") for kp in points
             if kp.id in earlier and kp.id not in done]
    return _recount(points, [*cov.covered, *extra]) if extra else cov


def _recount(points: Sequence, covered_: list[Evidence]) -> CoverageResult:
    done = {e.point_id for e in covered_}
    total = sum(max(kp.weight, 0.0) for kp in points)
    share = sum(max(kp.weight, 0.0) for kp in points if kp.id in done) / total if total > 0 else 0.0
    return CoverageResult(covered_, [(kp.id, kp.label) for kp in points if kp.id not in done], share)


def _unsuitable(text: str, persona, channel: str | None) -> str | None:
    """A risky product put to a cautious or elderly persona (the words), else None."""
    if persona is None:
        return None
    from assistant.core.rehearse.reactions import risky_offer
    from assistant.core.rehearse.voice import traits_of

    if persona.temperament != "cautious_elderly" and traits_of(persona, channel or "any").age != "senior":
        return None
    return risky_offer(text)


def _total(rules: ScoringFile, share: float, style: float) -> int:
    weights = rules.knowledge_weight + rules.style_weight
    if weights <= 0:
        return round(share * 100)
    return round(100 * (rules.knowledge_weight * share + rules.style_weight * style) / weights)


def compliance_flags(text: str, library) -> list[Flag]:
    """The compliance rules `text` breaks (errors fail the reply, warnings are reminders), plus a
    promise of no loss read through the concepts (「稳稳的不会亏」)."""
    flags = check(text, library)
    quote = meaning.promises_no_loss(text, library)
    if quote and not any(f.severity == "error" and quote in text[f.span[0]: f.span[1] + len(quote)] for f in flags):
        start = text.find(quote)
        flags.append(Flag("promise-no-loss", "承诺不亏", "error", f"「{quote}」是在向客户承诺不会亏，理财和基金都做不到。",
                          "这款有波动，可能达不到预期、也可能亏损，我不能打包票；接受不了亏损的钱，放存款更合适。",
                          quote, (start, start + len(quote))))
    return flags


# ------------------------------------------------------------------ copying


def copied_spans(text: str, customer_line: str) -> list[tuple[int, int]]:
    """Original spans of `text` that repeat a run of the customer's line word for word."""
    if not customer_line:
        return []
    norm, index = normalize_with_map(text)
    theirs, _ = normalize_with_map(customer_line)
    need = min(COPY_MIN_RUN, len(theirs))
    if need < COPY_SHORTEST:
        return []
    blocks = difflib.SequenceMatcher(None, norm, theirs, autojunk=False).get_matching_blocks()
    return [(index[b.a], index[b.a + b.size - 1] + 1) for b in blocks if b.size >= need]


def _copied_share(text: str, spans: list[tuple[int, int]]) -> float:
    norm, index = normalize_with_map(text)
    if not norm:
        return 0.0
    inside = sum(1 for i in index if any(s <= i < e for s, e in spans))
    return inside / len(norm)


# ------------------------------------------------------------------ style


def style_checks(text: str, rules: Sequence[StyleRule], customer_line: str, name: str | None, copied: float,
                 listed: bool = False) -> list[StyleCheck]:
    """Every applicable style rule checked; a mostly copied reply or a word list fails them all."""
    out = []
    for rule in rules:
        result = _CHECKS[rule.kind](text, rule, name, copied)
        if result is None:
            continue  # not applicable (e.g. no customer name known)
        passed, why = result
        if listed:
            passed, why = False, "只罗列了关键词，没说成完整的话"
        elif copied >= COPY_MOSTLY and rule.kind != "not_copy":
            passed, why = False, "照抄客户原话不算自己的话术"
        out.append(StyleCheck(rule.id, rule.label, passed, rule.points, why))
    return out


def _style_share(checks: list[StyleCheck]) -> float:
    total = sum(c.points for c in checks)
    return sum(c.points for c in checks if c.passed) / total if total > 0 else 1.0


def reply_chars(text: str) -> int:
    """A reply's length as the length rule counts it: characters other than whitespace."""
    return len(re.sub(r"\s", "", text))


def over_length(text: str, library) -> int:
    """The reply's length when it is past the library's length rule (the ✗ 太长 of `_length`), else 0."""
    rule = next((r for r in scoring_of(library).style if r.kind == "length"), None)
    n = reply_chars(text)
    return n if rule is not None and rule.max_chars is not None and n > rule.max_chars else 0


def _length(text, rule, name, copied):
    n = reply_chars(text)
    if rule.min_chars is not None and n < rule.min_chars:
        return False, f"只有{n}个字，太短（至少{rule.min_chars}字）"
    if rule.max_chars is not None and n > rule.max_chars:
        return False, f"{n}个字，太长（不超过{rule.max_chars}字）"
    return True, f"{n}个字，长度合适"


def _asks_question(text, rule, name, copied):
    if ends_with_question(text):
        return True, "以问题收尾，把话头交给了客户"
    if re.search(r"吧\W*$", text):
        return False, "句末的“吧”是在拍板，不是提问，对话容易断"
    return False, "最后没有问客户问题，对话容易断"


def _uses_name(text, rule, name, copied):
    if not name:
        return None
    if name in text or any(name[0] + h in text for h in HONORIFICS):
        return True, f"称呼了客户（{name}）"
    # 杨阿姨 addressed as 阿姨: a kinship title of two characters or more is a respectful address.
    title = next((h for h in HONORIFICS if len(h) >= 2 and name.endswith(h) and name != h), None)
    if title and re.search(rf"(?:^|[，。！？,.!?\s]){title}", text):
        return True, f"称呼了客户（{title}）"
    return False, f"没有称呼客户（{name}）"


def _polite(text, rule, name, copied):
    words = rule.words or DEFAULT_POLITE
    hit = next((w for w in words if w in text), None)
    return (True, f"用了礼貌用语「{hit}」") if hit else (False, "没有礼貌用语（如" + "、".join(words[:3]) + "）")


def _not_copy(text, rule, name, copied):
    if copied >= COPY_FAIL:
        return False, f"{round(copied * 100)}%的字照抄了客户原话"
    return True, "用的是自己的话"


_CHECKS = {"length": _length, "asks_question": _asks_question, "uses_name": _uses_name, "polite": _polite, "not_copy": _not_copy}


# ------------------------------------------------------------------ reasons


def shown_quote(e: Evidence) -> str:
    """The words that earned a point, in 「」; a point earned by no words of the reply (the earlier
    reply's, keeping the money in deposits) says so in its note, never as if the staff had said it
    (found in tmux: ✓问能接受多大的波动「（选择不冒险的存款方案）」 under 「你的原话」)."""
    return e.quote if e.start == e.end else f"「{e.quote}」"


def _reasons(cov, checks: list[StyleCheck], flags: list[Flag], copied: float, negated: list[Negated]) -> list[str]:
    out = [f"合规：{f.message} 可以这样说：{f.safer}" for f in flags if f.severity == "error"]
    if out:
        out.insert(0, "触犯合规红线，本句 0 分。")
    out += [f"✓ {e.label}：{shown_quote(e)}" for e in cov.covered]
    refused = {n.point_id: n for n in negated}
    out += [f"✗ {refused[pid].why}" if pid in refused else f"✗ 没讲到：{label}" for pid, label in cov.missed]
    if copied >= COPY_MOSTLY:
        out.append("✗ 大部分是照抄客户原话，照抄部分不计要点。")
    out += [f"✗ {c.label}：{c.why}" for c in checks if not c.passed]
    out += [f"提醒：{f.message}" for f in flags if f.severity != "error"]
    return out
