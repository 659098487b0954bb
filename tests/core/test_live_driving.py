"""Which line of a pasted chat drives the cards (issue 16 QA)."""

from assistant.core.live.driving import driving
from assistant.core.live.results import Suggestion, Suggestions


def found(query: str, *tiers: str) -> Suggestions:
    items = tuple(Suggestion(card_id=f"c{i}", title="t", topic=None, topic_label="", score=60.0, matched=(),
                             spans=(), reply="r", tier=tier) for i, tier in enumerate(tiers))
    return Suggestions(query, items)


def test_the_last_line_drives_when_it_has_a_sure_card():
    last = found("他行利息更高", "sure")
    assert driving([found("你们利息太低了", "sure"), last]) is last


def test_a_vague_last_line_gives_way_to_the_most_recent_sure_line():
    chosen = driving([found("我再想想", "sure"), found("你们利息太低了", "sure", "maybe"), found("那你说说看吧", "maybe")])
    assert chosen.query == "你们利息太低了"
    assert chosen.notice.startswith("针对：你们利息太低了")


def test_no_sure_card_anywhere_keeps_the_last_lines_maybes():
    last = found("那你说说看吧", "maybe")
    assert driving([found("嗯", ), found("好吧", "maybe"), last]) is last
    assert driving([]) is None


def test_the_notice_reads_a_message_of_several_chat_lines_on_one_line():
    chosen = driving([found("你们利息太低了\n隔壁都给3%", "sure"), found("那手续废\n多少", "maybe")])
    assert chosen.notice == "针对：你们利息太低了 隔壁都给3%（最后一句「那手续废 多少」没有找到有把握的话术）"


def line(speaker: str, text: str, kind: str = "line") -> dict:
    return {"speaker": speaker, "text": text, "type": kind}


def test_on_resume_the_customers_last_run_of_lines_is_matched_again_past_my_own_lines_and_notes():
    from assistant.core.live.driving import last_said

    events = [line("customer", "我先看看"), line("staff", "好的"), line("customer", "你们利息太低了"),
              line("customer", "那你说说看吧"), line("staff", "您听我说"), line("staff", "x", "use"),
              line("system", "客户：王姐", "note")]
    assert last_said(events) == ["你们利息太低了", "那你说说看吧"]
    assert last_said([line("staff", "您好"), line("system", "备注", "note")]) == []
    many = [line("customer", f"第{i}句") for i in range(9)]
    assert last_said(many) == [f"第{i}句" for i in range(4, 9)]
