"""The matcher's prepared library: every trigger normalized, segmented and in pinyin, plus an
inverted index of "units" with IDF weights. Built once and cached under `cache_dir`, keyed by a
hash of the trigger texts, so a one-shot `coach suggest` neither segments nor imports pypinyin.

Units are what a query and a trigger can share, in three namespaces:
- `t:` a content word (rjieba, stop words out), spelled in pinyin so homophone typos still meet;
- `b:` two adjacent characters, spelled in pinyin (受益 and 收益 are both `b:shou yi`);
- `u:` one character that is not a stop word, in pinyin, at `UNIGRAM_WEIGHT` (利息 / 利率 meet on 利);
- `p:` the same from phrase-aware pinyin (银行 → yin hang), for typed pinyin;
- `i:` two adjacent pinyin initials, for typed initials (dqtq).
A Chinese unit made only of function words (帮我, 一下, 是不是: see `textnorm.is_function`) is
the same unit behind `f:` at FUNCTION_WEIGHT: rare among the triggers, it is still no topic.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple, Sequence

from assistant.core.language import textnorm, topicprior
#: Bump when the prepared shape or the unit rules change.
PREP_VERSION = 10
#: IDF multiplier of single-character units: they add recall but say less than words and pairs.
UNIGRAM_WEIGHT = 0.7
#: IDF multiplier of function-word units (`f:`): 帮我查一下余额 reached a card through the 帮我 of
#: 单位帮我买了, whose IDF over the triggers made it look like content.
FUNCTION_WEIGHT = 0.4
#: The `source` of a line the branch remembered (记住这句). Such lines are cut with the other
#: triggers' words and add none of their own: taking one in or letting it go then changes no other
#: trigger's words, so `matchgrow` does it at once with the result a full `prepare` gives.
REMEMBERED = "remembered"


@dataclass(frozen=True)
class Entry:
    """One matchable trigger of one card."""

    card_id: str
    kind: str
    topic: str | None
    title: str
    trigger: str
    #: The `kind: triggers` file the line came from (its id), "" for a card's own trigger,
    #: "remembered" for a line the branch remembered (记住这句).
    source: str = ""


class Postings:
    """unit → the sorted indexes (of triggers, or of cards) holding it, and its IDF over them.
    Pickled packed (array bytes per unit, no IDF table): unpickling ~20k lists of ints and the
    IDF dicts cost every one-shot `coach suggest` ~40 ms. Unpickled, a unit is unpacked when a
    query first asks for it, and kept; built here, the lists are kept from the start."""

    __slots__ = ("packed", "n", "_lists", "_idf")

    def __init__(self, lists: Mapping[str, Sequence[int]], n: int):
        self.packed = {u: array("I", ix).tobytes() for u, ix in lists.items()}
        #: How many triggers (cards) were indexed.
        self.n = n
        self._lists: dict[str, list[int]] = dict(lists)
        #: unit → IDF (None: no trigger holds it), kept once asked: every query asks for each of
        #: its units (a log each) in two passes, and the common units come back in most queries.
        self._idf: dict[str, float | None] = {}

    def __getstate__(self):
        return self.packed, self.n

    def __setstate__(self, state) -> None:
        self.packed, self.n = state
        self._lists = {}
        self._idf = {}

    def replaced(self, changes: Mapping[str, bytes], n: int) -> "Postings":
        """A copy indexing `n` with these units' packed lists replaced (empty bytes drop the unit);
        the lists already unpacked are shared, never mutated (see `matchgrow`)."""
        out = Postings({}, n)
        out.packed, out._lists = dict(self.packed), dict(self._lists)
        for unit, raw in changes.items():
            out._lists.pop(unit, None)
            if raw:
                out.packed[unit] = raw
            else:
                out.packed.pop(unit, None)
        return out

    def get(self, unit: str, default=()):
        got = self._lists.get(unit)
        if got is None:
            raw = self.packed.get(unit)
            if raw is None:
                return default
            got = self._lists[unit] = array("I", raw).tolist()
        return got

    def __getitem__(self, unit: str) -> list[int]:
        got = self.get(unit, None)
        if got is None:
            raise KeyError(unit)
        return got

    def __contains__(self, unit: str) -> bool:
        return unit in self.packed

    def size(self, unit: str) -> int:
        """How many hold the unit (without unpacking it)."""
        return len(self.packed.get(unit, b"")) // _ITEM

    def __len__(self) -> int:
        return len(self.packed)

    def idf(self, unit: str) -> float | None:
        """The unit's IDF over the indexed (None when none holds it)."""
        try:
            return self._idf[unit]
        except KeyError:
            raw = self.packed.get(unit)
            got = self._idf[unit] = None if raw is None else idf(unit, self.n, len(raw) // _ITEM)
            return got


#: Bytes per packed index.
_ITEM = array("I").itemsize


def idf(unit: str, n: int, holding: int) -> float:
    """IDF of a unit `holding` of `n` triggers (cards) hold, single characters at UNIGRAM_WEIGHT."""
    return unit_weight(unit) * math.log((n + 1) / (holding + 0.5))


@dataclass
class Prepared:
    """Everything the matcher needs per trigger and per card, as flat lists (picklable)."""

    entries: list[Entry]
    #: Trigger index → card index; cards in order of first appearance.
    card_of: list[int]
    card_ids: list[str]
    #: Per trigger: character-level syllables, phrase-aware syllables, initials, pinyin'd tokens.
    syl: list[tuple[str, ...]]
    psyl: list[tuple[str, ...]]
    initials: list[str]
    #: Every word of the triggers (full rjieba); queries and triggers are cut with these only.
    vocabulary: frozenset[str]
    #: Per trigger: positions where a word starts or ends (for typed initials).
    bounds: list[frozenset[int]]
    tokpy: list[str]
    #: unit → trigger indexes / card indexes holding it, and its IDF over them.
    postings: Postings
    card_postings: Postings
    #: Per trigger and namespace group ("zh", "py", "in"): the summed IDF of its units.
    weight: dict[str, list[float]]
    #: Per card and namespace group: the summed card-IDF of its units.
    card_weight: dict[str, list[float]]
    #: The topic prior (see `topicprior.build`): unit → packed (topic, count) pairs; per topic its base.
    topic_counts: dict[str, bytes] = field(default_factory=dict)
    topic_base: list[tuple[str, float]] = field(default_factory=list)
    version: int = field(default=PREP_VERSION)

    @property
    def unseen_idf(self) -> float:
        return math.log((len(self.entries) + 1) / 0.5)

    @property
    def unseen_card_idf(self) -> float:
        return math.log((len(self.card_ids) + 1) / 0.5)


#: Which unit namespaces each kind of query uses.
GROUPS = {"zh": ("t:", "b:", "u:", "f:"), "py": ("p:",), "in": ("i:",)}


def bigrams(prefix: str, items: Sequence[str]) -> set[str]:
    return {f"{prefix}{a} {b}" for a, b in zip(items, items[1:])}


def chinese_units(norm: str, syl: Sequence[str], words: Iterable[tuple[str, str]]) -> set[str]:
    """Units of a normalized Chinese text: its words ((word, pinyin) pairs), character pairs and
    characters, in pinyin; those made only of function words behind `f:`."""
    fn = textnorm.is_function
    units = {f"{'f:' if fn(w) else ''}t:{p}" for w, p in words}
    units |= {f"{'f:' if fn(norm[k:k + 2]) else ''}b:{a} {b}" for k, (a, b) in enumerate(zip(syl, syl[1:]))}
    return units | {f"{'f:' if fn(c) else ''}u:{s}" for c, s in zip(norm, syl) if c not in textnorm.STOP_WORDS}


def trigger_units(norm, syl, psyl, words, initials) -> dict[str, set[str]]:
    return {
        "zh": chinese_units(norm, syl, words),
        "py": bigrams("p:", psyl) | bigrams("p:", syl),
        "in": bigrams("i:", initials),
    }


def pinyin_tokens(words: Iterable[str]) -> list[str]:
    """Each word spelled in character-level pinyin (so 受益 and 收益 are one word)."""
    return ["".join(textnorm.syllables(w)) for w in words]


def word_bounds(norm: str, segmenter) -> frozenset[int]:
    """Character positions where a word (stop words included) starts or ends."""
    edges = {0, len(norm)}
    for _, start, end in segmenter.word_spans(norm):
        edges.update((start, end))
    return frozenset(edges)


class Row(NamedTuple):
    """One trigger prepared: what `Prepared` keeps of it, and its units by namespace group."""

    syl: tuple[str, ...]
    psyl: tuple[str, ...]
    initials: str
    bounds: frozenset[int]
    tokpy: str
    units: dict[str, set[str]]


def prepare_row(trigger: str, segmenter) -> Row:
    """Normalize (not dialect-folded: see textnorm.DIALECT), segment and spell one trigger."""
    norm = textnorm.normalize(trigger)
    s, ps = textnorm.syllables(norm), textnorm.phrase_syllables(norm)
    words = [w for w, _, _ in segmenter.token_spans(norm)]
    toks = pinyin_tokens(words)
    ini = "".join(x[:1] for x in ps)
    return Row(tuple(s), tuple(ps), ini, word_bounds(norm, segmenter), " ".join(toks), trigger_units(norm, s, ps, zip(words, toks), ini))


def prepare(entries: Sequence[Entry]) -> Prepared:
    """Normalize, segment and spell every trigger; build the inverted index and IDF weights."""
    card_index: dict[str, int] = {}
    card_of = [card_index.setdefault(e.card_id, len(card_index)) for e in entries]
    # Remembered lines add no words (see REMEMBERED): they are cut like the queries they were.
    vocabulary = frozenset(w for e in entries if e.source != REMEMBERED
                           for w, _, _ in textnorm.word_spans(textnorm.normalize(e.trigger)))
    segmenter = textnorm.Segmenter(vocabulary)
    rows = [prepare_row(e.trigger, segmenter) for e in entries]
    prep = Prepared(
        entries=list(entries), card_of=card_of, card_ids=list(card_index), syl=[r.syl for r in rows],
        psyl=[r.psyl for r in rows], initials=[r.initials for r in rows], vocabulary=vocabulary,
        bounds=[r.bounds for r in rows], tokpy=[r.tokpy for r in rows],
        postings=Postings({}, 0), card_postings=Postings({}, 0), weight={}, card_weight={},
    )
    _index(prep, [r.units for r in rows])
    return prep


def unit_weight(unit: str) -> float:
    if unit.startswith("f:"):
        return FUNCTION_WEIGHT * unit_weight(unit[2:])
    return UNIGRAM_WEIGHT if unit.startswith("u:") else 1.0


def _index(prep: Prepared, units: list[dict[str, set[str]]]) -> None:
    n_cards = len(prep.card_ids)
    card_units: list[dict[str, set[str]]] = [defaultdict(set) for _ in range(n_cards)]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, groups in enumerate(units):
        for group, us in groups.items():
            card_units[prep.card_of[i]][group] |= us
            for u in us:
                postings[u].append(i)
    card_postings: dict[str, list[int]] = defaultdict(list)
    for c, groups in enumerate(card_units):
        for u in set().union(*groups.values()) if groups else ():
            card_postings[u].append(c)
    n = len(units)
    prep.postings = Postings(postings, n)
    prep.card_postings = Postings(card_postings, n_cards)
    trigger_idf = {u: idf(u, n, len(ix)) for u, ix in postings.items()}
    card_idf = {u: idf(u, n_cards, len(ix)) for u, ix in card_postings.items()}
    prep.weight = group_weights(units, trigger_idf)
    prep.card_weight = group_weights(card_units, card_idf)
    prep.topic_counts, prep.topic_base = topicprior.build([e.topic for e in prep.entries], postings)


def group_weights(units: Sequence[Mapping[str, Iterable[str]]], unit_idf: Mapping[str, float], ordered: bool = False) -> dict[str, list[float]]:
    """Per namespace group, each trigger's (card's) summed IDF, summed in the units' sorted order
    (`ordered`: they come sorted): a set's own order varies with its history and the hash seed,
    and a library grown by `matchgrow` must weigh to the last bit as a fresh one does."""
    look, order = unit_idf.__getitem__, (lambda us: us) if ordered else sorted
    return {g: [sum(map(look, order(groups[g]))) if g in groups else 0.0 for groups in units] for g in GROUPS}


def library_entries(library) -> list[Entry]:
    """The matchable triggers of a library: every card's own, then those of
    `kind: triggers` files."""
    entries = [Entry(ref.id, ref.kind, ref.card.topic, ref.card.title, t) for ref in library.matchable_cards() for t in ref.card.triggers]
    # A staff-side card's title names the job it helps with (怎么挖需求：问到家庭、顾虑和配置) in a
    # marketer's words, written by nobody reading the real corpus: dev with the concept members
    # of the held-out sources left out (eval_match --unread) marketer top-3 63.1 → 63.8 %.
    entries += [Entry(ref.id, ref.kind, ref.card.topic, ref.card.title, ref.card.title) for ref in library.matchable_cards()
                if ref.kind != "objection" and ref.card.title not in ref.card.triggers]
    for fref in library.files_of("triggers") if hasattr(library, "files_of") else ():
        for card_id, lines in fref.model.triggers.items():
            ref = library.cards.get(card_id)
            if ref is not None and ref.card.topic:
                entries.extend(Entry(ref.id, ref.kind, ref.card.topic, ref.card.title, t, fref.model.id) for t in lines)
    return entries


# ------------------------------------------------------------------ cache


def cache_key(entries: Sequence[Entry]) -> str:
    # The unit rules' data too: an edited stop-word or function list must not reuse stale units.
    rules = (UNIGRAM_WEIGHT, FUNCTION_WEIGHT, sorted(textnorm.STOP_WORDS), sorted(textnorm.FUNCTION_CHARS), sorted(textnorm.DIALECT.items()))
    h = hashlib.sha256(f"v{PREP_VERSION}/t{textnorm.TABLES_VERSION}/{rules}".encode())
    for e in entries:
        h.update("\x1f".join((e.card_id, e.kind, e.topic or "", e.title, e.trigger, e.source)).encode())
        h.update(b"\x1e")
    return h.hexdigest()[:24]


def load_or_prepare(entries: Sequence[Entry], use_cache: bool = True) -> Prepared:
    """The prepared library, from `cache_dir` when the same triggers were prepared before."""
    path = _cache_path(cache_key(entries)) if use_cache else None
    if path is not None:
        try:
            with open(path, "rb") as fh:
                cached = pickle.load(fh)
            if isinstance(cached, Prepared) and cached.version == PREP_VERSION:
                return cached
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass
    prep = prepare(entries)
    if path is not None:
        textnorm.save_pickle(path, prep)
        _prune(path)
    return prep


#: Prepared libraries kept in the cache (the current one, and a few others: branch folders).
KEEP_CACHED = 8  # prepared triggers and their concept profiles, a few libraries each


def _prune(current) -> None:
    """Drop the oldest prepared libraries: every playbook edit makes a new one."""
    import contextlib
    import os

    with contextlib.suppress(OSError):
        older = sorted(current.parent.glob("matcher-*.pickle"), key=os.path.getmtime, reverse=True)
        for stale in older[KEEP_CACHED:]:
            if stale != current:
                stale.unlink(missing_ok=True)


def _cache_path(key: str):
    try:
        from assistant.paths import get_paths

        return get_paths().cache_dir / f"matcher-{key}.pickle"
    except Exception:  # no data dir: work in memory
        return None
