"""The 演练 feedback panel on its own (a tiny App): a key word I waved away says why it earned nothing.

The score comes from the real `score_reply` over an empty library (no compliance rules, default
scoring), so the panel is tested on what scoring really returns.
"""

from __future__ import annotations

from textual.app import App
from textual.widgets import Static

from assistant.core.playbooks.library import Library
from assistant.core.playbooks.models import KeyPoint
from assistant.core.rehearse.scoring import score_reply
from assistant.ui.widgets.feedback import EARNED, NEGATED, FeedbackPanel, marked_reply

POINTS = [
    KeyPoint(id="discuss", label="留出商量余地", evidence=["商量"]),
    KeyPoint(id="risk", label="讲清风险", evidence=["风险"]),
    KeyPoint(id="term", label="说明期限", evidence=["期限"]),
]
REPLY = "王姐，这没什么好商量的，风险就不用考虑了，期限半年，您签字吧"


class PanelApp(App):
    def compose(self):
        yield FeedbackPanel(id="fb")


def _score():
    return score_reply(REPLY, POINTS, Library())


async def test_panel_says_why_a_negated_key_word_did_not_count():
    score = _score()
    assert {n.point_id for n in score.negated} == {"discuss", "risk"}
    app = PanelApp()
    async with app.run_test(size=(60, 40)) as pilot:
        panel = app.query_one(FeedbackPanel)
        panel.show_reply(score, 1)
        await pilot.pause()
        text = panel.plain
        assert "没讲到" in text
        assert "✗留出商量余地\n  「没什么好商量的」是在否定“商量”，不算数" in text
        assert "✗讲清风险\n  「风险就不用考虑了」是在否定“风险”，不算数" in text
        assert "说明期限「期限」" in text  # the earned point is still listed with my words
        assert panel.has_class("-failed")
        assert "「没什么好商量的」是在否定" in str(panel.query_one("#fb-text", Static).content)  # drawn, not just kept


async def test_a_missed_point_i_never_named_has_no_explanation():
    score = score_reply("王姐，期限半年，您看可以吗？", POINTS, Library())
    assert score.negated == []
    app = PanelApp()
    async with app.run_test(size=(60, 40)) as pilot:
        panel = app.query_one(FeedbackPanel)
        panel.show_reply(score, 2)
        await pilot.pause()
        assert "✗留出商量余地\n✗讲清风险\n" in panel.plain and "是在否定" not in panel.plain


def test_bubble_marks_the_negating_words_yellow_and_earned_words_green():
    score = _score()
    marked = marked_reply(REPLY, score)
    styled = {(REPLY[s.start:s.end], str(s.style)) for s in marked.spans}
    assert ("没什么好商量的", NEGATED) in styled
    assert ("风险就不用考虑了", NEGATED) in styled
    assert ("期限", EARNED) in styled


async def test_a_point_earned_by_keeping_her_money_in_deposits_is_not_shown_as_my_words():
    # found in tmux: 「✓问能接受多大的波动「（选择不冒险的存款方案）」」 under 讲到了（你的原话）
    from assistant.core.playbooks.loader import load_library
    from assistant.core.rehearse.sim import Rehearsal

    run = Rehearsal(load_library(), "scenario-deposit-to-wealth", "careful-auntie", seed=1)
    run.start()
    run.reply("蒋阿姨您好，快请坐！现在一年期定期年利率是1.45%。我先问一句，这笔钱大概多久用不上？")
    score = run.reply("蒋阿姨，您喜欢存定期踏实，我完全尊重您的选择。我帮您分成几份错开存期，或者看看大额存单，您看好吗？").score
    assert any(e.start == e.end for e in score.covered)
    app = PanelApp()
    async with app.run_test(size=(60, 40)) as pilot:
        panel = app.query_one(FeedbackPanel)
        panel.show_reply(score, 2)
        await pilot.pause()
        assert "✓问能接受多大的波动（选择不冒险的存款方案）\n" in panel.plain
        assert "「（" not in panel.plain
    assert "✓ 问能接受多大的波动：（选择不冒险的存款方案）" in score.reasons
