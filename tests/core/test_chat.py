"""The chat reader: each format staff copy chats in, and the lines that look like headers but are not."""

from __future__ import annotations

import json

import pytest

from assistant.core.live.chat import parse_chat

PC_WECHAT = """张阿姨 10:32
我的定期下周到期了
有什么好的推荐吗
李娜 10:33
阿姨您好，我帮您看看
张阿姨 10:35:12
明天 10:30 我过去
"""

WORK_WECHAT = """张阿姨 2026/12/3 19:02:11
利息太低了
李娜(幸福路支行) 2026/12/3 19:03:40
理解您
张阿姨 昨天 10:32
那我再考虑考虑
"""

MERGED = """张阿姨：我的定期下周到期了
小李: 阿姨好，要不要来网点坐坐
张阿姨：好的，明天 10:30 我过去
"""

BACKUP = """2026-12-03 19:02:11 张阿姨
隔壁银行利息比你们高
2026-12-03 19:03:02 我
阿姨，我们算一笔账
2026-12-03 19:05:40 张阿姨: 那你说说看
"""


def rows(text, staff=("李娜",), known=()):
    return [(m.speaker, m.name, m.time, m.text) for m in parse_chat(text, staff, known)]


def test_pc_wechat_stretch_splits_by_header_and_keeps_multi_line_messages():
    assert rows(PC_WECHAT) == [
        ("customer", "张阿姨", "10:32", "我的定期下周到期了\n有什么好的推荐吗"),
        ("staff", "李娜", "10:33", "阿姨您好，我帮您看看"),
        ("customer", "张阿姨", "10:35:12", "明天 10:30 我过去"),
    ]


def test_work_wechat_full_dates_yesterday_and_a_name_with_the_branch():
    assert rows(WORK_WECHAT) == [
        ("customer", "张阿姨", "2026/12/3 19:02:11", "利息太低了"),
        ("staff", "李娜(幸福路支行)", "2026/12/3 19:03:40", "理解您"),
        ("customer", "张阿姨", "昨天 10:32", "那我再考虑考虑"),
    ]


def test_merged_forward_records_with_either_colon():
    assert rows(MERGED, staff=("小李",)) == [
        ("customer", "张阿姨", None, "我的定期下周到期了"),
        ("staff", "小李", None, "阿姨好，要不要来网点坐坐"),
        ("customer", "张阿姨", None, "好的，明天 10:30 我过去"),
    ]


def test_backup_export_headers_and_me_is_staff():
    assert rows(BACKUP, staff=()) == [
        ("customer", "张阿姨", "2026-12-03 19:02:11", "隔壁银行利息比你们高"),
        ("staff", "我", "2026-12-03 19:03:02", "阿姨，我们算一笔账"),
        ("customer", "张阿姨", "2026-12-03 19:05:40", "那你说说看"),
    ]


def test_plain_lines_are_one_customer_message_each():
    assert rows("利息太低了\n\n我再考虑考虑\n") == [
        ("customer", None, None, "利息太低了"), ("customer", None, None, "我再考虑考虑")]


@pytest.mark.parametrize("line", [
    "明天 10:30 我过去",       # a time inside words
    "明天 10:30",              # a plan, not a person called 明天
    "那就后天 9:00",            # a plan with a day in it
    "10:30",                   # an answer to 几点
    "利率：2.15%",              # one label and a colon is not a sender
    "网址 https://example.com",
    "约好 14:00",               # last line, nothing follows: not a header
])
def test_tricky_single_lines_stay_the_customers_words(line):
    assert rows(line) == [("customer", None, None, line)]


def test_a_time_at_the_end_of_a_message_is_content_not_a_new_sender():
    text = "张阿姨 10:32\n那就这样\n好的 10:30\n李娜 10:33\n好的阿姨"
    assert rows(text) == [("customer", "张阿姨", "10:32", "那就这样\n好的 10:30"), ("staff", "李娜", "10:33", "好的阿姨")]


