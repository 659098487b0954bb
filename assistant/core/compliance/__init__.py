"""Compliance lint over what staff say: forbidden sales behaviour and missing risk disclosures.

The rules are data (`playbooks/compliance/*.yaml`), each citing the article it comes from; they
are compiled once per library (`rules.py`). A line is folded first (`text.py`: 繁→简, full-width →
half-width, one character for one), then every forbidden pattern is tried; a hit is excused by an
`unless` match overlapping it (不保本), by an `unless_nearby` word in its clause or sentence
(谁跟您说保本…都要当心), or when the rule needs a `nearby` word there and none is found (送 only
counts next to 买理财). Customers may say 保本: only staff lines, replies and messages are checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.core.compliance.learned import sentence_spans, shipped_model
from assistant.core.compliance.rules import Disclosure, Forbidden, compiled_rules, expand, regex_error, unknown_macros
from assistant.core.compliance.text import after_last_turn, fold, hearsay_spans, negated_before, refused_after, retold_as_direct, scope_of

__all__ = ["Flag", "check", "compiled_rules", "expand", "regex_error", "unknown_macros", "flag_dict", "hit_doubt",
           "sentence_scores"]


@dataclass(frozen=True)
class Flag:
    """One rule broken in one text: what, where (quote + span), a safer way to say it, and why."""

    rule_id: str
    title: str
    severity: str
    message: str
    safer: str
    quote: str
    span: tuple[int, int]
    #: The regulation and article the rule comes from ("" for a branch rule without one).
    source: str = ""


def check(text: str, library, learned: bool = True) -> list[Flag]:
    """Every rule `text` breaks, in text order; [] when it is fine. `learned`: let the trained second
    opinion (learned.py) add a violation the rules missed and drop a hit it reads as plainly honest."""
    if not text:
        return []
    forbidden, disclosures = compiled_rules(library)
    folded = fold(text)
    hearsay = hearsay_spans(folded)
    flags = [f for rule in forbidden for f in _forbidden_hits(rule, text, folded, hearsay)]
    retold = retold_as_direct(folded)
    if retold is not None and retold != folded:
        # (a narrator word with no 他/她/我 to swap reads the same line again: nothing new to find)
        # A retelling (她说…, 客户经理让我…) breaks the rules its direct speech would break.
        seen = {f.rule_id for f in flags}
        flags += [f for rule in forbidden if rule.rule.id not in seen for f in _forbidden_hits(rule, text, retold, hearsay)]
    flags += [f for rule in disclosures if (f := _missing_disclosure(rule, text, folded))]
    if learned and (model := shipped_model()) is not None:
        scored = sentence_scores(model, folded)  # once: clearing and the second opinion read the same sentences
        flags = _second_opinion(text, folded, _doubted_hits_dropped(folded, flags, forbidden, model, scored),
                                forbidden, model, scored)
    return sorted(flags, key=lambda f: (f.span, f.rule_id))


#: A sum, a rate or a count: where the rules read arithmetic (理财 set against a deposit in yuan, a rate above a
#: deposit's), the model only sees compliant words around it (按基准算能多拿五百二十多块，但这不是承诺 scores 0.02).
FIGURE = re.compile(r"\d|[一二两三四五六七八九十百千万几]+(?:块|元|万|千|个点|厘|毛|倍|成)")


def sentence_scores(model, folded: str) -> list[tuple[int, int, dict, float]]:
    """(start, end, vector, p) of each sentence of a folded line: the model reads a line a sentence at a
    time, as it was trained."""
    return [(a, b, vec, model.probability(vec)) for a, b in sentence_spans(folded) for vec in (model.vector(folded[a:b]),)]


def hit_doubt(folded: str, span: tuple[int, int], scored) -> float:
    """How honest the sentences a rule's hit touches can look at most: the highest score among them, or
    1.0 (never doubted) when one holds a figure or none is touched. `scored`: sentence_scores' rows (any
    rows whose first two items are a sentence's span and whose last is its score)."""
    touched = [(row[0], row[1], row[-1]) for row in scored if row[0] < span[1] and span[0] < row[1]]
    if not touched or any(FIGURE.search(folded, a, b) for a, b, _ in touched):
        return 1.0
    return max(p for _, _, p in touched)


def _doubted_hits_dropped(folded: str, flags: list[Flag], forbidden: list[Forbidden], model, scored) -> list[Flag]:
    """Without the rule hits whose sentence the learned model reads as plainly honest (p < `clear_below`
    in every sentence the hit touches). A pattern's excuses are words someone foresaw; a new writer's or a
    real branch's honest lines (reports, warnings, true statements) trip rules in ways nobody did, and the
    model, trained on thousands of honest lines, knows them. The threshold is low: a violation the rules
    catch scores that low a few times in 100 on held-out lines (scripts/train_compliance_model.py --cv). A
    sentence with a figure is never cleared (`FIGURE`)."""
    rule_ids = {rule.rule.id for rule in forbidden}
    if not model.clear_below:
        return flags
    return [f for f in flags if f.rule_id not in rule_ids or hit_doubt(folded, f.span, scored) >= model.clear_below]


