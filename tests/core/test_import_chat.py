"""coach history import-chat: a real chat becomes a live session annotated as Live would, once."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assistant.core.history import History
from assistant.core.live.importer import import_chat
from assistant.core.live.moments import message_times, parse_moment
from assistant.core.live.chat import parse_chat

CHAT = """王阿姨 2026/12/3 19:02:11
我的定期下周到期了
李娜 2026/12/3 19:03:40
阿姨好，这款理财保本保收益
王阿姨 2026/12/3 19:05:00
隔壁银行利息比你们高
"""


@pytest.fixture(scope="module")
def built():
    from assistant.ui.services import build_services

    return build_services()


@pytest.fixture
def services(built, tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_HOME", str(tmp_path))
    from dataclasses import replace

    return replace(built, history=History())


def people(history):
    staff = history.add_staff(name="李娜", role="理财经理")
    customer = history.add_customer(name="王阿姨", segment="senior",
                                    products=[{"name": "三年期定期", "amount": 200000, "rate": 2.15, "maturity": "2026-12-12"}])
    return staff, customer


def test_an_imported_chat_is_annotated_like_a_live_session(services):
    staff, customer = people(services.history)
    result = import_chat(CHAT, services=services, staff=staff, customer=customer, outcome="待跟进")
    assert not result.duplicate and (result.customer_lines, result.staff_lines) == (2, 1)
    record = services.history.session(result.session_id)
    assert record["source"] == "import" and record["mode"] == "live" and record["outcome"] == "待跟进"
    assert record["started"] == "2026-12-03T19:02:11" and record["ended"] == "2026-12-03T19:05:00"
    assert record["furthest_step"] == "handle_objection" and "rate_low" in record["topics"]
    events = services.history.events(result.session_id)
    lines = [e for e in events if e.get("type") == "line"]
    assert [(e["speaker"], e["text"]) for e in lines] == [
        ("customer", "我的定期下周到期了"), ("staff", "阿姨好，这款理财保本保收益"), ("customer", "隔壁银行利息比你们高")]
    assert "promise-principal" in lines[1]["flags"] and lines[2]["matches"][0]["card_id"].startswith("rate-low")
    assert result.flags >= 1 and result.followups == 2
    assert len(services.history.list_followups(customer_id=customer["id"])) == 2


def test_importing_the_same_chat_again_finds_the_first_import(services):
    staff, customer = people(services.history)
    first = import_chat(CHAT, services=services, staff=staff, customer=customer)
    again = import_chat(CHAT.replace("19:02:11", "19:02"), services=services, staff=staff, customer=customer)
    assert again.duplicate and again.session_id == first.session_id
    assert len(list(services.history.iter_sessions())) == 1
    assert services.history.session(first.session_id)["outcome"] is None  # no outcome given: closed, left empty
    assert services.history.session(first.session_id)["ended"]


def test_an_empty_chat_or_a_wrong_outcome_is_a_clear_message(services):
    from assistant.core.errors import InputError

    staff, customer = people(services.history)
    with pytest.raises(InputError, match="没有读到消息"):
        import_chat("\n\n", services=services, staff=staff, customer=customer)
    with pytest.raises(InputError, match="成交"):
        import_chat(CHAT, services=services, staff=staff, customer=customer, outcome="好")


@pytest.mark.parametrize("shown, expected", [
    ("10:32", datetime(2026, 12, 5, 10, 32)),
    ("下午 3:02", datetime(2026, 12, 5, 15, 2)),
    ("昨天 10:32", datetime(2026, 12, 4, 10, 32)),
    ("星期三 09:15", datetime(2026, 12, 2, 9, 15)),  # 2026-12-05 is a Saturday
    ("12/3 19:02", datetime(2026, 12, 3, 19, 2)),
    ("2026-11-30 08:00:05", datetime(2026, 11, 30, 8, 0, 5)),
])
def test_times_as_wechat_shows_them(shown, expected):
    assert parse_moment(shown, date(2026, 12, 5)) == expected


def test_messages_without_times_follow_the_one_before():
    messages = parse_chat("张阿姨：在吗\n我：在的", ())
    assert message_times(messages, date(2026, 12, 5)) == [datetime(2026, 12, 5, 9, 0)] * 2


def test_cli_imports_once_and_names_what_it_found(services, tmp_path, capsys):
    from assistant.cli import main

    people(services.history)
    path = tmp_path / "chat.txt"
    path.write_text(CHAT, encoding="utf-8")
    assert main(["history", "import-chat", str(path), "--customer", "王阿姨", "--staff", "李娜", "--outcome", "未成交"]) == 0
    out = capsys.readouterr().out
    assert "已导入：王阿姨" in out and "客户 2 句、员工 1 句" in out and "导入" in out
    assert main(["history", "import-chat", str(path), "--customer", "王阿姨", "--staff", "李娜"]) == 0
    assert "已经导入过" in capsys.readouterr().out
    assert main(["history", "import-chat", str(path), "--customer", "张三"]) != 0
    assert "没有叫「张三」的客户" in capsys.readouterr().err


def test_cli_warns_when_the_chat_is_with_someone_else(services, tmp_path, capsys):
    from assistant.cli import main

    people(services.history)
    path = tmp_path / "chat.txt"
    path.write_text(CHAT.replace("王阿姨", "刘叔"), encoding="utf-8")
    assert main(["history", "import-chat", str(path), "--customer", "王阿姨", "--staff", "李娜", "--outcome", "未成交"]) == 0
    err = capsys.readouterr().err
    assert "⚠ 聊天里的客户是「刘叔」，不是「王阿姨」" in err  # as 复盘's import dialog says it


def test_cli_names_close_customers_and_how_to_create_one(services, tmp_path, capsys):
    from assistant.cli import main

    people(services.history)
    services.history.add_customer(name="刘叔叔")
    path = tmp_path / "chat.txt"
    path.write_text(CHAT, encoding="utf-8")
    assert main(["history", "import-chat", str(path), "--customer", "刘叔", "--staff", "李娜"]) != 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "没有叫「刘叔」的客户" in captured.err
    assert "是不是：刘叔叔" in captured.err and "ctrl+o 新建" in captured.err and "王阿姨" not in captured.err
    assert main(["history", "import-chat", str(path), "--customer", "赵老师", "--staff", "李娜"]) != 0
    err = capsys.readouterr().err
    assert "没有叫「赵老师」的客户" in err and "coach customers import" in err and "是不是" not in err
    assert main(["history", "import-chat", str(path), "--customer", " ", "--staff", "李娜"]) != 0
    assert "--customer 没写客户" in capsys.readouterr().err
