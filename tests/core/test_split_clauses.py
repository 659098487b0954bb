"""One clause splitter for live matching and rehearsal scoring (language/phrasing.split_clauses):
each caller's options give exactly what its own splitter gave before."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.language.phrasing import split_clauses

#: The three splitters as they were, kept here as the reference.
_LIVE_END = re.compile(r"[，,。！!？?；;…\n]+")
_REPLY = re.compile(r"[^，,。！!？?；;\n]+[？?]?")
_PIECES = re.compile(r"[，,、：:\s…~～]+")
REPLY_BREAKS = "，,。！!？?；;\n"
PIECE_BREAKS = r"，,、：:\s…~～"


def live_before(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in _LIVE_END.finditer(text + "。"):
        piece = text[start:m.start()]
        if piece.strip():
            out.append((start, piece))
        start = m.end()
    return out


def reply_before(text: str) -> list[str]:
    return [c.strip() for c in _REPLY.findall(text) if c.strip()]


def pieces_before(text: str) -> list[str]:
    return [c for c in _PIECES.split(text) if c.strip()]


#: Text made of the characters that matter: every break of the three, spaces, ？, and words.
TEXT = st.text(alphabet=list("，,。！!？?；;…\n、：: ~～\t收益太低了您好吗") + ["　"], max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_each_caller_splits_as_its_own_splitter_did(text):
    from assistant.core.rehearse import meaning, reactions

    assert split_clauses(text, offsets=True) == live_before(text)  # live matching (session._search)
    assert reactions.clauses(text) == reply_before(text)
    assert meaning.clauses(text) == pieces_before(text)


def test_examples():
    assert split_clauses("你好，收益太低了！") == ["你好", "收益太低了"]
    assert split_clauses("你好，收益太低了！", offsets=True) == [(0, "你好"), (3, "收益太低了")]
    assert split_clauses("您看行吗？ 我帮您约。", REPLY_BREAKS, keep_question=True, strip=True) == ["您看行吗？", "我帮您约"]
    assert split_clauses("理解，活期 损失、您决定", PIECE_BREAKS) == ["理解", "活期", "损失", "您决定"]
    assert split_clauses("，，  。") == []