def _second_opinion(text: str, folded: str, flags: list[Flag], forbidden: list[Forbidden], model, scored) -> list[Flag]:
    """A violation the rules missed, found by the learned model sentence by sentence (it was trained on
    single lines). Only when no forbidden-behaviour rule spoke: a rule's hit, error or warning, says more."""
    rule_ids = {rule.rule.id for rule in forbidden}
    if any(f.rule_id in rule_ids for f in flags):
        return flags
    verdicts = [(p, (a, b), vec) for a, b, vec, p in scored if vec and p >= model.flag_at]
    if not verdicts:
        return flags
    _, (a, b), vec = max(verdicts, key=lambda v: v[0])
    errors = {rule.rule.id: rule.rule for rule in forbidden if rule.rule.severity == "error"}
    rule = next((errors[rid] for rid in model.rules_by_likeness(vec) if rid in errors), None)
    if rule is None:
        return flags
    start, end = model.evidence_span(folded[a:b])
    span = (a + start, a + end)
    return [*flags, Flag(rule.id, rule.title, "error", f"这句话读起来像「{rule.title}」一类的违规说法（合规模型判断，规则没有直接命中）。{rule.message}",
                         rule.safer, text[span[0]:span[1]], span, getattr(rule, "source", ""))]


def flag_dict(flag: Flag) -> dict:
    """The JSON shape of a flag (`coach check --json`, history events)."""
    return {"rule_id": flag.rule_id, "severity": flag.severity, "quote": flag.quote,
            "message": flag.message, "safer": flag.safer, "source": flag.source}


def _forbidden_hits(rule: Forbidden, text: str, folded: str, hearsay: list[tuple[int, int]] = ()) -> list[Flag]:
    """Hits of the rule's patterns that no excuse covers (the rule's own, or a claim someone else
    made that the line refutes: `hearsay`); overlapping hits of one rule count once."""
    excused: list[tuple[int, int]] | None = None
    taken: list[tuple[int, int]] = []
    for pat in rule.patterns:
        for m in pat.finditer(folded):
            if m.end() == m.start():
                continue
            if excused is None:
                # Read only for a line some pattern hits: most lines hit no rule, and the excuses
                # (<ASKS> in most rules) cost more than the patterns (check() over 1000 staff lines: 1.48 s -> 0.87 s of CPU)
                excused = [*hearsay, *(e.span() for u in rule.unless for e in u.finditer(folded))]
            if any(_overlaps(m.span(), e) for e in (*excused, *taken)):
                continue
            if negated_before(folded, m.start()):
                # 本行不保证投资本金尽数返还: whatever the rule, a hit its clause negates is not said
                continue
            if refused_after(folded, m.end()):
                # 卡和密码放我这保管不行的, 签空白合同这个不行: a refusal closing the hit's clause refuses it
                continue
            start, end = scope_of(folded, m.start(), m.end(), rule.rule.scope)
            if not _scope_allows(rule, folded[start:end], folded[after_last_turn(folded, start, end, m.start()):end]):
                continue
            taken.append(m.span())
    return [_flag(rule.rule, text, span) for span in _merge_spans(sorted(taken), folded)]


def _merge_spans(spans: list[tuple[int, int]], folded: str) -> list[tuple[int, int]]:
    """One flag per rule per line, so the same message is never shown twice for one line: hits in
    one sentence (保本保收益，稳赚不赔) become one quote spanning them; a hit in a later sentence of
    the same line is dropped (the first quote already shows the problem). Lines flag apart."""
    out: list[tuple[int, int]] = []
    for span in spans:
        if out and "\n" not in folded[out[-1][0]:span[0]]:
            if scope_of(folded, *out[-1], "sentence") == scope_of(folded, *span, "sentence"):
                out[-1] = (out[-1][0], max(out[-1][1], span[1]))
        else:
            out.append(span)
    return out


def _scope_allows(rule: Forbidden, scope_text: str, excuse_text: str) -> bool:
    """The hit's clause or sentence has a word the rule needs, and its part after the last turn
    (但是, 不过, 其实) has none that excuses it: 说保本违规，但这个跟保本一样 is still a promise."""
    if rule.nearby and not any(_found(p, scope_text) for p in rule.nearby):
        return False
    return not any(_found(p, excuse_text) for p in rule.unless_nearby)


@lru_cache(maxsize=4096)
def _found(pattern, text: str) -> bool:
    """`pattern` occurs in `text`: remembered, because every hit of every rule re-reads its sentence
    for the same excuses (<WARN> is in most rules' unless_nearby), and a line with many hits paid
    for each (p95 of a real staff line 4.6 → 8.8 ms before this)."""
    return pattern.search(text) is not None


def _missing_disclosure(rule: Disclosure, text: str, folded: str) -> Flag | None:
    """A flag at the first `when` match when none of `must_include_any` appears."""
    if any(p.search(folded) for p in rule.must):
        return None
    hits = [m for p in rule.when if (m := p.search(folded)) and m.end() > m.start()]
    return _flag(rule.rule, text, min(hits, key=lambda m: m.start()).span()) if hits else None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _flag(rule, text: str, span: tuple[int, int]) -> Flag:
    return Flag(rule.id, rule.title, rule.severity, rule.message, rule.safer, text[span[0]:span[1]], span,
                getattr(rule, "source", ""))
