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
    assert chosen.notice == "针对：你们利息太低了 隔壁都给3%（最后一句「那手续废 多少」没有把握够的话术）"