def test_known_customer_name_with_colon_is_a_sender_even_alone():
    assert rows("王阿姨：利息太低了", known=("王阿姨",)) == [("customer", "王阿姨", None, "利息太低了")]


def test_wechat_notices_and_bare_time_separators_are_dropped():
    text = "12月3日 19:00\n张阿姨 19:02\n[图片]\n这个产品怎么样\n\"张阿姨\" 撤回了一条消息\n李娜 19:03\n您稍等"
    assert rows(text) == [("customer", "张阿姨", "19:02", "这个产品怎么样"), ("staff", "李娜", "19:03", "您稍等")]


def test_afternoon_and_weekday_times():
    text = "张阿姨 星期三 下午 3:02\n在吗\n我 下午 3:05\n在的"
    assert rows(text, staff=()) == [("customer", "张阿姨", "星期三 下午 3:02", "在吗"), ("staff", "我", "下午 3:05", "在的")]


def test_cli_prints_json(tmp_path, capsys):
    from assistant.cli import main

    path = tmp_path / "chat.txt"
    path.write_text(PC_WECHAT, encoding="utf-8")
    assert main(["chat", "parse", str(path), "--staff", "李娜", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[1] == {"speaker": "staff", "name": "李娜", "time": "10:33", "text": "阿姨您好，我帮您看看"}
    assert [m["speaker"] for m in out] == ["customer", "staff", "customer"]


def test_cli_missing_file_is_a_message(tmp_path, capsys):
    from assistant.cli import main

    assert main(["chat", "parse", str(tmp_path / "none.txt")]) != 0
    assert "读不了" in capsys.readouterr().err


def test_with_the_customer_known_the_other_sender_is_the_staff_member():
    text = "王阿姨 10:32\n利息太低了\n小李 10:33\n我们算一笔账"
    assert rows(text, staff=(), known=("王阿姨",)) == [
        ("customer", "王阿姨", "10:32", "利息太低了"), ("staff", "小李", "10:33", "我们算一笔账")]
    # a third name: nobody can tell who is who, so nobody is guessed to be staff
    three = text + "\n张叔 10:34\n我也想问"
    assert [r[0] for r in rows(three, staff=(), known=("王阿姨",))] == ["customer"] * 3


MIXED = "昨天 19:02\n王阿姨：我的定期到期了\n李娜：您好王阿姨\n王阿姨：有啥推荐\n"


def test_a_bare_time_line_sets_the_time_of_the_messages_after_it():
    assert rows(MIXED) == [
        ("customer", "王阿姨", "昨天 19:02", "我的定期到期了"),
        ("staff", "李娜", "昨天 19:02", "您好王阿姨"),
        ("customer", "王阿姨", "昨天 19:02", "有啥推荐"),
    ]
    # a later separator takes over; a header keeps its own time
    later = MIXED + "19:40\n王阿姨：那我明天 10:30 我过去\n李娜 19:41\n好的阿姨"
    assert rows(later)[3:] == [("customer", "王阿姨", "19:40", "那我明天 10:30 我过去"),
                               ("staff", "李娜", "19:41", "好的阿姨")]


def test_a_colon_line_after_a_header_message_starts_a_new_message():
    text = "王阿姨 10:32\n我的定期到期了\n李娜：您好王阿姨\n王阿姨：有啥推荐\n明天 10:30 我过去"
    assert rows(text) == [
        ("customer", "王阿姨", "10:32", "我的定期到期了"),
        ("staff", "李娜", None, "您好王阿姨"),
        ("customer", "王阿姨", None, "有啥推荐\n明天 10:30 我过去"),
    ]
    # the header's sender alone, nobody else named: still a new message, not glued on
    alone = rows("王阿姨 10:32\n我的定期到期了\n王阿姨：有啥推荐", staff=())
    assert alone == [("customer", "王阿姨", "10:32", "我的定期到期了"), ("customer", "王阿姨", None, "有啥推荐")]


def test_a_label_and_colon_inside_a_header_message_stays_content():
    text = "王阿姨 10:32\n利率：2.15%\n明天 10:30 我过去\n李娜 10:33\n好的"
    assert rows(text) == [("customer", "王阿姨", "10:32", "利率：2.15%\n明天 10:30 我过去"),
                          ("staff", "李娜", "10:33", "好的")]


def test_cli_without_staff_takes_the_signed_in_staff_member(tmp_path, capsys):
    from assistant.cli import main
    from assistant.core.history import History

    history = History()
    me = history.add_staff(name="李娜", role="理财经理")
    history.set_current_staff(me["id"])
    history.close()
    path = tmp_path / "chat.txt"
    path.write_text(MIXED, encoding="utf-8")
    assert main(["chat", "parse", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(m["speaker"], m["name"], m["time"]) for m in out] == [
        ("customer", "王阿姨", "昨天 19:02"), ("staff", "李娜", "昨天 19:02"), ("customer", "王阿姨", "昨天 19:02")]
    # --staff still wins over the signed-in name
    assert main(["chat", "parse", str(path), "--staff", "王阿姨", "--json"]) == 0
    assert [m["speaker"] for m in json.loads(capsys.readouterr().out)] == ["staff", "customer", "staff"]


def test_a_bare_time_right_under_a_header_is_that_message_not_a_separator():
    text = "王阿姨 10:32\n几点过来？\n李娜 10:33\n10:30\n王阿姨 10:34\n好"
    assert rows(text) == [("customer", "王阿姨", "10:32", "几点过来？"), ("staff", "李娜", "10:33", "10:30"),
                          ("customer", "王阿姨", "10:34", "好")]


# ------------------------------------------------------------------ one sender, 名字：内容 (issue 17 audit)


def test_a_one_sender_colon_stretch_is_that_persons_messages():
    messages = parse_chat("张阿姨：我的定期下周到期了\n张阿姨：有什么好的推荐吗\n")
    assert [(m.speaker, m.name, m.text) for m in messages] == [
        ("customer", "张阿姨", "我的定期下周到期了"), ("customer", "张阿姨", "有什么好的推荐吗")]


@pytest.mark.parametrize("text", ["利率：2.15%", "利率：2.15%\n期限：三年", "我想问问\n张阿姨：你好\n张阿姨：在吗"])
def test_labels_or_a_stretch_that_does_not_open_with_the_name_stay_plain_lines(text):
    assert not any(m.name for m in parse_chat(text))


def test_with_no_customer_picked_the_chats_name_fills_the_greeting():
    from livefakes import FakeHistory, FakeMatcher, FakeRenderer, clock, fake_check, fake_covered, make_library

    from assistant.core.live.session import LiveSession

    lib = make_library()
    live = LiveSession(lib, FakeMatcher(lib), FakeRenderer(lib), FakeHistory(), staff={"id": "u1", "name": "小李"},
                       clock=clock(), check=fake_check, covered=fake_covered)
    messages = live.read_chat("张阿姨 10:32\n我再考虑考虑\n")
    (_, found), = live.suggest_chat(messages)
    assert found.items and found.items[0].reply.startswith("好的张阿姨")
    live.set_customer({"id": "c1", "name": "王姐"})  # a picked customer wins over the chat's name
    assert live.suggest("我再考虑考虑").items[0].reply.startswith("好的王姐")


def test_a_staff_member_is_also_known_by_what_customers_call_her():
    """李娜 signs chats 小李 or is saved as 李经理: both are her, even when the customer is not the
    selected one (the tmux walk read 小李's line as the customer's and matched it)."""
    from assistant.core.live.chat import staff_names

    assert staff_names({"name": "李娜"}) == ["李娜", "小李", "李经理"]
    assert staff_names({"name": "Anna"}) == ["Anna"] and staff_names(None) == []
    text = "周总 10:32\n我的定期下周到期了\n小李 10:33\n您考虑一下我们的理财\n周总 10:35\n我再考虑考虑"
    assert [r[:2] for r in rows(text, staff=staff_names({"name": "李娜"}), known=("刘大爷",))] == [
        ("customer", "周总"), ("staff", "小李"), ("customer", "周总")]
