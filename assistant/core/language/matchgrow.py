"""Remembered lines (记住这句) taken into a built matcher at once, with the scores a full build gives.

A full build prepares every trigger again (10–12 s on the shipped library); here only the new line
is prepared (normalized, cut with the library's words, spelled) and the index is updated around it:
the postings of its units, every trigger's and card's IDF weight (the trigger count changed, so
every IDF did), the topic prior's counts, and the concept profile of its card. Removing a line is
the same operation: the remembered lines sit last (`Matcher.from_library` appends them), so the
index is cut back to the first line that changed and the lines after it are taken in again, from
what the old index holds of them.

Equal to a full build by construction, checked by tests/core/language/test_matchgrow.py: the same
postings, topic counts and concept profiles, and weights summed with `math.fsum` (exact, so the
order a set yields its units in does not matter). Remembered lines add no words to the segmenter
(`matchprep.REMEMBERED`), so no other trigger is cut differently.

What the old index holds per trigger (its units) is read back from the postings once per matcher
(`Grower`, ~0.5 s CPU; the app does it while F8 is offered) and handed on to the matcher grown from it.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import Counter
from typing import Sequence

from assistant.core.language import textnorm, topicprior
from assistant.core.language.matchprep import GROUPS, REMEMBERED, Entry, Prepared, Row, group_weights, prepare_row, unit_weight

#: Namespace prefix → group (see `matchprep.GROUPS`); an `f:` unit is read by what follows it.
_GROUP_OF = {ns: g for g, spaces in GROUPS.items() for ns in spaces}


def group_of(unit: str) -> str:
    return _GROUP_OF[unit[:2]] if unit[:2] in _GROUP_OF else _GROUP_OF[unit[2:4]]


class Grower:
    """Each trigger's and card's units by namespace group as sorted tuples (read back from a
    prepared library's postings), each topic's unit count for the topic prior, each unit's
    `unit_weight`, and each trigger's concepts once asked."""

    def __init__(self, triggers: list[dict[str, tuple[str, ...]]], cards: list[dict[str, tuple[str, ...]]], totals: list[int],
                 scale: dict[str, float], concepts: dict[int, tuple[str, ...]] | None = None):
        self.triggers, self.cards, self.totals = triggers, cards, totals
        #: unit → `matchprep.unit_weight` (shared by the growers grown from this one).
        self.scale = scale
        #: trigger index → its concept ids (see `ConceptIndex.weights`), kept once read.
        self.concepts = concepts or {}

    @classmethod
    def read(cls, prep: Prepared) -> "Grower":
        scale = {u: unit_weight(u) for u in prep.postings.packed}
        return cls(_units(prep.postings, len(prep.entries)), _units(prep.card_postings, len(prep.card_ids)), _totals(prep), scale)


def _units(postings, n: int) -> list[dict[str, tuple[str, ...]]]:
    """index → group → the units holding it, inverted from packed postings (not unpacked for good)."""
    out: list[dict[str, list[str]]] = [{g: [] for g in GROUPS} for _ in range(n)]
    for unit, raw in sorted(postings.packed.items()):
        g = group_of(unit)
        for i in array("I", raw):
            out[i][g].append(unit)
    return [{g: tuple(us) for g, us in groups.items()} for groups in out]


def _sorted(units: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
    return {g: tuple(sorted(units.get(g, ()))) for g in GROUPS}


def _totals(prep: Prepared) -> list[int]:
    return _totals_of(prep.topic_counts, len(prep.topic_base))


def remembered_start(entries: Sequence[Entry]) -> int:
    """Where the remembered lines begin (they are last); len(entries) when there are none."""
    n = len(entries)
    while n and entries[n - 1].source == REMEMBERED:
        n -= 1
    return n


def row_of(prep: Prepared, grower: Grower, i: int) -> Row:
    """Trigger `i` as `prepare_row` made it."""
    return Row(prep.syl[i], prep.psyl[i], prep.initials[i], prep.bounds[i], prep.tokpy[i], {g: set(us) for g, us in grower.triggers[i].items()})


def regrow(prep: Prepared, grower: Grower, extra: Sequence[Entry], segmenter):
    """(prepared, grower, keep) for `prep`'s triggers up to its remembered lines plus `extra`
    (remembered lines, in order): the lines both share at the start are kept (`keep` triggers),
    the rest taken in, prepared only when `prep` does not hold them already."""
    start = remembered_start(prep.entries)
    tail = prep.entries[start:]
    same = 0
    while same < min(len(tail), len(extra)) and tail[same] == extra[same]:
        same += 1
    held = {e: start + k for k, e in enumerate(tail)}
    rows = [(e, row_of(prep, grower, held[e]) if e in held else prepare_row(e.trigger, segmenter)) for e in extra[same:]]
    new, grown = retail(prep, grower, start + same, rows)
    return new, grown, start + same


def retail(prep: Prepared, grower: Grower, keep: int, rows: list[tuple[Entry, Row]]) -> tuple[Prepared, Grower]:
    """`prep` cut back to its first `keep` triggers, then `rows` appended: a new Prepared (the old
    one is in use by searches on other threads and stays as it was)."""
    entries = prep.entries[:keep] + [e for e, _ in rows]
    old_cards = max(prep.card_of[:keep], default=-1) + 1  # cards are numbered by first appearance
    index = {cid: c for c, cid in enumerate(prep.card_ids[:old_cards])}
    card_of = prep.card_of[:keep] + [index.setdefault(e.card_id, len(index)) for e, _ in rows]
    units = grower.triggers[:keep] + [_sorted(r.units) for _, r in rows]
    touched = {u for groups in grower.triggers[keep:] for us in groups.values() for u in us}
    touched |= {u for _, r in rows for us in r.units.values() for u in us}
    for u in touched - grower.scale.keys():
        grower.scale[u] = unit_weight(u)
    lists = {u: _trigger_list(prep.postings.packed.get(u, b""), keep, rows, u) for u in touched}
    postings = prep.postings.replaced(lists, len(entries))
    changed = {prep.card_of[i] for i in range(keep, len(prep.entries))} | {card_of[i] for i in range(keep, len(entries))}
    card_units, card_postings, moved = _cards(prep, grower, card_of, units, changed, len(index))
    topic_counts, topic_base, totals = _prior(prep, grower, [e.topic for e in entries], lists)
    scale = grower.scale
    new = Prepared(
        entries=entries, card_of=card_of, card_ids=list(index), syl=prep.syl[:keep] + [r.syl for _, r in rows],
        psyl=prep.psyl[:keep] + [r.psyl for _, r in rows], initials=prep.initials[:keep] + [r.initials for _, r in rows],
        vocabulary=prep.vocabulary, bounds=prep.bounds[:keep] + [r.bounds for _, r in rows],
        tokpy=prep.tokpy[:keep] + [r.tokpy for _, r in rows], postings=postings, card_postings=card_postings,
        weight=group_weights(units, _idf_table(postings, scale), ordered=True),
        card_weight=_card_weights(prep, card_units, card_postings, scale, changed, moved),
        topic_counts=topic_counts, topic_base=topic_base)
    concepts = {i: c for i, c in grower.concepts.items() if i < keep}
    return new, Grower(units, card_units, totals, scale, concepts)


def _trigger_list(raw: bytes, keep: int, rows: list[tuple[Entry, Row]], unit: str) -> bytes:
    """The unit's packed postings: the kept triggers holding it, then the new ones (not unpacked:
    a common unit's list holds thousands)."""
    g = group_of(unit)
    old = array("I", raw)
    new = array("I", (keep + k for k, (_, r) in enumerate(rows) if unit in r.units[g]))
    return raw[:bisect.bisect_left(old, keep) * old.itemsize] + new.tobytes()


def _cards(prep: Prepared, grower: Grower, card_of: list[int], units, changed: set[int], n_cards: int):
    """(per card its units, card postings, the units held by more or fewer cards) with the cards
    in `changed` read again from their triggers and the cards past `n_cards` (only remembered
    lines held them) gone."""
    empty = {g: () for g in GROUPS}
    cards = grower.cards[:n_cards] + [empty] * (n_cards - len(grower.cards))
    changed = {c for c in changed if c < n_cards}
    before = [grower.cards[c] for c in changed if c < len(grower.cards)] + grower.cards[n_cards:]
    merged: dict[int, dict[str, set[str]]] = {c: {g: set() for g in GROUPS} for c in changed}
    for i, c in enumerate(card_of):
        if c in merged:
            for g, us in units[i].items():
                merged[c][g].update(us)
    for c, groups in merged.items():
        cards[c] = _sorted(groups)
    touched = {u for groups in before for us in groups.values() for u in us}
    touched |= {u for c in changed for us in cards[c].values() for u in us}
    lists = {}
    for u in touched:
        g = group_of(u)
        held = [c for c in array("I", prep.card_postings.packed.get(u, b"")) if c < n_cards and c not in changed]
        held += [c for c in changed if u in merged[c][g]]
        lists[u] = array("I", sorted(held)).tobytes()
    moved = {u for u, raw in lists.items() if len(raw) != len(prep.card_postings.packed.get(u, b""))}
    return cards, prep.card_postings.replaced(lists, n_cards), moved


def _idf_table(postings, scale: dict[str, float], units=None) -> dict[str, float]:
    """unit → its IDF over `postings` (all units, or those in `units`): `matchprep.idf`'s
    expression with its two factors looked up, the unit's weight (`scale`) and the log, which
    depends only on how many hold the unit: one dict pass instead of a call per unit (48k units)."""
    item, n, packed = array("I").itemsize, postings.n, postings.packed
    chosen = packed if units is None else {u: packed[u] for u in units}
    logs = {size: math.log((n + 1) / (size // item + 0.5)) for size in {len(raw) for raw in chosen.values()}}
    return {u: scale[u] * logs[len(raw)] for u, raw in chosen.items()}


def _card_weights(prep: Prepared, cards, postings, scale, changed: set[int], moved: set[str]) -> dict[str, list[float]]:
    """Per group each card's summed card-IDF: with as many cards as before, only the cards whose
    units changed or that hold a unit whose count of cards changed (`moved`) are summed again."""
    if postings.n != len(prep.card_ids):
        return group_weights(cards, _idf_table(postings, scale), ordered=True)
    again = sorted(set(changed) | {c for u in moved for p in (postings, prep.card_postings) for c in array("I", p.packed.get(u, b""))})
    table = _idf_table(postings, scale, {u for c in again for us in cards[c].values() for u in us})
    out = {g: list(ws) for g, ws in prep.card_weight.items()}
    for g, ws in group_weights([cards[c] for c in again], table, ordered=True).items():
        for c, w in zip(again, ws):
            out[g][c] = w
    return out


def _prior(prep: Prepared, grower: Grower, topics: list[str | None], lists: dict[str, bytes]):
    """The topic prior's (counts, base) for the new triggers, recounting only the units whose
    postings changed; with a topic come or gone (every topic's number moves) it is built again."""
    names = [t for t, _ in prep.topic_base]
    if sorted({t for t in topics if t}) != names:
        full = {u: list(ix) for u, ix in ((u, array("I", raw)) for u, raw in prep.postings.packed.items()) if u not in lists}
        full.update({u: list(array("I", raw)) for u, raw in lists.items() if raw})
        counts, base = topicprior.build(topics, full)
        return counts, base, _totals_of(counts, len(base))
    number = {t: k for k, t in enumerate(names)}
    packed, totals = dict(prep.topic_counts), list(grower.totals)
    for u, raw in lists.items():
        if not u.startswith(topicprior.NAMESPACES):
            continue
        ix = array("I", raw)
        if u in packed:
            pairs = array("I", packed.pop(u))
            for k, n in zip(pairs[::2], pairs[1::2]):
                totals[k] -= n
        counts = Counter(number[topics[i]] for i in ix if topics[i])
        if counts:
            for k, n in counts.items():
                totals[k] += n
            packed[u] = topicprior.pack(counts)
    return packed, topicprior.bases(names, totals, len(packed)), totals


def _totals_of(packed: dict[str, bytes], n: int) -> list[int]:
    totals = [0] * n
    for raw in packed.values():
        pairs = array("I", raw)
        for k, c in zip(pairs[::2], pairs[1::2]):
            totals[k] += c
    return totals


def concept_profiles(cards, old: Prepared, prep: Prepared, grower: Grower, keep: int, named) -> tuple[dict, dict]:
    """(profiles, examples) for `prep` grown from `old` (see `regrow`) and its `ConceptCards`: the
    cards whose triggers changed past `keep` are read again as `ConceptIndex.card_profiles` reads a
    card (each trigger's concepts read once, `grower` keeps them), the others kept as they were."""
    changed = {e.card_id for e in old.entries[keep:]} | {e.card_id for e in prep.entries[keep:]}
    examples = {k: i for k, i in cards.examples.items() if i < keep and k[0] not in changed}
    profiles = {}
    for cid in prep.card_ids:
        if cid in changed or cid not in cards.profiles:
            profiles[cid] = _profile(cards.concepts, prep, grower, cid, named, examples)
        else:
            profiles[cid] = cards.profiles[cid]
    return profiles, examples


def _profile(concepts, prep: Prepared, grower: Grower, card_id: str, named, examples: dict) -> dict[str, float]:
    """One card's concept profile, as `ConceptIndex.card_profiles` makes it."""
    from assistant.core.language.concepts import DERIVED_CAP, DERIVED_SLOPE

    lines = [i for i, e in enumerate(prep.entries) if e.card_id == card_id]
    counts: dict[str, int] = {}
    for i in lines:
        said = grower.concepts.get(i)
        if said is None:
            said = grower.concepts[i] = tuple(concepts.weights(prep.entries[i].trigger))
        for cid in said:
            counts[cid] = counts.get(cid, 0) + 1
            examples.setdefault((card_id, cid), i)
    profile = {cid: min(DERIVED_CAP, DERIVED_SLOPE * n / len(lines)) for cid, n in counts.items()}
    topic = prep.entries[lines[0]].topic
    for cid in [*concepts.by_topic.get(topic or "", ()), *((named or {}).get(card_id, ()))]:
        if cid in concepts.concepts:
            profile[cid] = 1.0
    return profile


def save(matcher) -> None:
    """Write a grown matcher's prepared library and card profiles where a build of the same
    triggers would (see `matchprep.load_or_prepare`, `conceptcards.cached_profiles`): the next
    start loads them instead of preparing every trigger again."""
    from assistant.core.language.conceptcards import profiles_path
    from assistant.core.language.matchprep import _cache_path, _prune, cache_key

    path = _cache_path(cache_key(matcher.entries))
    if path is None:
        return
    textnorm.save_pickle(path, matcher.prep)
    _prune(path)
    cards = matcher._concept_cards
    where = profiles_path(cards.concepts, matcher.entries, matcher.named) if cards is not None else None
    if where is not None:
        textnorm.save_pickle(where, (cards.profiles, cards.examples))
