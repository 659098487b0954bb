"""Cards read by meaning: each card's concept profile (see `ConceptIndex.card_profiles`), cached
on disk, and how a query's concepts are blended into the matcher's lexical scores.

Split out of `matcher` to keep it small; `Matcher` builds one `ConceptCards` per library.
"""

from __future__ import annotations

from assistant.core.language import textnorm
from assistant.core.language.concepts import ConceptIndex, concept_idf
from assistant.core.language.matchprep import Entry, Prepared

#: How much of the gap between the lexical score and 100 the concept overlap (0–1) may fill.
CONCEPT_SHARE = 0.6
#: A card only concepts found (no trigger shares a word) needs at least this concept score.
CONCEPT_ONLY_MIN = 45.0
#: A card's concept share is at least this share of the best one clause gives it alone: a
#: concern in one clause of a long story (我妈去办业务，排了半天队，回来说她怕亏本金) is diluted by
#: the narration's concepts when the line is read whole. Dev source-CV 0 → 0.7: customer top-3
#: 79.0 → 80.2 %, on the collectors read after the concepts were written (d, e, g) 59.0 → 61.5 %.
CLAUSE_WEIGHT = 0.7


def cached_profiles(concepts: ConceptIndex, entries: list[Entry], named, use_cache: bool = True) -> tuple[dict, dict]:
    """Card profiles and example triggers, from the cache when the same triggers and concepts
    were read before (reading every trigger for concepts costs a one-shot `coach suggest` ~70 ms)."""
    import pickle

    path = profiles_path(concepts, entries, named) if use_cache else None
    if path is not None:
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
            pass
    examples: dict[tuple[str, str], int] = {}
    profiles = concepts.card_profiles(entries, named, examples)
    if path is not None:
        textnorm.save_pickle(path, (profiles, examples))
    return profiles, examples


def profiles_path(concepts: ConceptIndex, entries: list[Entry], named):
    """Where the card profiles of these triggers and concepts are cached (None: no data dir)."""
    import hashlib

    from assistant.core.language import concepts as concepts_module
    from assistant.core.language.matchprep import _cache_path, cache_key

    h = hashlib.sha256(cache_key(entries).encode())
    rules = (concepts_module.DERIVED_SLOPE, concepts_module.DERIVED_CAP, concepts_module._NEGATORS, concepts_module.GAP)
    h.update(repr((rules, sorted(concepts.concepts.items()), sorted((named or {}).items()))).encode())
    return _cache_path(f"concepts-{h.hexdigest()[:24]}")


class EitherLabels:
    """Shared concept labels of a line read whole, or of its situation for the cards it found."""

    def __init__(self, whole, inner, taken: set[int]):
        self.whole, self.inner, self.taken = whole, inner, taken

    def get(self, c: int, default=()):
        return (self.inner if c in self.taken else self.whole).get(c, default)


class _SharedLabels:
    """card index → labels of the concepts the card shares with the query (the strongest first),
    a lazy mapping: only the cards shown ask."""

    def __init__(self, cards: "ConceptCards", found: dict[str, float], share: dict[int, float]):
        self.cards, self.found, self.share = cards, found, share

    def get(self, c: int, default=()):
        if c not in self.share:
            return default
        return tuple(self.cards.concepts.label(cid) for cid in self.cards.names(c, self.found))


class ConceptCards:
    """Each card's concept profile (see `ConceptIndex.card_profiles`) by card index, with concept
    IDF over cards; blends a query's concept overlap into the lexical scores."""

    def __init__(self, concepts: ConceptIndex, entries: list[Entry], prep: Prepared, named, use_cache: bool = True,
                 profiles: tuple[dict, dict] | None = None):
        self.concepts = concepts
        profiles, examples = profiles or cached_profiles(concepts, entries, named, use_cache)
        #: card id → {concept: 0–1} and (card id, concept) → first trigger saying it, as read
        #: (`matchgrow` updates the cards a remembered line changes, not every card).
        self.profiles, self.examples = profiles, examples
        self.idf = concept_idf(profiles)
        self.unseen = max(self.idf.values(), default=1.0)
        index = {cid: c for c, cid in enumerate(prep.card_ids)}
        #: concept → {card index: IDF × weight}, precomputed so a query only adds its strengths.
        self.postings: dict[str, dict[int, float]] = {}
        for card_id, profile in profiles.items():
            for cid, w in profile.items():
                self.postings.setdefault(cid, {})[index[card_id]] = self.idf.get(cid, self.unseen) * w
        #: card index → its first trigger; (card index, concept) → its first trigger saying it
        #: (shown when only concepts found the card).
        self.first: dict[int, int] = {}
        for i, c in enumerate(prep.card_of):
            self.first.setdefault(c, i)
        self.example = {(index[card_id], cid): i for (card_id, cid), i in examples.items()}
        self.kinds = [prep.entries[self.first[c]].kind for c in range(len(prep.card_ids))]

    def overlap(self, found: dict[str, float]) -> dict[int, float]:
        """card index → share (0–1) of the query's concept weight (`found`: concept → strength)
        it explains. Only the shares: which concepts a card shares is asked for the few cards
        shown (`names`), not for the thousands a common concept reaches in a large library."""
        total = sum(self.idf.get(cid, self.unseen) for cid in found)
        share: dict[int, float] = {}
        get = share.get
        for cid, strength in found.items():
            for c, weighted in self.postings.get(cid, {}).items():
                share[c] = get(c, 0.0) + weighted * strength / total
        return share

    def names(self, c: int, found: dict[str, float]) -> list[str]:
        """The query's concepts card `c` holds, the strongest signal first (ties in query order)."""
        held = [(self.postings[cid][c], cid) for cid in found if c in self.postings.get(cid, {})]
        return [cid for _, cid in sorted(held, key=lambda x: -x[0])]

    def blend(self, text: str, lexical: dict[int, tuple[float, int]], overlaps: dict[int, float], kind: str | None):
        """Lexical (score, trigger) per card with concept overlap filling CONCEPT_SHARE of the gap
        to 100; cards only concepts reach join with their best (or first) trigger. Also returns
        card index → the labels of the concepts it shares with the query, computed on demand."""
        found, clauses = self.concepts.clause_strengths(text)
        if not found:
            return lexical, {}
        share = self.overlap(found)
        if len(clauses) > 1:  # a clause's concern, out of the narration around it (CLAUSE_WEIGHT)
            for one in clauses:
                for c, sh in self.overlap(one).items():
                    if sh * CLAUSE_WEIGHT > share.get(c, 0.0):
                        share[c] = sh * CLAUSE_WEIGHT
        out = dict(lexical)
        # A hint no trigger backs up (开会, 麻烦) is not a card: concept-only cards need this share.
        for c, sh in share.items():
            if c in out:
                lex, i = out[c]
            elif 100.0 * CONCEPT_SHARE * min(sh, 1.0) < CONCEPT_ONLY_MIN:
                continue
            else:
                lex, i = 0.0, None
            if kind and self.kinds[c] != kind:
                continue
            if i is None:
                i = self._shown(c, self.names(c, found))
            out[c] = (lex + (100.0 - lex) * CONCEPT_SHARE * min(sh, 1.0), i)
        return out, _SharedLabels(self, found, share)

    def _shown(self, c: int, concepts: list[str]) -> int:
        """The trigger shown for a card only concepts found: one saying its strongest concept."""
        return next((self.example[(c, cid)] for cid in concepts if (c, cid) in self.example), self.first[c])
