"""Aspect: a loss told as done (亏了22%, 已经跌了, 竟然出现亏本) or as feared (会不会亏, 万一亏了,
亏了怎么办).

One member serves two topics: 亏 is risk_fear when feared and past_loss when it happened, and the
words around it say which, not the member. `told_done` reads them, so a concept in `REALIZED`
said as done also signals its mapped concept (`ConceptIndex.clause_strengths`) whatever member
was used: 缩水了 and 腰斩了 count as a loss that happened although no member lists them so.
Written from how the grammar marks completion, not from corpus lines.
"""

from __future__ import annotations

import re

#: concept → the concept it also signals when told as done.
REALIZED = {"loss": "past-experience"}
#: A hypothesis or a worry before the member, in its clause: 万一亏了, 怕赔了, 会不会跌.
_FEARED_BEFORE = re.compile(r"(?:万一|如果|要是|假如|假设|怕|担心|害怕|会不会|会|可能|能不能|是不是|不会|怎么会|难道)[^，,。！!？?；;]{0,6}$")
#: A question right after it: 亏了怎么办, 赔了谁负责, 跌了吗.
_ASKED_AFTER = re.compile(r"^[^，,。！!？?；;]{0,3}(?:怎么办|咋办|咋整|谁负责|谁赔|谁管|算谁|怎么处理|吗|么|呢[?？])")
#: Done: 了 / 掉了 / 光了 / 过 right after, or 已经 / 竟然 / 结果 … just before.
_DONE_AFTER = ("了", "掉了", "光了", "完了", "过")
_DONE_BEFORE = re.compile(r"(?:已经|竟然|居然|结果|却|都|反而|一下子|直接|足足|整整)[^，,。！!？?；;]{0,3}$")


def told_done(text: str, start: int, end: int) -> bool:
    """Whether the member at text[start:end] is told as having happened (not feared or asked)."""
    before, after = text[max(0, start - 8):start], text[end:end + 8]
    if _FEARED_BEFORE.search(before) or _ASKED_AFTER.search(after):
        return False
    return after.startswith(_DONE_AFTER) or bool(_DONE_BEFORE.search(before))
