"""A reply far past the length limit is not heard whole: the customer says so before her next line,
a little cooler (found in tmux: a 455-character reply drew 「那还是听你的」 as if she had taken it all in)."""

from __future__ import annotations

from assistant.core.rehearse.sim import Rehearsal

OPENING = "蒋阿姨您好，快请坐！现在一年期定期年利率是1.45%。我先问一句，这笔钱大概多久用不上？"
HEAD = "蒋阿姨，确实利率这几年一直在下调，您的感受我特别理解。"
BODY = "我们行的存款产品有很多种，一年期、两年期、三年期、五年期都有，大额存单起存二十万，利率会比普通定期高一点，另外还有通知存款、智能存款等等，"
TAIL = "您以前买过存款以外的产品吗？"


def second_turn(library, reply: str):
    run = Rehearsal(library, "scenario-deposit-to-wealth", "careful-auntie", seed=1)
    run.start()
    run.reply(OPENING)
    warmth = run.state.warmth
    result = run.reply(reply)
    return result, run.state.warmth - warmth


def test_a_very_long_reply_is_not_taken_in_whole(library):
    result, cooled = second_turn(library, HEAD + BODY * 6 + TAIL)
    rules = [r.rule for r in result.reactions]
    assert "long" in rules
    long = next(r for r in result.reactions if r.rule == "long")
    assert result.customer.text.startswith(long.line) and len(result.customer.text) > len(long.line)
    assert "455个字" in result.customer.why
    assert cooled < 1  # a warm, caring reply would have warmed her: the wall of text costs that


def test_a_reply_within_the_limit_draws_no_complaint(library):
    result, _ = second_turn(library, HEAD + BODY + TAIL)
    assert "long" not in [r.rule for r in result.reactions]
