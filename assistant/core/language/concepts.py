"""Concepts: the many ways customers say one thing (亏 / 赔 / 缩水 / 打水漂 → `loss`), as data.

`playbooks/concepts.yaml` (kind `concepts`; a branch folder may add its own file, merged by
concept id) lists each concept's members and the topics it signals. `ConceptIndex.hits(text)`
finds members in a line (after `textnorm.normalize`, so full-width, traditional and case do not
matter), marking a hit the line negates (「我不担心」, 「不是没钱」) — 「会不会亏」 asks, it does
not negate. A member may have a gap, `利息…低`: its two parts in that order, at most `GAP`
characters apart in one clause, so it also says 利息太低, 利息也太低了, 利息怎么这么低 (and 利息不低
is a negated hit: the gap ends with a negator). `ConceptIndex.card_profiles(entries)` says how strongly each concept signals each
card: fully when the card names it (`concepts:` on the card) or the concept names the card's
topic, partly when the card's own triggers use its members. So a branch's own card is reached
through concepts without any code change. The matcher blends this with its lexical score;
coverage, scoring and the simulated customer read `hits` for meaning.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from assistant.core.language import aspect, textnorm

#: A concept signalled only through a card's triggers: weight per share of its triggers holding
#: a member, capped (a word in one trigger of twenty says little about the card).
DERIVED_SLOPE = 1.5
DERIVED_CAP = 0.6
#: A member's strength by its length (index = characters, the last for any longer): one character
#: (亏, 怕, 忙) hints, two (开会, 密码) say more, three or more (睡不着, 打水漂) say it.
MEMBER_STRENGTH = (0.0, 0.5, 0.7, 1.0)
#: How strongly a line's tone alone (see `aspect.TONE`) signals its concept.
TONE_STRENGTH = 0.7
#: A negated member still names the topic of the line, only less surely: 「不保本的我不买」 is a
#: demand for 保本, 「不是不信你」 is about trust; 「我不担心」 says little (see `strengths`).
NEGATED_STRENGTH = 0.5
#: A line that asks (？, or ends on 吗 / 吧 / 么 / 嘛): a negated member there is what the customer
#: wants confirmed, not denied: 「真的不会亏吗」「你们银行不会倒闭吧」「没有手续费吗」 are about
#: loss, failure, fees at full strength (see `strengths`).
_ASKS = re.compile(r"[?？]|[吗吧么嘛][\W_]*$")
#: Negators that, right before a member in the same clause, deny it (不担心, 没亏, 并不怕).
_NEGATORS = ("并不", "从不", "从没", "毫不", "没有", "不用", "不必", "不会", "不是", "不怕", "别", "不", "没", "未", "无", "唔", "冇")
#: Words that may stand between the negator and the member (不太担心, 没怎么亏, 一点也不怕).
_PAD = re.compile(r"(?:太|怎么|很|大|再|那么|这么|多少|什么|算|咋)$")
#: Where a clause ends: a negation never reaches past these.
_BREAK = re.compile(r"[，,。！!？?；;：:、\n…~～\s]")
#: What splits a gapped member (利息…低) into its two parts.
GAP_MARK = re.compile(r"…+|\.\.\.+")
#: How many characters (normalized) may stand between the two parts of a gapped member.
GAP = 4


@dataclass(frozen=True)
class ConceptSpec:
    """One concept as the index uses it (merged over every concepts file of the library)."""

    id: str
    label: str
    members: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class ConceptHit:
    """A member of a concept found in a line: (start, end) index the original text."""

    concept_id: str
    member: str
    start: int
    end: int
    #: The line denies it (我不担心 / 一点都不亏): it is not what the customer is worried about.
    negated: bool = False


class ConceptIndex:
    """Finds concept members in text; build once per library (cheap: a dict by first character)."""

    def __init__(self, concepts: Iterable[ConceptSpec]):
        #: concept id → spec, in file order.
        self.concepts: dict[str, ConceptSpec] = {c.id: c for c in concepts}
        by_first: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
        for c in self.concepts.values():
            for member in c.members:
                head, tail = split_member(member)
                if head:
                    by_first[head[0]].append((head, c.id, member, tail))
        for items in by_first.values():
            items.sort(key=lambda x: -len(x[0]) - len(x[3]))  # longest first: 利息太低 before 利息低
        self._by_first = dict(by_first)
        #: The matcher reads a line's signals to score it and again for the 命中 of the cards it
        #: shows (`said_at`): the last few lines' are kept (lru_cache is thread-safe).
        self._signals = lru_cache(maxsize=8)(self._read_signals)
        #: topic code → concept ids that signal it.
        self.by_topic: dict[str, list[str]] = defaultdict(list)
        for c in self.concepts.values():
            for t in c.topics:
                self.by_topic[t].append(c.id)

    @classmethod
    def from_library(cls, library) -> "ConceptIndex":
        """Every `kind: concepts` file of a loaded `Library`, merged by concept id (later folders
        add members and topics). Cached on the library."""
        cached = library.derived.get("concepts")
        if cached is None:
            cached = library.derived["concepts"] = cls(merged_concepts(library))
        return cached

    def __len__(self) -> int:
        return len(self.concepts)

    def label(self, concept_id: str) -> str:
        spec = self.concepts.get(concept_id)
        return spec.label if spec else concept_id

    # ------------------------------------------------------------ finding

    def hits(self, text: str) -> list[ConceptHit]:
        """Every concept member in `text`, left to right; per concept and place the longest."""
        norm, index = textnorm.normalize_for_match(text)
        found = self._scan(norm, _clauses(text, index))
        out = []
        for start, end, cid, member, gap_neg in found:
            o_start, o_end = index[start], index[end - 1] + 1
            out.append(ConceptHit(cid, member, o_start, o_end, gap_neg or _negated(text, o_start, member)))
        return out

    def _scan(self, norm: str, clause: list[int]) -> list[tuple[int, int, str, str, bool]]:
        """(start, end, concept, member, negated inside its gap) over `norm`; `clause` numbers
        each character's clause (a gapped member never spans two)."""
        found: list[tuple[int, int, str, str, bool]] = []
        reach: dict[str, int] = {}  # concept → end of its last hit (drop hits inside it)
        for i, ch in enumerate(norm):
            for head, cid, raw, tail in self._by_first.get(ch, ()):
                if not norm.startswith(head, i):
                    continue
                end, gap_neg = i + len(head), False
                if tail:
                    at = norm.find(tail, end, end + GAP + len(tail))
                    if at < 0 or clause[at] != clause[i]:
                        continue
                    gap_neg = _denies(norm[end:at])
                    end = at + len(tail)
                if end > reach.get(cid, -1):
                    found.append((i, end, cid, raw, gap_neg))
                    reach[cid] = end
        return found

    def strengths(self, text: str) -> dict[str, float]:
        """Concept id → how clearly the line says it (0–1): its longest non-negated member,
        by length (MEMBER_STRENGTH): 睡不着 says worry more surely than 怕, 开会 than 忙. A negated
        member counts NEGATED_STRENGTH, unless the line asks (see `_ASKS`)."""
        return self.clause_strengths(text)[0]

    def clause_strengths(self, text: str) -> tuple[dict[str, float], list[dict[str, float]]]:
        """`strengths` of the whole line, and the same per clause (split at `_BREAK`) for the
        clauses saying anything: the narration around a concern dilutes the whole line's share."""
        out: dict[str, float] = {}
        clauses: dict[int, dict[str, float]] = {}
        for h, cid, s in self._signals(text):
            one = clauses.setdefault(len(_BREAK.findall(text, 0, h.start)), {})
            out[cid] = max(out.get(cid, 0.0), s)
            one[cid] = max(one.get(cid, 0.0), s)
        # Rates compared with the past (比去年少, 越来越不够看) are rates going down, said in
        # any words: as strong as a two-character member. Unread dev customer top-1 55.4 → 56.6 %,
        # top-3 63.7 → 64.9 %; none lines and sure cards unchanged.
        for cid, topic in aspect.COMPARED.items():
            at = aspect.compared_to_past(text, topic) if cid in self.concepts and cid not in out else None
            if at is not None:
                out[cid] = clauses.setdefault(len(_BREAK.findall(text, 0, at)), {})[cid] = MEMBER_STRENGTH[2]
        # A grievance against the bank (see `aspect.aggrieved`) leans to a complaint, whatever its matter.
        for cid in aspect.TONE:
            at = aspect.aggrieved(text) if cid in self.concepts and cid not in out else None
            if at is not None:
                out[cid] = clauses.setdefault(len(_BREAK.findall(text, 0, at)), {})[cid] = TONE_STRENGTH
        return out, list(clauses.values())

    def _read_signals(self, text: str) -> tuple[tuple[ConceptHit, str, float], ...]:
        """(hit, concept id it signals, strength) for every member the matcher reads in `text`:
        the outermost hits (see `_outermost`), a negated one at NEGATED_STRENGTH unless the line
        asks (see `_ASKS`), read through `aspect` (a hit may signal another concept, or two)."""
        asks = bool(_ASKS.search(text.strip()))
        out = []
        for h in _outermost(self.hits(text)):
            strength = member_strength(h.member) * (NEGATED_STRENGTH if h.negated and not asks else 1.0)
            if strength <= 0:
                continue
            also = aspect.REALIZED.get(h.concept_id)
            # A loss told as done (亏了, 竟然出现亏本) is also a loss that happened (see `aspect`),
            # as strong as its member said with its 了. Unread dev (eval_match --unread) customer
            # top-1 53.9 → 54.6 %, top-3 63.5 → 63.7 %; none lines and sure cards unchanged.
            # 没到期 of a wealth product is its lock-up, of a deposit an early withdrawal (see `aspect.INSTEAD`).
            said = aspect.instead(h.concept_id, text)
            out.append((h, said if said in self.concepts else h.concept_id, strength))
            if also in self.concepts and not h.negated and aspect.told_done(text, h.start, h.end):
                out.append((h, also, member_strength(h.member + "了")))
        return tuple(out)

    def said_at(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Concept id → the (start, end) ranges of `text` whose members signal it, as the matcher
        reads them (`strengths`): the words shown as 命中 for a card found through that concept.
        A concept signalled by a line's tone or a comparison (see `aspect`) has no words here."""
        out: dict[str, list[tuple[int, int]]] = {}
        for h, cid, _ in self._signals(text):
            out.setdefault(cid, []).append((h.start, h.end))
        return out

    def weights(self, text: str) -> dict[str, int]:
        """Concept id → how many times the line says it, negated hits left out."""
        out: dict[str, int] = {}
        for h in self.hits(text):
            if not h.negated:
                out[h.concept_id] = out.get(h.concept_id, 0) + 1
        return out

    # ------------------------------------------------------------ cards

    def card_profiles(self, entries: Sequence, named: Mapping[str, Sequence[str]] | None = None,
                      examples: dict[tuple[str, str], int] | None = None) -> dict[str, dict[str, float]]:
        """card id → {concept id: 0–1}: 1 when the card names the concept or the concept names
        the card's topic; else the share of the card's triggers holding a member (scaled, capped).
        `entries` are the matcher's (card_id, topic, trigger); `named` the cards' `concepts:`.
        `examples`, when given, is filled with (card id, concept id) → the index in `entries` of
        the card's first trigger saying it (to show why a paraphrase found the card)."""
        triggers: dict[str, list[tuple[int, str]]] = defaultdict(list)
        topics: dict[str, str | None] = {}
        for i, e in enumerate(entries):
            triggers[e.card_id].append((i, e.trigger))
            topics.setdefault(e.card_id, e.topic)
        profiles: dict[str, dict[str, float]] = {}
        for card_id, lines in triggers.items():
            counts: dict[str, int] = defaultdict(int)
            for i, line in lines:
                for cid in self.weights(line):
                    counts[cid] += 1
                    if examples is not None:
                        examples.setdefault((card_id, cid), i)
            profile = {cid: min(DERIVED_CAP, DERIVED_SLOPE * n / len(lines)) for cid, n in counts.items()}
            for cid in [*self.by_topic.get(topics[card_id] or "", ()), *((named or {}).get(card_id, ()))]:
                if cid in self.concepts:
                    profile[cid] = 1.0
            profiles[card_id] = profile
        return profiles


def _outermost(hits: list[ConceptHit]) -> list[ConceptHit]:
    """Hits not lying inside a longer hit of another concept: 存款保险 is deposit insurance, not
    保险 too (the longer word is what was said). Only for the matcher's strengths: coverage and compliance read every hit.
    Dev source-CV: customer top-1 71.7 → 72.6 %, sure precision 93.5 → 93.9 %, top-3 unchanged."""
    return [h for h in hits if not any(o.concept_id != h.concept_id and o.start <= h.start and h.end <= o.end
                                       and o.end - o.start > h.end - h.start for o in hits)]


def split_member(member: str) -> tuple[str, str]:
    """A member's two normalized parts: (利息, 低) for 利息…低; (member, "") without a gap."""
    parts = GAP_MARK.split(member, maxsplit=1)
    head = textnorm.normalize_for_match(parts[0])[0]
    return head, (textnorm.normalize_for_match(parts[1])[0] if len(parts) > 1 and head else "")


def member_strength(member: str) -> float:
    """How much one member says on its own: MEMBER_STRENGTH by its normalized length."""
    n = len(textnorm.normalize(member))
    return MEMBER_STRENGTH[min(n, len(MEMBER_STRENGTH) - 1)]


def concept_idf(profiles: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """concept id → IDF over cards, counting a card by how strongly the concept signals it."""
    df: dict[str, float] = defaultdict(float)
    for profile in profiles.values():
        for cid, w in profile.items():
            df[cid] += w
    n = len(profiles)
    return {cid: math.log((n + 1) / (d + 0.5)) for cid, d in df.items()}


def merged_concepts(library) -> list[ConceptSpec]:
    """The library's concepts files merged by id, in folder order (members and topics added)."""
    merged: dict[str, ConceptSpec] = {}
    for ref in library.files_of("concepts"):
        for c in ref.model.concepts:
            prev = merged.get(c.id)
            if prev is None:
                merged[c.id] = ConceptSpec(c.id, c.label, tuple(dict.fromkeys(c.members)), tuple(dict.fromkeys(c.topics)))
            else:
                members = tuple(dict.fromkeys([*prev.members, *c.members]))
                topics = tuple(dict.fromkeys([*prev.topics, *c.topics]))
                merged[c.id] = ConceptSpec(c.id, c.label or prev.label, members, topics)
    return list(merged.values())


def named_concepts(library) -> dict[str, list[str]]:
    """card id → the concepts its `concepts:` field names."""
    return {ref.id: list(ref.card.concepts) for ref in library.cards.values() if getattr(ref.card, "concepts", None)}


def _clauses(text: str, index: list[int]) -> list[int]:
    """For each normalized character (mapped to `text` by `index`), the number of its clause."""
    marks, n = [], 0
    for ch in text:
        n += bool(_BREAK.match(ch))
        marks.append(n)
    return [marks[i] for i in index]


def _denies(gap: str) -> bool:
    """Whether the words between a gapped member's parts deny it: 利息(也不算)低, 收益(没那么)高."""
    before = _PAD.sub("", gap)
    return any(before.endswith(neg) for neg in _NEGATORS)


def _negated(text: str, start: int, member: str) -> bool:
    """Whether the clause denies the member right before it: 不担心, 没怎么亏, 一点也不怕.
    A-not-A (会不会亏, 亏不亏) asks; a member that is itself negative (不放心, 没钱) is not
    flipped by what comes before it."""
    if member[:1] in "不没无未别":
        return False
    left = start
    while left > 0 and not _BREAK.match(text[left - 1]) and start - left < 8:
        left -= 1
    before = _PAD.sub("", text[left:start])
    for neg in _NEGATORS:
        if before.endswith(neg):
            at = left + len(before) - len(neg)
            # 会不会 / 是不是 / 有没有: the same character on both sides of 不/没 asks.
            return not (neg[0] in "不没唔冇" and 0 < at < len(text) - 1 and text[at - 1] == text[at + 1])
    return False
