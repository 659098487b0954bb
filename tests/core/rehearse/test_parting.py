"""Staff ending the call: a goodbye is read by its phrasing, and the customer says goodbye back."""

from __future__ import annotations

import pytest

from assistant.core.playbooks.loader import load_library
from assistant.core.rehearse.parting import GOODBYES, fitting_goodbyes, takes_leave
from assistant.core.rehearse.sim import Rehearsal

OPEN = "沈总您好，我是招商银行的小李，想跟您约个时间聊聊代发工资的事。"


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.mark.parametrize("reply", [
    "好的沈总，我先挂了。",
    "那您先忙，我明天上午十点再打给您",
    "那您先忙，我明天上午十点再打给您，好吗？",
    "不打扰您了，再见！",
    "好的，您忙您的，我改天再联系您。",
    "那就先这样，沈总。",
    "行，先不耽误您时间了，回头再打给您。",
    "卫姐您先忙，不打扰您了，您下班了我再联系您。",  # found playing 卫女士: drew 你好像没在听我说话
    "那您先忙，我明天中午再过来找您。",  # found playing 老魏
])
def test_goodbyes_in_different_words_take_leave(reply):
    assert takes_leave(reply)


@pytest.mark.parametrize("reply", [
    "我先给您说一下",                      # 先 … 说: goes on talking
    "我再给您说一下利率",
    "您先别挂，我就说一句",                 # a negated goodbye
    "别挂了，听我说完",
    "您先忙，我就说一句：这期额度快没了，您看要不要先留一份？",  # more said after it
    "您要是忙，我改天再打给您",              # an offer, not a goodbye yet
    "这个利率先这样算，您看行吗",
    "您是不是要先忙？",
    "我们之后再说理财的事，先说说您这笔钱多久不用？",
])
def test_lines_that_share_words_with_a_goodbye_do_not(reply):
    assert takes_leave(reply) is None


def test_a_polite_goodbye_to_a_busy_customer_ends_the_call_gracefully(library):
    """Found in tmux: 「好的沈总，我先挂了。」 drew 「你好像没在听我说话」."""
    run = Rehearsal(library, "scenario-payroll-executive", "busy-vp", seed=0)
    run.start()
    run.reply(OPEN)
    res = run.reply("好的沈总，我先挂了。")
    assert run.finished and run.outcome == "待跟进" and res.customer.kind == "end"
    assert [r.rule for r in res.reactions] == ["closes"]
    assert res.customer.text in {x.text for x in fitting_goodbyes("phone", "busy")}
    assert "我先挂了" in res.customer.why and "待跟进" in res.customer.why and "先约个时间" in res.customer.why


def test_a_goodbye_with_a_concrete_time_books_it_and_the_reason_says_so(library):
    run = Rehearsal(library, "scenario-payroll-executive", "friendly-hr-head", seed=0)
    run.start()
    res = run.reply("范总，那您先忙，我明天上午十点再打给您。")
    assert run.finished and run.outcome == "待跟进"
    assert res.customer.text.startswith(("行，明天上午十点可以。", "明天上午十点啊", "好，那就明天上午十点。"))
    assert "具体时间「明天上午十点」：客户好答应" in res.customer.why


def test_a_busy_customer_counters_the_time_and_still_says_goodbye(library):
    run = Rehearsal(library, "scenario-payroll-executive", "busy-vp", seed=0)
    run.start()
    run.reply(OPEN)
    res = run.reply("那您先忙，我明天上午十点再打给您")
    assert run.finished and "不太行" in res.customer.text
    assert "回了一个自己方便的时间" in res.customer.why
    assert all(r.reason in res.customer.why for r in res.reactions)  # the panel lists each reason once


def test_goodbye_lines_fit_the_persona_and_the_channel():
    busy = fitting_goodbyes("phone", "busy")
    assert busy and all("busy" in x.temperaments for x in busy)
    at_the_branch = fitting_goodbyes("any", "cautious_elderly")
    assert at_the_branch and not any("挂" in x.text for x in at_the_branch)  # face to face: nobody hangs up
    assert all("sceptical" in x.temperaments for x in fitting_goodbyes("wechat", "sceptical"))
    assert [x.text for x in fitting_goodbyes("wechat", "warm-less")] == ["好的，回头聊。", "好，那先这样。"]
    assert len({x.text for x in GOODBYES}) == len(GOODBYES)


def test_a_compliance_breach_with_a_goodbye_is_still_a_breach(library):
    run = Rehearsal(library, "scenario-deposit-to-wealth", "first-timer", seed=0)
    run.start()
    res = run.reply("曹女士，这款理财保本保收益，您放心，那我先不打扰您了。")
    assert res.reactions[0].rule == "compliance" and res.score.total == 0
    assert run.outcome != "待跟进"


def test_a_concrete_time_covers_the_point_about_booking_a_time(library):
    """「明天上午十点再打给您」 books a time though the card's samples are 今晚 / 明天中午."""
    from assistant.core.playbooks.models import KeyPoint
    from assistant.core.rehearse.scoring import score_reply

    point = KeyPoint(id="book-time", label="约具体时间", evidence=["今晚", "明天中午"])
    score = score_reply("沈总，我明天上午十点再打给您，可以吗？", [point], library)
    assert [e.how for e in score.covered] == ["time"] and score.covered[0].quote == "明天上午十点"
    assert not score_reply("沈总，您什么时候方便？", [point], library).covered


def test_a_goodbye_to_a_customer_already_put_off_ends_as_not_won(library):
    """A pitch, a brush-off, then 「那我下次再打」: she is cold and nothing was agreed (未成交)."""
    run = Rehearsal(library, "scenario-payroll-executive", "busy-vp", seed=0)
    run.start()
    for reply in ("沈总您好，我们行理财收益不错，您要不要买点？", "您就说有没有兴趣吧。"):
        run.reply(reply)
    assert run.state.warmth <= -2 and not run.finished
    res = run.reply("那我下次再打。")
    assert run.outcome == "未成交" and res.customer.kind == "end" and "冷下来" in res.customer.why
    assert res.customer.text in {x.text for x in GOODBYES if x.mood == "annoyed"}
