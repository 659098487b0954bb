"""Match what a customer or marketer said to the cards of the library.

Chinese-aware: the query is normalized (full-width, traditional, case, punctuation), segmented
(rjieba) and spelled in pinyin, so typos, homophones (受益/收益), traditional characters, missing
punctuation, typed pinyin (qunbuhuoyue) and initials (dqtq) all find their card.

Two passes. First an inverted index of units (see `matchprep`) gives every trigger sharing one
with the query an IDF-weighted overlap: how much of the trigger the query covers and how much of
the query the trigger explains. Then the best `SHORTLIST` triggers are rescored with rapidfuzz
(sequence ratio over syllables, token_set_ratio over words), each card keeps its best trigger,
and a card-level overlap (the query against all of a card's triggers together) is blended in.
Scores are 0–100; below `cutoff` nothing is returned, so "nothing fits" is a real answer. A line
that only acknowledges, greets or thanks (好的 / 嗯嗯 / 谢谢, see `textnorm.is_acknowledgement`)
gets nothing either: it has no topic, whatever card happens to share its 好. Equal scores are
ordered by how much of the trigger the query covers, then by card id (see `Matcher._rank`).

Built with a `ConceptIndex` (`Matcher.from_library` does), the matcher also reads meaning: the
query's concepts (see `concepts`; a negated one at NEGATED_STRENGTH) are compared with each card's concept
profile, IDF-weighted over cards, and that share fills part of the gap between the lexical score
and 100 (`conceptcards.CONCEPT_SHARE`). So 「钱放你们这儿我晚上睡不着」 finds the risk card through `worry`
although no trigger shares its words, and a card reached only through concepts still shows.

A marketer's question about what a customer said (客户说「利率太低」怎么回, 客户嫌手续费高怎么办)
is read twice: whole, and its situation alone as the customer would say it (see `frames`); each
objection card keeps the better score, so the frame's staff words do not hide the card that answers.

With a learned topic opinion (`learnedtopic`, set by `Matcher.from_library`), a line whose top
card is a guess gets the model's best other topic in third place, dimmed, and a line the model reads
as small talk keeps only sure cards (see `Matcher._with_learned`).

Every result has a `tier`: "sure" at `sure` or above, else "maybe" (shown dimmed, 可能是).
Both thresholds were calibrated on the labelled set and the dev half of the real corpus with
scripts/eval_match.py --calibrate, never on the test half.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

from assistant.core.language import errands, frames, learnedtopic, textnorm, topicprior
from assistant.core.language.concepts import ConceptIndex
from assistant.core.language.conceptcards import ConceptCards, EitherLabels
from assistant.core.language.voice import settled, voice
from assistant.core.language.matchprep import Entry, Postings, unit_weight, Prepared, bigrams, chinese_units, load_or_prepare, pinyin_tokens
# Re-exported: callers (scripts, remembered lines) take the library's entries from here.
from assistant.core.language.matchprep import library_entries  # noqa: F401

#: Calibrated on tests/data/utterances.yaml with scripts/eval_match.py (off-topic lines stay below).
DEFAULT_CUTOFF = 32.0
#: A card is "sure" at or above this score and at least SURE_GAP ahead of every card of another
#: topic; the rest above the cutoff are "maybe" (scripts/eval_match.py --calibrate, on dev only).
#: Dev source-CV favours 72 (95.4 % on 108 lines vs 94.3 % on 70 at 75), but on lines that were
#: never triggers (--first-look on collectors e and g) 72 gives 84.2 % of 19 and 75 gives 92.3 % of
#: 13: lines nobody has read decide, so 75.
DEFAULT_SURE = 75.0
SURE_GAP = 10.0
#: How many triggers (best first-pass overlap) are rescored with rapidfuzz.
SHORTLIST = 120
#: The same for the situation inside a marketer's question (objection cards only).
INNER_SHORTLIST = 40
#: Picking the best n of up to this many × n candidates, a sort beats a heap (see `_largest`).
SORT_UP_TO = 16
#: A unit held by more than this share of the triggers (and at least COMMON_MIN) brings no
#: candidates of its own (客户 would make thousands of triggers candidates); it still counts for
#: the triggers found through rarer units.
COMMON_SHARE = 0.01
COMMON_MIN = 300
#: Weight of the card-level overlap in a card's score.
CARD_SHARE = 0.3
#: A Chinese query's trigger score: shares of unit overlap, syllable ratio and token_set_ratio.
ZH_MIX = (0.5, 0.3, 0.2)
#: > 1 leans on covering the trigger rather than explaining every word of the query.
BETA = 2.0
#: A card of the other side than the line's voice (see `voice`: a customer's concern vs a
#: marketer's question) keeps this share of its score: a lean between close topics, not a filter.
VOICE_LEAN = 0.85
#: `kind: triggers` files of lines we wrote ourselves in customers' voices (playbooks/triggers/
#: own-voice.yaml, not real): whole chatty sentences, so a short line shares an incidental word
#: with them (我吃过饭了 → 吃过亏了, 我要换一张新卡 → 换一张新卡工本费五块…). A card whose best trigger
#: is one of theirs shows only when the line shares a concept with the card or it scores at least
#: OWN_VOICE_MIN. Dev --unread none → any 48.4 → 44.5 %, customer top-3 73.1 → 72.5 %; labelled
#: off-topic lines given a card 15.6 → 6.2 %; on the held-out own-voice sets cw3 / cw7 none → any
#: 52 / 62 → 38 / 52 % (as without the lines), customer top-3 88.6 / 93.3 → 82.2 / 88.3 % (75.6 /
#: 78.9 % without the lines). 50 kept two more chit-chat lines' cards, 65 cost top-3. Making such a card never "sure" was tried: dev --unread
#: sure precision 92.9 → 94.5 %, but on the held-out own-voice sets cw3 93.5 % of 155 → 89.9 % of 69.
OWN_VOICE_FILES = frozenset({"own-voice"})
OWN_VOICE_MIN = 60.0
#: A card whose best trigger is an own-voice line failing that gate still shows through its best
#: other trigger when that one scores at least this (see `Matcher._gated`): before, the gate hid
#: the card its own triggers would show. With cw1–cw10 as own voice (eval_match --unread, 2026-12-07):
#: held-out own-voice customer top-3 86.8 → 88.3 %, top-1 78.3 → 79.6 %, marketer top-3 92.6 →
#: 93.6 %, none → any 46 → 47 %; dev --unread unchanged. At 0 (any shown card): held-out top-3 89.9 %,
#: but dev --unread none → any 45.6 → 46.7 % and labelled off-topic lines with a card 9.4 → 12.5 %
#: (明天几点开会 → cd-sold-out on 点开, too-busy on 开会); 40 the same labelled line, held-out 89.6 %.
OWN_FALLBACK_MIN = 45.0


@dataclass(frozen=True)
class Match:
    """A card that fits the query, with the trigger that fit best and where the query matched."""

    card_id: str
    kind: str
    topic: str | None
    title: str
    #: 0–100.
    score: float
    #: The trigger that matched (the explanation shown to the user).
    matched: str
    #: (start, end) character ranges of the original query that matched, for highlighting and
    #: shown as 命中: whole words, the concept members that signal the card first (see `evidence_spans`).
    spans: tuple[tuple[int, int], ...]
    #: "sure" (show as the answer) or "maybe" (show dimmed, labelled 可能是).
    tier: str = "sure"
    #: Labels of the concepts the query and the card share (why a paraphrase found it).
    concepts: tuple[str, ...] = ()
    #: Placed by the learned topic opinion (`_with_learned`), not by its score: a caller merging
    #: several searches keeps its place instead of ranking it by its (low) lexical score.
    learned: bool = False


@dataclass(frozen=True)
class Query:
    """A query prepared once: its normalized text, how it maps back, and its units."""

    text: str
    norm: str
    index: list[int]
    #: "zh" (Chinese or mixed), "py" (typed full pinyin) or "in" (typed initials).
    mode: str
    syl: tuple[str, ...]
    tokpy: str
    #: (pinyin'd word, start, end) over `norm`, for spans.
    words: tuple[tuple[str, int, int], ...]
    units: frozenset[str]
    #: (start, end) over `norm` of every word, stop words included (see `_content_positions`).
    cuts: tuple[tuple[int, int], ...] = ()


def prepare_query(text: str, segmenter=None) -> Query:
    """Normalize, segment (with `segmenter`, default full rjieba) and spell a query once."""
    norm, index = textnorm.normalize_for_match(text)
    if textnorm.is_ascii_query(norm):
        split = textnorm.split_pinyin(norm)
        if split:
            return Query(text, norm, index, "py", split, "", (), frozenset(bigrams("p:", split)))
        return Query(text, norm, index, "in", tuple(norm), "", (), frozenset(bigrams("i:", norm)))
    syl = tuple(textnorm.syllables(norm))
    cut = segmenter.word_spans(norm) if segmenter else textnorm.word_spans(norm)
    spans = [t for t in cut if t[0] not in textnorm.STOP_WORDS]
    words = tuple((p, s, e) for p, (_, s, e) in zip(pinyin_tokens(w for w, _, _ in spans), spans))
    tokpy = " ".join(w for w, _, _ in words)
    units = chinese_units(norm, syl, ((w, p) for (w, _, _), (p, _, _) in zip(spans, words)))
    return Query(text, norm, index, "zh", syl, tokpy, words, frozenset(units), tuple((s, e) for _, s, e in cut))


def _f_scores(shared: dict[int, float], q_weight: float, t_weight: list[float]) -> dict[int, float]:
    """Per trigger, the weighted harmonic mean (see BETA: customers ramble) of how much of the query
    (s / Q) and how much of the trigger (s / T) its shared IDF `s` covers; one loop, not a call per
    candidate (hundreds per query). (1 + β²)·(s/Q)·(s/T) / (β²·s/Q + s/T) is (1 + β²)·s / (β²·T + Q):
    one division per trigger, and no guard: Q > 0, and s = 0 gives 0 (a trigger with no units, T = 0,
    shares none). 0.5 → 0.3 ms per call for 3,000 candidates."""
    b2 = BETA * BETA
    k = 1 + b2
    return {i: k * s / (b2 * t_weight[i] + q_weight) for i, s in shared.items()}


def _ratios(query, choices: list, scorer) -> list[float]:
    """scorer(query, choice) for every choice, in order, in one rapidfuzz call (a call per
    trigger cost twice as much); an empty choice scores 0."""
    out = [0.0] * len(choices)
    for _, score, at in process.extract(query, choices, scorer=scorer, limit=None):
        out[at] = score
    return out


def _largest(n: int, scores: dict[int, float]) -> list[int]:
    """`heapq.nlargest(n, scores, key=scores.__getitem__)`, which is documented to equal this
    sort, ties included: the sort (in C) is cheaper up to some thousands of candidates."""
    if len(scores) <= SORT_UP_TO * n:
        return sorted(scores, key=scores.__getitem__, reverse=True)[:n]
    return heapq.nlargest(n, scores, key=scores.__getitem__)


class Matcher:
    """Ranks cards for a line of text. Build once per library; `search` is cheap and thread-safe."""

    def __init__(self, entries: Iterable[Entry | tuple], cutoff: float = DEFAULT_CUTOFF, *, use_cache: bool = True,
                 concepts: ConceptIndex | None = None, named: dict[str, list[str]] | None = None, sure: float = DEFAULT_SURE):
        self.entries = [e if isinstance(e, Entry) else Entry(*e) for e in entries]
        #: Scores below this are not a match.
        self.cutoff = cutoff
        #: Scores at or above this are "sure"; the rest above `cutoff` are "maybe".
        self.sure = sure
        self.prep: Prepared = load_or_prepare(self.entries, use_cache=use_cache)
        #: Queries are cut with the triggers' own words, like the triggers were.
        self.segmenter = textnorm.Segmenter(self.prep.vocabulary)
        self.prior = topicprior.Prior(self.prep.topic_counts, self.prep.topic_base)
        self.concepts = concepts
        #: card id → concepts its `concepts:` field names (kept to build a sibling matcher).
        self.named = named or {}
        self._concept_cards = (ConceptCards(concepts, self.entries, self.prep, named, use_cache)
                               if concepts and len(concepts) else None)
        #: Per trigger its card's kind (the situation pass keeps objection triggers only).
        self._kinds = [e.kind for e in self.prep.entries]
        #: Per trigger whether it is one of our own-voice lines (see OWN_VOICE_FILES).
        self._own = [e.source in OWN_VOICE_FILES for e in self.prep.entries]
        #: A common unit's postings as a set, made when a query first needs it (see `_add_common`).
        self._members: dict[tuple[bool, str], frozenset[int]] = {}
        #: The learned topic opinion (see `learnedtopic`), None: the matcher reads alone.
        self.topic_model = None
        #: Indexes of triggers the topic model never learned from (a branch's cards and trigger
        #: files, remembered lines): its small-talk gate spares them (see `_with_learned`).
        self._untaught: frozenset[int] = frozenset()
        self._homes: dict[str | None, dict[str, tuple[int, int]]] = {}
        #: Each trigger's units read back from the index, kept once `with_remembered` needs them.
        self._grower = None

    @classmethod
    def from_library(cls, library, cutoff: float = DEFAULT_CUTOFF, *, use_cache: bool = True, extra: Iterable[Entry] = ()) -> "Matcher":
        """Every trigger of every matchable card of a loaded `Library` (plus `kind: triggers` files
        and `extra` entries, e.g. the branch's remembered lines), read with its concepts."""
        from assistant.core.language.concepts import named_concepts

        entries = library_entries(library) + list(extra)
        if not hasattr(library, "files_of"):  # a stand-in holding only cards
            return cls(entries, cutoff, use_cache=use_cache)
        concepts = ConceptIndex.from_library(library)
        matcher = cls(entries, cutoff, use_cache=use_cache, concepts=concepts, named=named_concepts(library))
        matcher.topic_model = learnedtopic.shipped_model()
        matcher._untaught = _untaught(library, matcher.prep.entries)
        return matcher

    def with_remembered(self, extra: Iterable[Entry]) -> "Matcher":
        """This matcher with `extra` (the branch's remembered lines, source "remembered", oldest
        first) as its remembered lines instead of those it holds, scoring exactly as
        `from_library(library, extra=extra)` would; ~0.2 s CPU where a build takes 5–10 s (see `matchgrow`).
        A new matcher: this one may be searching on another thread."""
        import copy

        from assistant.core.language import matchgrow

        extra = list(extra)
        if any(e.source != matchgrow.REMEMBERED for e in extra):
            raise ValueError("with_remembered takes remembered lines only (source 'remembered')")
        if self._grower is None:
            self._grower = matchgrow.Grower.read(self.prep)
        prep, grower, keep = matchgrow.regrow(self.prep, self._grower, extra, self.segmenter)
        new = copy.copy(self)
        new.entries, new.prep, new._grower, new._members, new._homes = list(prep.entries), prep, grower, {}, {}
        new.prior = topicprior.Prior(prep.topic_counts, prep.topic_base)
        new._kinds = [e.kind for e in prep.entries]
        new._own = [e.source in OWN_VOICE_FILES for e in prep.entries]
        if self._concept_cards is not None:
            profiles = matchgrow.concept_profiles(self._concept_cards, self.prep, prep, grower, keep, self.named)
            new._concept_cards = ConceptCards(self.concepts, new.entries, prep, self.named, profiles=profiles)
        if self.topic_model is not None:  # built from a library: the model never saw a remembered line
            new._untaught = frozenset({i for i in self._untaught if i < keep} | set(range(keep, len(prep.entries))))
        return new

    def ready_to_grow(self) -> None:
        """Read back what `with_remembered` needs of this matcher's index (~0.5 s, once) and load
        the pinyin tables a new line is spelled with, ahead of the marketer's F8."""
        from assistant.core.language import matchgrow

        if self._grower is None:
            self._grower = matchgrow.Grower.read(self.prep)
        textnorm.phrase_syllables("记住")

    def search(self, text: str, kind: str | None = None, top: int = 3) -> list[Match]:
        """The best `top` cards (one best trigger each) scoring at least `cutoff`, best first."""
        q = prepare_query(text, self.segmenter)
        if not q.units or textnorm.is_acknowledgement(q.norm):
            return []
        said = voice(text)
        scored, overlaps, shared, fallback = self._scored(q, text, kind, said)
        inner = frames.situation(text) if q.mode == "zh" and kind in (None, "objection") else None
        if inner is not None:
            scored, overlaps, shared, fallback = self._with_situation(inner, kind, scored, overlaps, shared, fallback)
        scored = self._gated(scored, shared, fallback)
        scored.sort(key=lambda si: self._rank(si[0], overlaps.get(si[1], 0.0), si[1]))
        tiers = sure_tiers([(score, self.prep.entries[i].topic) for score, i in scored[:top]], self.sure, scored, self.prep.entries)
        thanks = no_guesses(text, q.norm, said)
        to_staff = said == "customer" and any(ch in q.norm for ch in "你您")
        kinds = self._kinds
        shown = [(score, i, tier) for (score, i), tier in zip(scored[:top], tiers)
                 if score >= self.cutoff and (tier == "sure" or shows_guess(to_staff, thanks, kinds[i]))]
        if shown and settled(said, kinds[shown[0][1]]):  # a customer's line: no staff-side guess
            shown = [x for x in shown if x[2] == "sure" or kinds[x[1]] == "objection"]
        by_words = {i for _, i, _ in shown}
        if self.topic_model is not None and q.mode == "zh":
            shown = self._with_learned(q, shown, scored, kind, lambda i: shows_guess(to_staff, thanks, kinds[i]))[:top]
        said_at = self.concepts.said_at(text) if shown and self._concept_cards is not None else {}
        return [self._match(q, score, i, shared, tier, said_at, learned=i not in by_words) for score, i, tier in shown]

    def _backed(self, score: float, i: int, shared) -> bool:
        """Whether a card whose best trigger is `i` may show: an own-voice line (OWN_VOICE_FILES)
        needs a concept the line shares with the card, or OWN_VOICE_MIN."""
        return not self._own[i] or score >= OWN_VOICE_MIN or score < self.cutoff or bool(shared.get(self.prep.card_of[i]))

    def _gated(self, scored: list[tuple[float, int]], shared, fallback: dict[int, tuple[float, int]]) -> list[tuple[float, int]]:
        """`scored` with each card whose best trigger is an own-voice line failing `_backed` read
        through its best other trigger instead (`fallback`) when that scores OWN_FALLBACK_MIN, else
        left out: the gate drops a line, not the card its own triggers would show."""
        out = []
        for score, i in scored:
            if self._backed(score, i, shared):
                out.append((score, i))
            elif (alt := fallback.get(self.prep.card_of[i])) is not None and alt[0] >= OWN_FALLBACK_MIN:
                out.append(alt)
        return out

    def _with_situation(self, inner: frames.Situation, kind, scored, overlaps, shared, fallback):
        """Merge in the customer-side cards for the situation a marketer's question describes
        (see `frames`): read as the customer would say it, each objection card keeps the better
        of its two scores (a bare state, not the customer's own words, at VOICE_LEAN); the
        staff-side cards keep their score for the whole question."""
        qi = prepare_query(inner.text, self.segmenter)
        if not qi.units:
            return scored, overlaps, shared, fallback
        # The second pass costs a search on the slowest lines (p99 3.4 → 6.3 ms as a full one):
        # objection triggers only, dropped before the common units' pass, and a shorter shortlist.
        inner_scored, inner_overlaps, inner_shared, inner_fallback = self._scored(
            qi, inner.text, "objection", "customer", shortlist=INNER_SHORTLIST)
        card_of, entries = self.prep.card_of, self.prep.entries
        best = {card_of[i]: (s, i) for s, i in scored}
        taken, lean = set(), 1.0 if inner.voiced else VOICE_LEAN
        for s, i in inner_scored:
            c, s = card_of[i], s * lean
            if entries[i].kind == "objection" and s > best.get(c, (0.0, 0))[0]:
                best[c] = (s, i)
                taken.add(c)
        fallback = dict(fallback)
        for c, (s, i) in inner_fallback.items():
            if s * lean > fallback.get(c, (0.0, 0))[0]:
                fallback[c] = (s * lean, i)
        return list(best.values()), {**overlaps, **inner_overlaps}, EitherLabels(shared, inner_shared, taken), fallback

    def _scored(self, q: Query, text: str, kind: str | None, said: str | None, shortlist: int = SHORTLIST):
        """(score, trigger) per card for a prepared query read in voice `said`, with the
        first-pass overlaps, the shared concept labels, and per card whose best trigger is an
        own-voice line its (score, trigger) through its best other trigger (see `_gated`)."""
        overlaps = self._first_pass(q, kind, shortlist)
        best: dict[int, tuple[float, int]] = {}
        other: dict[int, tuple[float, int]] = {}
        short = _largest(shortlist, overlaps)
        card_of, own = self.prep.card_of, self._own
        for i, s in zip(short, self._rescored(q, short, overlaps)):
            if s <= 0:
                continue
            c = card_of[i]
            if c not in best or s > best[c][0]:
                best[c] = (s, i)
            if not own[i] and (c not in other or s > other[c][0]):
                other[c] = (s, i)
        card_cover = self._card_cover(q, best)
        mixed = lambda cards: {c: ((1 - CARD_SHARE) * s + CARD_SHARE * 100 * card_cover.get(c, 0.0), i) for c, (s, i) in cards.items()}
        lexical = mixed(best)
        # No concept blend for the fallback: it only stands in for a card sharing no concept
        # with the line, whose score the blend leaves as it is.
        fallback = mixed({c: other[c] for c, (_, i) in best.items() if own[i] and c in other})
        shared: dict[int, tuple[str, ...]] = {}
        if self._concept_cards is not None:
            lexical, shared = self._concept_cards.blend(text, lexical, overlaps, kind)
        if q.mode == "zh":
            prior = self.prior.posterior(q.units)
            topic_of = lambda i: self.prep.entries[i].topic
            lexical = topicprior.lean(lexical, prior, topic_of, self.cutoff, self.sure)
            fallback = topicprior.lean(fallback, prior, topic_of, self.cutoff, self.sure)
        return self._lean(said, lexical), overlaps, shared, {card_of[i]: (s, i) for s, i in self._lean(said, fallback)}

    def _with_learned(self, q: Query, shown: list[tuple[float, int, str]], scored: list[tuple[float, int]], kind: str | None,
                      may_guess) -> list[tuple[float, int, str]]:
        """`shown` with the learned topic opinion's word (see `learnedtopic`): a line it reads as
        small talk (P(none) ≥ HIDE_AT) keeps only sure cards (and those of triggers the model never
        saw); when the top card is a guess, the
        third place goes to the topic the model ranks first among those not in the first two
        (P ≥ ADD_AT), through its best-scoring card, dimmed. It never makes a card sure, never
        reorders the matcher's first two, and adds nothing where the matcher shows nothing."""
        p = self.topic_model.probabilities(q.norm)
        if not p:
            return shown
        if p.get(learnedtopic.NONE, 0.0) >= learnedtopic.HIDE_AT:
            # The model knows only the built-in playbooks' words: a branch's card is not small talk to it.
            shown = [x for x in shown if x[2] == "sure" or x[1] in self._untaught]
        if not shown or shown[0][2] == "sure":
            return shown
        entries = self.prep.entries
        keep = shown[:learnedtopic.SLOT]
        have = {entries[i].topic for _, i, _ in keep}
        homes = self._topic_homes(kind)
        ranked = sorted((t for t in p if t in homes and t not in have), key=lambda t: (-p[t], t))
        if not ranked or p[ranked[0]] < learnedtopic.ADD_AT:
            return shown
        topic = ranked[0]
        score, i = next(((s, i) for s, i in scored if entries[i].topic == topic), (0.0, homes[topic][1]))
        return keep + [(score, i, "maybe")] if may_guess(i) else shown

    def hides_guesses(self, text: str) -> bool:
        """Whether `text` shows no dimmed card at all (see `no_guesses`): Live asks it of a long line
        whose clauses, read alone, found cards."""
        return no_guesses(text, textnorm.normalize_for_match(text)[0], voice(text))

    def opinion(self, text: str) -> dict[str, float]:
        """The learned topic opinion of all of `text` (topic → P, see `learnedtopic`): Live judges by
        it the cards one clause of a long line found (a clause alone lacks what the rest of the line
        says). {} without a model, for typed pinyin, or a line the model knows no gram of."""
        if self.topic_model is None:
            return {}
        norm = textnorm.normalize_for_match(text)[0]
        return {} if textnorm.is_ascii_query(norm) else self.topic_model.probabilities(norm)

    def _topic_homes(self, kind: str | None) -> dict[str, tuple[int, int]]:
        """topic → (card, its first trigger) of the topic's card with the most triggers (of `kind`):
        where the learned opinion shows a topic no trigger of the line reached."""
        homes = self._homes.get(kind)
        if homes is None:
            count: dict[tuple[str, int], list[int]] = defaultdict(list)
            for i, e in enumerate(self.prep.entries):
                if e.topic and (kind is None or e.kind == kind):
                    count[(e.topic, self.prep.card_of[i])].append(i)
            homes = {}
            for (topic, c), ix in sorted(count.items(), key=lambda kv: (-len(kv[1]), kv[0])):
                homes.setdefault(topic, (c, next((j for j in ix if not self._own[j]), ix[0])))
            self._homes[kind] = homes
        return homes

    def _lean(self, said: str | None, cards: dict[int, tuple[float, int]]) -> list[tuple[float, int]]:
        """(score, trigger) per card, a card of the other side than the line's voice (`said`)
        scaled by VOICE_LEAN (objection cards answer customers, every other kind answers staff)."""
        if said is None:
            return list(cards.values())
        entries = self.prep.entries
        return [(s * VOICE_LEAN if (entries[i].kind == "objection") != (said == "customer") else s, i) for s, i in cards.values()]

    def _rank(self, score: float, overlap: float, i: int) -> tuple:
        """Sort key, best first. Scores that look equal (to the 0.1 shown) tie; then the card whose
        trigger the query covers more wins (wxq: 微信群分层 over 挖需求的时候问什么问题比较好;
        dqtx: the whole of 到期提醒), then the card id, so the library's order never decides."""
        return (-round(score, 1), -round(overlap, 6), self.prep.entries[i].card_id)

    # ------------------------------------------------------------ scoring

    def _first_pass(self, q: Query, kind: str | None = None, shortlist: int = SHORTLIST) -> dict[int, float]:
        """IDF-weighted overlap (0–1) for the triggers (of `kind`) sharing a unit with the query:
        rarer units bring the candidates, the best few then get the common units' weight too."""
        prep = self.prep
        shared, q_weight, common = self._shared(q, prep.postings, prep.unseen_idf)
        if kind:  # before the common units' pass: its cost grows with the candidates
            kinds = self._kinds
            shared = {i: v for i, v in shared.items() if kinds[i] == kind}
        t_weight = prep.weight[q.mode]
        if common:
            if len(shared) > 4 * shortlist:  # the common units' pass costs per candidate: the best only
                shared = {i: shared[i] for i in _largest(4 * shortlist, _f_scores(shared, q_weight, t_weight))}
            shared = self._add_common(common, prep.postings, shared)
        return _f_scores(shared, q_weight, t_weight)

    def _rescored(self, q: Query, short: list[int], overlaps: dict[int, float]) -> list[float]:
        """The second-pass score of each shortlisted trigger, in `short`'s order."""
        prep = self.prep
        if q.mode == "zh":
            sylr = _ratios(q.syl, [prep.syl[i] for i in short], fuzz.ratio)
            tset = _ratios(q.tokpy, [prep.tokpy[i] for i in short], fuzz.token_set_ratio) if q.tokpy else [0.0] * len(short)
            w_overlap, w_sylr, w_tset = ZH_MIX
            return [100 * w_overlap * overlaps[i] + w_sylr * r + w_tset * t for i, r, t in zip(short, sylr, tset)]
        if q.mode == "py":
            return [60 * overlaps[i] + 0.4 * r for i, r in zip(short, _ratios(q.syl, [prep.psyl[i] for i in short], fuzz.ratio))]
        # Typed initials abbreviate a card's own words; inside a whole own-voice sentence they
        # match by chance (wxq: 我想取五万现金 for 微信群).
        own = self._own
        return [0.0 if own[i] else initials_score(q.norm, prep.initials[i], prep.bounds[i]) for i in short]

    def _card_cover(self, q: Query, best: dict[int, tuple[float, int]]) -> dict[int, float]:
        """How much of the query all triggers of a card cover together (card-level IDF)."""
        prep = self.prep
        shared, q_weight, common = self._shared(q, prep.card_postings, prep.unseen_card_idf, best)
        shared = self._add_common(common, prep.card_postings, shared, keep=[c for c in best if c not in shared])
        return {c: s / q_weight for c, s in shared.items()}

    def _shared(self, q: Query, postings: Postings, unseen: float, keep=None):
        """For each trigger (or card, only those in `keep`) the summed IDF of the units it shares
        with the query, the query's own summed IDF (a unit never seen counts as rare), and the
        common units (unit, weight) left out of the sums."""
        shared: dict[int, float] = defaultdict(float)
        q_weight, common = 0.0, []
        limit = max(COMMON_MIN, int(COMMON_SHARE * len(self.entries))) if keep is None else 4 * len(keep)
        for u in q.units:
            w = postings.idf(u) or unseen * unit_weight(u)
            q_weight += w
            if postings.size(u) > limit:
                common.append((u, w))
            elif keep is None:
                for i in postings.get(u, ()):
                    shared[i] += w
            else:
                for i in postings.get(u, ()):
                    if i in keep:
                        shared[i] += w
        if not shared and common and keep is None:  # only common words: let the rarest bring candidates
            shared = dict.fromkeys(postings[min(common, key=lambda uw: postings.size(uw[0]))[0]], 0.0)
        return shared, q_weight or 1.0, common

    def _add_common(self, common: list, postings: Postings, shared: dict, keep=()) -> dict:
        """`shared` with the common units' weight added where the trigger (card) holds them."""
        candidates = [*shared, *keep]  # once: `shared` grows in the loop (no double counting)
        get = shared.get
        for u, w in common:
            members = self._member_set(postings, u)
            for i in candidates:
                if i in members:
                    shared[i] = get(i, 0.0) + w
        return shared

    def _member_set(self, postings: Postings, unit: str) -> frozenset[int]:
        """The postings of a common unit as a set, kept: a common unit comes back in most queries."""
        key = (postings is self.prep.postings, unit)
        members = self._members.get(key)
        if members is None:
            members = self._members[key] = frozenset(postings[unit])
        return members

    # ------------------------------------------------------------ results

    def _match(self, q: Query, score: float, i: int, shared: dict[int, tuple[str, ...]], tier: str,
               said_at: dict[str, list[tuple[int, int]]], learned: bool = False) -> Match:
        e, c = self.prep.entries[i], self.prep.card_of[i]
        postings = self._concept_cards.postings if self._concept_cards is not None else {}
        decided = [span for cid, spans in said_at.items() if c in postings.get(cid, ()) for span in spans]
        spans = evidence_spans(decided, query_spans(q, self.prep.syl[i], self.prep.tokpy[i]))
        score = round(min(score, 100.0), 1)
        return Match(e.card_id, e.kind, e.topic, e.title, score, e.trigger, spans, tier, shared.get(c, ()), learned)


def _untaught(library, entries: Sequence[Entry]) -> frozenset[int]:
    """Indexes of `entries` the shipped topic model never learned from: scripts/train_topic_model.py
    trains on the built-in playbooks' triggers only, so a branch's cards and trigger files and the
    remembered lines (source "remembered") are new words to it."""
    from pathlib import Path

    from assistant.paths import BUILTIN_PLAYBOOKS

    builtin = BUILTIN_PLAYBOOKS.resolve()
    files = {f.id for f in library.files.values() if Path(f.path).resolve().is_relative_to(builtin)}
    cards = {ref.id for ref in library.cards.values() if ref.file_id in files}
    return frozenset(i for i, e in enumerate(entries) if e.card_id not in cards or (e.source and e.source not in files))


def sure_tiers(shown: list[tuple[float, str | None]], sure: float, scored, entries) -> list[str]:
    """"sure" for a shown card scoring at least `sure` and SURE_GAP ahead of the best card of any
    other topic (two topics close together is a guess, however high); else "maybe"."""
    out = []
    for score, topic in shown:
        rival = next((s for s, i in scored if entries[i].topic != topic), 0.0)
        out.append("sure" if score >= sure and score - rival >= SURE_GAP else "maybe")
    return out


def no_guesses(text: str, norm: str, said: str | None) -> bool:
    """Thanks (not a marketer's), an errand or relief (see `errands`) is answered by no card: such
    a line shows no guess, only a sure card."""
    return (said != "marketer" and textnorm.only_thanks(norm)) or errands.no_concern(text)


def shows_guess(to_staff: bool, thanks: bool, kind: str) -> bool:
    """Whether a "maybe" card of `kind` shows. Not for a customer's thanks (small talk, see
    `textnorm.only_thanks`; also a counter errand, relief or staff talking to an elder customer,
    see `errands.no_concern`), nor a staff-side card for a customer talking to the staff (customer
    voice and 你/您: 大爷,还有多少零钱,你全部拿来吧 reached segment_senior on 大爷): a guess across
    sides is noise; a sure card always shows. A line with only 我 may be a marketer's own story
    (很多人问我,怎么制定群组活跃度的提升计划?), so it keeps its guesses. Dev --unread: none → any
    45.7 → 42.2 %, customer and marketer top-3 unchanged."""
    return not thanks and not (to_staff and kind != "objection")


def initials_score(typed: str, initials: str, bounds: frozenset[int]) -> float:
    """Typed initials must appear as they are; better when they start and end on word edges and
    span few words (kcb is 开场白, not 开车+不), and when they cover more of the trigger."""
    best, start = 0.0, initials.find(typed)
    while start >= 0:
        end = start + len(typed)
        inner = sum(1 for b in bounds if start < b < end)
        edges = 15 * (start in bounds) + 10 * (end in bounds)
        score = 60 + edges + 10 / (1 + inner) + 5 * len(typed) / len(initials)
        best, start = max(best, score), initials.find(typed, start + 1)
    return best


def evidence_spans(decided: Iterable[tuple[int, int]], lexical: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """A card's 命中 over the original query: the ranges whose concept members signal the card
    (`decided`: the words that made a paraphrase score) first, then the other words it shares with
    the card's trigger (`lexical`), each group left to right; overlapping ranges merge (touching
    ones stay two words: 媳妇、急用). First because a card shows only its first few (assistant/ui:
    命中 lists four)."""
    merged: list[list[int]] = []
    for a, b in sorted([*decided, *lexical]):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    key = [(a, b) for a, b in decided]
    holds = lambda ab: any(ab[0] <= a and b <= ab[1] for a, b in key)  # noqa: E731
    ranges = [(a, b) for a, b in merged]
    return tuple([r for r in ranges if holds(r)] + [r for r in ranges if not holds(r)])


def query_spans(q: Query, target_syl: Sequence[str], target_tokpy: str) -> list[tuple[int, int]]:
    """Where the original query matched a target: runs of ≥ 2 characters with the same pinyin in
    the same order, and whole words the target also has, as whole content words (see
    `_content_positions`). The whole query for typed pinyin."""
    if not q.norm:
        return []
    if q.mode != "zh":
        return textnorm.spans_from_positions(range(len(q.norm)), q.index)
    from rapidfuzz.distance import Indel

    positions: set[int] = set()
    for op in Indel.opcodes(q.syl, tuple(target_syl)):
        if op.tag == "equal" and op.src_end - op.src_start >= 2:
            positions.update(range(op.src_start, op.src_end))
    words = set(target_tokpy.split())
    for w, start, end in q.words:
        if w in words:
            positions.update(range(start, end))
    spans = textnorm.spans_from_positions(_content_positions(q, positions), q.index)
    return [(a, b) for a, b in spans if not is_filler(q.text[a:b])]


def _content_positions(q: Query, positions: set[int]) -> set[int]:
    """The matched `positions` (over `q.norm`) shown as evidence, word by word (`q.cuts`): a word
    matched whole, or in part when what is left out is function words (要取 → 取); never half a
    content word (a run ending inside 儿子 shows no 子). Function words stay between two kept
    words of one run (收益太低, 理财会不会亏本), not at its ends (急用的, 我要退群 → 退群)."""
    units: list[tuple[int, int, bool]] = []  # (start, end, filler) of each kept word
    for start, end in q.cuts:
        got = [p for p in range(start, end) if p in positions]
        if not got:
            continue
        if len(got) < end - start and not all(q.norm[p] in FILLER_CHARS for p in range(start, end) if p not in positions):
            continue
        units.append((got[0], got[-1] + 1, is_filler(q.norm[got[0]:got[-1] + 1])))
    out: set[int] = set()
    run: list[tuple[int, int, bool]] = []
    for unit in [*units, (-1, -1, True)]:  # a sentinel closes the last run
        if run and unit[0] != run[-1][1]:
            content = [k for k, (_, _, filler) in enumerate(run) if not filler]
            if content:
                out.update(range(run[content[0]][0], run[content[-1]][1]))
            run = []
        run.append(unit)
    return out


#: A matched span made only of function words (不, 我要, 是不是, 怎么办, 咋整) is no evidence of a
#: topic, so it is not shown as 命中 or highlighted.
FILLER_CHARS = textnorm.FUNCTION_CHARS


def is_filler(span: str) -> bool:
    """Whether a matched span holds only function words, particles and punctuation."""
    core = [ch for ch in span if not ch.isspace() and ch.isalnum()]
    return all(ch in FILLER_CHARS for ch in core)


# ------------------------------------------------------------------ transcript search


@dataclass(frozen=True)
class TextHit:
    """A text that contains the query's words: its index in the list, a 0–100 score (how much of
    the query it holds) and the (start, end) ranges of the text to highlight."""

    index: int
    score: float
    spans: tuple[tuple[int, int], ...]


def search_texts(query: str, texts: Sequence[str], cutoff: float = 60.0, top: int | None = None) -> list[TextHit]:
    """Texts (e.g. transcript lines) holding most of a Chinese query, in any order, with typos,
    homophones and traditional characters; best first. For a handful to a few thousand lines."""
    q = prepare_query(query)
    if q.mode != "zh" or not q.units:
        return []
    weights = {u: unit_weight(u) for u in q.units}
    total = sum(weights.values())
    hits = []
    for i, text in enumerate(texts):
        norm, index = textnorm.normalize_with_map(text)
        syl = textnorm.syllables(norm)
        said = [w for w, _, _ in textnorm.token_spans(norm)]
        units = chinese_units(norm, syl, zip(said, pinyin_tokens(said)))
        score = 100 * sum(w for u, w in weights.items() if u in units) / total
        if score >= cutoff:
            hits.append(TextHit(i, round(score, 1), tuple(_text_spans(q, syl, index))))
    hits.sort(key=lambda h: (-h.score, h.index))
    return hits[:top] if top else hits


def _text_spans(q: Query, text_syl: Sequence[str], index: list[int]) -> list[tuple[int, int]]:
    """Where the text holds the query: runs of ≥ 2 same-pinyin characters (1 for a 1-char query)."""
    from rapidfuzz.distance import Indel

    shortest = 1 if len(q.syl) == 1 else 2
    positions: set[int] = set()
    for op in Indel.opcodes(q.syl, tuple(text_syl)):
        if op.tag == "equal" and op.dest_end - op.dest_start >= shortest:
            positions.update(range(op.dest_start, op.dest_end))
    return textnorm.spans_from_positions(positions, index)
