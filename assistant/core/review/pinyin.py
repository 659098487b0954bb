"""What a word typed in pinyin stands for, for 复盘 search: the words and short phrases of the
playbooks (card titles, triggers, replies) by their full pinyin and by their initials.

Branch staff type `lixi` or `lxtd` without switching the input method; the history holds 利息 and
利息太低. Reading the history itself would cost a scan, so the vocabulary is the library's own
language: phrases of up to `PHRASE_WORDS` rjieba words, neither end a stop word. Built once per
Library (~0.6 s with the pypinyin import), kept in `library.derived` and in one file of
`cache_dir` together with a hash of the texts it was built from.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

from assistant.core.language import textnorm
#: Bump when the vocabulary's shape or rules change.
VERSION = 2
#: Most readings kept (and searched) per pinyin spelling: each one is a pass over the history.
MAX_READINGS = 6
#: Words per phrase: 利息太低 is 利息 / 太 / 低.
PHRASE_WORDS = 4
#: Letters a pinyin word needs: one letter reads as too many words.
MIN_LETTERS = 2
#: Times a phrase of several words must occur in the playbooks to be read (single words: once).
MIN_PHRASE_COUNT = 2


@dataclass(frozen=True)
class PinyinVocabulary:
    """Phrases of the playbooks by the letters that spell them, most used first."""

    #: Full toneless pinyin → phrases (利息 under lixi).
    full: dict[str, tuple[str, ...]]
    #: Initials → phrases (利息太低 under lxtd).
    initials: dict[str, tuple[str, ...]]
    #: ASCII words of the playbooks (etc, app): a query word among them is searched as typed too.
    ascii: frozenset[str]

    def read(self, letters: str) -> list[str]:
        """The phrases a normalized all-letter word may stand for: full pinyin first, then initials."""
        if len(letters) < MIN_LETTERS:
            return []
        found = list(self.full.get(letters, ()))
        found += [w for w in self.initials.get(letters, ()) if w not in found]
        return found[:MAX_READINGS]


def playbook_texts(library: Any) -> list[str]:
    """The card titles, triggers and replies of a loaded Library."""
    texts: list[str] = []
    for ref in library.cards.values():
        card = ref.card
        texts += [card.title, *card.triggers, *(r.text for r in card.responses)]
    return texts


def pinyin_vocabulary(library: Any) -> PinyinVocabulary:
    """The library's vocabulary: from `library.derived`, the disk cache, or built (then saved)."""
    derived = getattr(library, "derived", None)
    if derived is not None and "review_pinyin" in derived:
        return derived["review_pinyin"]
    texts = playbook_texts(library)
    key = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()
    path = _cache_path()
    vocab = _load(path, key) if path is not None else None
    if vocab is None:
        vocab = build(texts)
        if path is not None:  # one file, replaced when the playbooks change: nothing to prune
            textnorm.save_pickle(path, (key, vocab))
    if derived is not None:
        derived["review_pinyin"] = vocab
    return vocab


def build(texts: Iterable[str]) -> PinyinVocabulary:
    """Index every phrase of `texts` by its pinyin and initials (most frequent phrase first)."""
    counts: Counter[str] = Counter()
    ascii_words: set[str] = set()
    for text in texts:
        words = [w for w, _, _ in textnorm.word_spans(textnorm.normalize(text))]
        ascii_words.update(w for w in words if w.isascii() and w.isalpha())
        counts.update(_phrases(words))
    syllables: dict[str, list[str]] = {}
    full: dict[str, list[str]] = {}
    initials: dict[str, list[str]] = {}
    for phrase, count in sorted(counts.items(), key=lambda pc: (-pc[1], -len(pc[0]), pc[0])):
        if count < MIN_PHRASE_COUNT and " " in phrase:
            continue  # a run of words seen once is a fragment (实惠但, 时候打), not a phrase
        for w in phrase.split(" "):
            if w not in syllables:
                syllables[w] = textnorm.phrase_syllables(w)
        syl = [s for w in phrase.split(" ") for s in syllables[w]]
        spelled = "".join(syl)
        if not (spelled.isascii() and spelled.isalpha()):
            continue  # a character without pinyin
        word = phrase.replace(" ", "")
        _add(full, spelled, word)
        _add(initials, "".join(s[0] for s in syl), word)
    return PinyinVocabulary(_frozen(full), _frozen(initials), frozenset(ascii_words))


def _phrases(words: list[str]) -> Iterable[str]:
    """Runs of up to PHRASE_WORDS Chinese words (space-joined), neither end a stop word."""
    for i, first in enumerate(words):
        if first in textnorm.STOP_WORDS or not _chinese(first):
            continue
        for j in range(i, min(i + PHRASE_WORDS, len(words))):
            if not _chinese(words[j]):
                break
            if words[j] not in textnorm.STOP_WORDS:
                yield " ".join(words[i:j + 1])


def _chinese(word: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in word)


def _add(index: dict[str, list[str]], key: str, word: str) -> None:
    found = index.setdefault(key, [])
    if len(found) < MAX_READINGS and word not in found:
        found.append(word)


def _frozen(index: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in index.items()}


def _cache_path():
    try:
        from assistant.paths import get_paths

        return get_paths().cache_dir / f"review-pinyin-v{VERSION}.pickle"
    except Exception:  # no usable data dir: keep it in memory only
        return None


def _load(path, key: str) -> PinyinVocabulary | None:
    """The cached vocabulary if it was built from the same texts."""
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        with open(path, "rb") as fh:
            saved_key, vocab = pickle.load(fh)
        if saved_key == key and isinstance(vocab, PinyinVocabulary):
            return vocab
    return None
