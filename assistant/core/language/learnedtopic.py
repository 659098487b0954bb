"""A learned topic opinion: multinomial logistic regression over a line's character 1–3-grams.

Trained by scripts/train_topic_model.py on every labelled line we hold (each trigger under its
card's topic, the real dev half and the own-voice lines among them, and no-card lines as the class
`none`). Pure Python at run time: TF-IDF over the grams the model knows, then a dot product per
gram with the few topics it carries a weight for.

How the matcher may use it is decided by scripts/eval_match.py --unread with the model retrained
for each held-out fold of sources (see scripts/train_topic_model.py).
"""

from __future__ import annotations

import contextlib
import json
import math
import pickle
from array import array
from collections import Counter
from functools import lru_cache
from pathlib import Path

from assistant.core.language.textnorm import FUNCTION_CHARS, save_pickle

#: The class of lines that need no card.
NONE = "none"


def grams(norm: str) -> Counter:
    """Character 1–3-grams of a normalized line (see `textnorm.normalize_for_match`), the line's
    edges marked by a space; a gram made only of function characters (我, 了吗, 是不是) is left
    out: it says how something is asked, not what about."""
    padded = f" {norm} "
    out: Counter = Counter()
    size = len(padded)
    for n in (1, 2, 3):
        for i in range(size - n + 1):
            g = padded[i:i + n]
            if g.strip() and not all(ch in FUNCTION_CHARS or ch == " " for ch in g):
                out[g] += 1
    return out


def weighted(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    """Sublinear TF × IDF over the known grams, L2-normalised ({} when none is known)."""
    vec = {g: (1.0 + math.log(c)) * idf[g] for g, c in counts.items() if g in idf}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {g: v / norm for g, v in vec.items()} if norm else {}


class TopicModel:
    """The trained model. Each gram's (class, weight) pairs are kept packed (array bytes) and
    unpacked when a line first holds the gram: unpickling ~16k tuples of tuples cost a one-shot
    `coach suggest` ~0.1 s, the packed form a few milliseconds."""

    def __init__(self, classes: tuple[str, ...], idf: dict[str, float], packed: dict[str, bytes], bias: tuple[float, ...]):
        self.classes, self.idf, self.packed, self.bias = classes, idf, packed, bias
        self._weights: dict[str, tuple[tuple[int, float], ...]] = {}

    def __getstate__(self):
        return self.classes, self.idf, self.packed, self.bias

    def __setstate__(self, state):
        self.__init__(*state)

    def weights(self, gram: str) -> tuple[tuple[int, float], ...]:
        got = self._weights.get(gram)
        if got is None:
            flat = array("f")
            flat.frombytes(self.packed.get(gram, b""))
            got = self._weights[gram] = tuple((int(k), w) for k, w in zip(flat[::2], flat[1::2]))
        return got

    def probabilities(self, norm: str) -> dict[str, float]:
        """class → P(class | line); {} when the line holds no gram the model knows."""
        vec = weighted(grams(norm), self.idf)
        if not vec:
            return {}
        z = list(self.bias)
        for g, v in vec.items():
            for k, w in self.weights(g):
                z[k] += v * w
        top = max(z)
        exp = [math.exp(s - top) for s in z]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp)}


def model_from_json(data: dict) -> TopicModel:
    """From the file's form: gram → [idf, class, weight, class, weight, …] (flat: parses faster)."""
    grams_ = data["grams"]
    return TopicModel(tuple(data["classes"]), {g: v[0] for g, v in grams_.items()},
                      {g: array("f", v[1:]).tobytes() for g, v in grams_.items() if len(v) > 1}, tuple(data["bias"]))


def model_path() -> Path:
    from assistant.paths import BUILTIN_PLAYBOOKS

    return Path(BUILTIN_PLAYBOOKS) / "topic-model.json"


@lru_cache(maxsize=1)
def shipped_model() -> TopicModel | None:
    """The built-in model (from a pickled copy in the cache dir when the file is unchanged); None
    when the file is missing or unreadable: the matcher then reads alone."""
    path = model_path()
    try:
        stat = path.stat()
    except OSError:
        return None
    cached = _cache_file(stat.st_size, stat.st_mtime_ns)
    if cached is not None:
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            with open(cached, "rb") as fh:
                model = pickle.load(fh)
            if isinstance(model, TopicModel):
                return model
    try:
        model = model_from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if cached is not None:
        save_pickle(cached, model)
    return model


def _cache_file(size: int, mtime_ns: int) -> Path | None:
    try:
        from assistant.paths import get_paths

        return get_paths().cache_dir / f"topic-model-{size}-{mtime_ns}.pickle"
    except Exception:  # no usable data dir: parse the file each time
        return None

#: How the matcher uses the model (`Matcher._with_learned`): a line it gives P(none) at least HIDE_AT
#: keeps only sure cards; when the matcher's top card is a guess, place SLOT + 1 goes to the model's
#: best topic outside the first SLOT, when it gives that topic at least ADD_AT. HIDE_AT 0.9 -> 0.8 (dev --unread, by
#: replay over the fold models and then the whole eval): small talk given any card 36.3 -> 32.4 % (as Live matches
#: 41.8 -> 37.9 %), every accuracy figure and sure precision unchanged. The gate spares triggers the model never saw
#: (a branch's own cards, remembered lines): at 0.8 without that it hid a branch card found through its own concept.
HIDE_AT = 0.8
SLOT = 2
ADD_AT = 0.05
#: Live (`live.session.merged_search`) also matches each clause of a long line alone; a clause's
#: sure card the whole line did not make sure stays sure only when the model, reading the whole
#: line, gives its topic at least BACKS_AT (`Matcher.opinion`). Dev --unread through Live's merge
#: (eval_match --live): sure precision 79.1 % of 172 → 91.7 % of 133, 25 wrong sure cards made
#: guesses for 14 right ones, none → sure 13 → 4 lines; 0.1 gave 88.2 %, 0.3 91.8 % for 10 more
#: right ones. The same gate on the whole line's own sure cards costs more right than wrong ones
#: (the model agrees with all 7 wrong ones on dev --unread), so it is not used there.
BACKS_AT = 0.2
#: A card only a clause found (the whole line did not show it) is left out when the model, reading
#: the whole line, gives its topic less than CLAUSE_AT. Dev --unread --live, with BACKS_AT: customer
#: top-3 77.5 → 79.1 %, marketer top-3 72.5 → 74.6 %, none → any card 67.6 → 47.3 % (one clause of
#: small talk found a card: 大爷 → the senior segment); at 0.01 / 0.02 / 0.1 / 0.2: top-3 77.7 / 78.1 /
#: 78.7 / 78.3, marketer 73.9 / 74.6 / 73.9 / 73.9, none → any 62.6 / 56.0 / 41.2 / 37.9 %.
CLAUSE_AT = 0.05
