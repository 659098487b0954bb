"""How compliance reads a line: folded the way the matcher folds it, without moving any character.

Rules are written in simplified, lower-case, half-width Chinese; staff type traditional characters,
full-width letters and digits (１００％) and mixed punctuation. Folding one character into one keeps
every match's span valid in the original text, so quotes and highlights stay exact.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.core.language.textnorm import norm_char

#: Sentence ends: the scope of a rule's `nearby` words unless it asks for the clause.
SENTENCE_BREAK = re.compile(r"[。！？!?；;\n…]")
#: Clause ends: sentence ends plus commas, enumeration commas, colons and spaces.
CLAUSE_BREAK = re.compile(r"[。！？!?；;\n…，,、：:\s~～]")


@lru_cache(maxsize=16384)
def fold_char(ch: str) -> str:
    """One character as rules spell it (繁 → 简, Ａ → a, ，stays a comma), always one character."""
    folded = norm_char(ch)
    if len(folded) == 1:
        return folded
    nfkc = unicodedata.normalize("NFKC", ch).lower()
    return nfkc if len(nfkc) == 1 else ch


#: A space typed beside a figure (达到 5%, 年化 3.2): read as part of the clause, not a break.
SPACED_FIGURE = re.compile(r"(?<=[\d%])\s(?=\S)|(?<=\S)\s(?=[\d])")


def fold(text: str) -> str:
    """`text` folded character by character: same length, same positions."""
    folded = "".join(fold_char(ch) for ch in text)
    return SPACED_FIGURE.sub("_", folded) if " " in folded else folded


def scope_of(text: str, start: int, end: int, scope: str) -> tuple[int, int]:
    """The clause or sentence of `text` around text[start:end]."""
    pattern = CLAUSE_BREAK if scope == "clause" else SENTENCE_BREAK
    left = start
    while left > 0 and not pattern.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and not pattern.match(text[right]):
        right += 1
    return left, right
