"""复盘's compliance note names several rules on one line; titles contain 、 themselves."""

from __future__ import annotations

from assistant.core.playbooks.loader import load_library
from assistant.ui.screens.review_rows import Names
from assistant.ui.screens.transcript import TranscriptScreen


def test_rule_titles_are_told_apart_from_the_words_inside_them():
    """「推荐理财要做风险提示、说预期收益率、预测业绩、…」 read as four titles run together."""
    names = Names(library=load_library())
    ids = ["wealth-risk-disclosure", "predict-return"]
    titles = [names.rule(i) for i in ids]
    assert "、" in titles[1]  # the reason for the separator: 说预期收益率、预测业绩 is one title
    shown = names.rules(ids)
    assert shown == "；".join(titles) and shown.split("；") == titles


def test_the_transcripts_compliance_note_uses_the_separator():
    names = Names(library=load_library())
    screen = TranscriptScreen.__new__(TranscriptScreen)  # only _notes is exercised: no app needed
    screen.names, screen.flags = names, {}
    notes = screen._notes({"type": "say", "flags": ["wealth-risk-disclosure", "predict-return"]})
    assert ("⚠ 合规提醒：" + names.rule("wealth-risk-disclosure") + "；" + names.rule("predict-return"),
            "bold red") in notes
