"""A learned second opinion on a staff line, beside the rules.

The rules (rules.yaml) say why a line breaks a sales rule, but a new writer or a real branch phrases
the same behaviour in ways no pattern foresaw: on lines nobody tuned on they catch about 7 violations
in 10. This model is a logistic regression over the line's character 1–3-grams (TF-IDF), trained on
every labelled line we tune on and on honest everyday talk (the script's docstring lists them) by
`scripts/train_compliance_model.py`, which writes `playbooks/compliance/learned-model.json`.
`check()` uses it both ways. Where no rule spoke, a sentence the model is sure of (p ≥ `flag_at`) gets
an error under the rule whose known violations it reads most like (per-rule centroids of the rules' own
hits), quoting its clause. Where a rule spoke, the hit stands unless the model reads its sentence as
plainly honest (p < `clear_below`, a low threshold: the model does not read contrast or negation scope,
and 这款不保本，但那款保本 scores 0.016 under the session-15 model).

Pure Python: a dict lookup per n-gram, well under a millisecond a sentence; the model (1.6 MB) loads
once, on first use, in ~0.1 s.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.core.language.textnorm import FUNCTION_CHARS

NGRAM_SIZES = (1, 2, 3)
#: Where a clause ends: the quote of a learned flag is the clause that carries most of the evidence.
CLAUSE_END = re.compile(r"[，。！？；,.!?;：:\n…～~]+|\s{2,}")
SENTENCE_END = re.compile(r"[。！？!?；;\n]+")


def sentence_spans(folded: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: the model reads a long text a sentence at a time, as it was trained."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(folded):
        if folded[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if folded[start:].strip():
        spans.append((start, len(folded)))
    return spans


def ngrams(folded: str, keep_function: bool = False) -> Counter:
    """Character 1–3-grams of each whitespace-separated run, padded with a space at both ends (so a
    line's first and last characters count as such). A gram of punctuation only is left out, and unless
    `keep_function`, one of particles and pronouns only too (啊, 你, 了吗): while the sets said violations
    casually and honest lines formally, such grams taught that small talk is a violation. Since session 15
    the shipped model keeps them (the model file's `keep_function`): 600 honest pitches in chat and spoken
    voice (everyday sets 13-14) balance the voice, and 您看/吗 then tell a question from a claim."""
    grams: Counter = Counter()
    for run in folded.lower().split():
        padded = f" {run} "
        style = [(not keep_function and ch in FUNCTION_CHARS) or not ch.isalnum() for ch in padded]
        size = len(padded)
        for i in range(size):
            one = style[i]
            if not one:
                grams[padded[i]] += 1
            if i + 1 < size:
                two = one and style[i + 1]
                if not two:
                    grams[padded[i:i + 2]] += 1
                if i + 2 < size and not (two and style[i + 2]):
                    grams[padded[i:i + 3]] += 1
    return grams


def tfidf(grams: Counter, idf: dict[str, float]) -> dict[str, float]:
    """Sublinear TF × IDF over the grams the model knows, L2-normalised."""
    vec = {g: (1.0 + math.log(c)) * idf[g] for g, c in grams.items() if g in idf}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {g: v / norm for g, v in vec.items()} if norm else {}


@dataclass(frozen=True)
class Model:
    """The trained weights: IDF and coefficient per gram (a gram with no coefficient only counts in the norm)."""

    idf: dict[str, float]
    coef: dict[str, float]
    bias: float
    #: At or above: a violation the rules missed is flagged.
    flag_at: float
    #: rule id -> its centroid (gram -> weight) over the training violations that rule caught.
    centroids: dict[str, dict[str, float]]
    #: Below, in every sentence it touches: a rule's hit is dropped as a false alarm (0: never).
    clear_below: float = 0.0
    #: Whether particles and pronouns count as grams (ngrams()): as the model was trained.
    keep_function: bool = False

    def vector(self, folded: str) -> dict[str, float]:
        return tfidf(ngrams(folded, self.keep_function), self.idf)

    def probability(self, vec: dict[str, float]) -> float:
        z = self.bias + sum(v * self.coef.get(g, 0.0) for g, v in vec.items())
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def rules_by_likeness(self, vec: dict[str, float]) -> list[str]:
        """Rule ids, the one whose known violations this line reads most like first."""
        score = {rid: sum(v * c.get(g, 0.0) for g, v in vec.items()) for rid, c in self.centroids.items()}
        return sorted(score, key=lambda rid: -score[rid])

    def evidence_span(self, folded: str) -> tuple[int, int]:
        """The clause holding most of the evidence for a violation (positive weight), trimmed."""
        best, best_span, start = -1.0, (0, len(folded)), 0
        for end in [m.start() for m in CLAUSE_END.finditer(folded)] + [len(folded)]:
            clause = folded[start:end]
            weight = sum(self.coef.get(g, 0.0) for g in ngrams(clause, self.keep_function)
                         if self.coef.get(g, 0.0) > 0 and g in self.idf)
            if clause.strip() and weight > best:
                best, best_span = weight, (start, end)
            m = CLAUSE_END.match(folded, end)
            start = m.end() if m else end
        a, b = best_span
        while a < b and folded[a].isspace():
            a += 1
        while b > a and folded[b - 1].isspace():
            b -= 1
        return (a, b)


def model_from_json(data: dict) -> Model:
    grams = data["grams"]
    return Model(idf={g: v[0] for g, v in grams.items()}, coef={g: v[1] for g, v in grams.items() if v[1]},
                 bias=data["bias"], flag_at=data["flag_at"], centroids=data["centroids"],
                 clear_below=data.get("clear_below", 0.0), keep_function=data.get("keep_function", False))


def model_path() -> Path:
    from assistant.paths import BUILTIN_PLAYBOOKS

    return Path(BUILTIN_PLAYBOOKS) / "compliance" / "learned-model.json"


@lru_cache(maxsize=1)
def shipped_model() -> Model | None:
    """The built-in model; None when the file is missing or unreadable (the rules still run alone)."""
    try:
        return model_from_json(json.loads(model_path().read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
