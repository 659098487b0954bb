"""The history commands end to end: customers import/list, history check/repair/export, followups, demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.core.history import History
from assistant.core.history.csvimport import parse_customers_csv
from assistant.paths import get_paths

SEGMENTS = {"senior": "老年客户", "merchant": "商贸结算客户", "payroll": "代发工资客户"}


def write(tmp_path: Path, text: str, name: str = "c.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_csv_rows_with_chinese_headers_and_line_numbers(tmp_path):
    path = write(tmp_path, "称呼,客群,手机,生日,产品,金额,利率,到期日,标签,奇怪列\n"
                           "王阿姨,老年客户,138 1234 5678,1958/3/7,三年期定期,20万,2.15%,2026-12-02,广场舞；孙子,x\n"
                           ",senior,,,,,,,,\n"
                           "\n"
                           "李先生,merchant,12345,,,,,,,\n"
                           "张姐,学生,,,,,,,,\n"
                           "赵总,payroll,,1980-13-01,,,,,,\n"
                           "钱总,payroll,,,,abc,,,,\n")
    result = parse_customers_csv(path, SEGMENTS)
    assert [c["name"] for c in result.customers] == ["王阿姨"]
    wang = result.customers[0]
    assert wang["segment"] == "senior" and wang["birthday"] == "1958-03-07" and wang["tags"] == ["广场舞", "孙子"]
    assert wang["contact"] == {"phone": "13812345678", "allow": ["phone"]}
    assert wang["products"] == [{"name": "三年期定期", "amount": 200000.0, "rate": 2.15, "maturity": "2026-12-02"}]
    lines = [p.split(": ")[0] for p in result.problems]
    assert lines == [f"{path}:1", f"{path}:3", f"{path}:5", f"{path}:6", f"{path}:7", f"{path}:8"]
    assert "奇怪列" in result.problems[0] and "手机号" in result.problems[2] and "学生" in result.problems[3]


def test_csv_english_headers_gbk_from_excel(tmp_path):
    path = write(tmp_path, "name,segment,phone,wechat,allow\n王阿姨,senior,13812345678,wang,微信/短信\n", encoding="gbk")
    result = parse_customers_csv(path, SEGMENTS)
    assert result.problems == [] and result.customers[0]["contact"]["allow"] == ["wechat", "sms"]


def test_customers_import_and_list(tmp_path, capsys):
    path = write(tmp_path, "姓名,客群,手机\n王阿姨,senior,13812345678\n李先生,merchant,12345\n")
    assert main(["customers", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert ":3: 错误" in out and "新增 1 位客户" in out
    assert main(["customers", "import", str(path)]) == 1  # the same again updates, adds nobody
    assert "新增 0 位客户，更新 0 位，1 位没有变化" in capsys.readouterr().out  # unchanged: not rewritten
    assert main(["customers", "list", "--json"]) == 0
    assert [c["name"] for c in json.loads(capsys.readouterr().out)] == ["王阿姨"]


def test_history_check_and_repair_commands(capsys):
    h = History()
    sid = h.start_session("live", "u1")
    h.log_event(sid, "customer", "你好")
    path = get_paths().history_dir / f"events-{h.session(sid)['month']}.jsonl"
    path.write_bytes(path.read_bytes() + b"not json\n")
    assert main(["history", "check"]) == 1
    assert "coach history repair" in capsys.readouterr().out
    assert main(["history", "repair"]) == 0
    assert "另存到" in capsys.readouterr().out
    assert main(["history", "check"]) == 0


def test_corrupt_state_gives_a_message_not_a_traceback(capsys):
    History().add_customer("王阿姨")
    get_paths().state_db.write_bytes(b'{"customers": {"1": {"id"')
    assert main(["customers", "list"]) == 1
    err = capsys.readouterr().err
    assert "state.json" in err and "coach history repair" in err and "Traceback" not in err


def test_export_command_writes_owner_only_file(tmp_path, capsys):
    h = History()
    sid = h.start_session("live", "u1")
    h.log_event(sid, "customer", "我的手机13812345678")
    out = tmp_path / "out.csv"
    assert main(["history", "export", "--format", "csv", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "138****5678" in text and "13812345678" not in text
    assert out.stat().st_mode & 0o777 == 0o600
    assert main(["history", "export", "--format", "md", "--since", "2026-13-01"]) == 2


def test_followups_commands(capsys):
    h = History()
    f = h.add_followup(title="王阿姨：回访", due="2000-01-01T09:00", rule_id="session-pending-24h")
    # a fixed day with no holiday near: on the real clock, 元旦's greeting task would join the agenda
    assert main(["followups", "--date", "2026-11-25", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [(i["id"], i["state"]) for i in items] == [(f["id"], "overdue")]
    assert main(["followups", "postpone", f["id"][2:6], "--to", "2099-01-02", "--note", "出差"]) == 0
    assert History().get_followup(f["id"])["due"] == "2099-01-02T09:00"
    assert main(["followups", "done", f["id"]]) == 0
    assert [x["status"] for x in History().get_followup(f["id"])["history"]] == ["open", "postponed", "done"]
    assert main(["followups", "done", "nope"]) == 1


def test_demo_fills_once_and_resets_only_its_own_dir(capsys):
    assert main(["demo"]) == 0
    h = History()
    assert len(h.list_staff()) == 5 and {s["role"] for s in h.list_staff()} == {"柜员", "大堂经理", "理财经理", "客户经理", "网点负责人"}
    customers = h.list_customers()
    assert len(customers) == 30 and len({c["segment"] for c in customers}) >= 6
    rows, total = h.query_sessions(limit=None)
    assert total >= 40 and {r["mode"] for r in rows} >= {"live", "rehearse"}
    assert len(h.list_groups()) == 12 and {g["tier"] for g in h.list_groups()} == {"大众", "潜在", "精英"}
    assert any(e["type"] == "product_question" for e in h.list_group_events())
    assert h.unseen_flags("u-demo-wealth") and h.list_drill("u-demo-wealth")
    assert main(["demo"]) == 1  # already there: left alone
    assert main(["demo", "--if-empty"]) == 0
    assert main(["demo", "--reset"]) == 0
    assert History().session_count() == total


def test_demo_reset_refuses_a_real_data_dir(capsys):
    History().add_customer("真实客户")
    assert main(["demo", "--reset"]) == 1
    assert "不是 coach demo 生成的目录" in capsys.readouterr().err
    assert main(["demo"]) == 1
    assert [c["name"] for c in History().list_customers()] == ["真实客户"]


@pytest.mark.parametrize("events", [3000])
def test_demo_events_makes_the_history_about_that_big(events, capsys):
    assert main(["demo", "--events", str(events)]) == 0
    h = History()
    total = sum(len(h.events(s["id"])) for s in h.iter_sessions())
    assert events * 0.8 <= total <= events * 1.2


def test_followups_for_a_coming_day_is_a_preview_that_stores_nothing(capsys):
    h = History()
    h.add_customer("王阿姨", products=[{"name": "定期", "amount": 100000, "maturity": "2099-03-08"}])
    h.add_followup(title="王阿姨：回访", due="2000-01-01T09:00", rule_id="session-pending-24h")
    before = h.list_followups()
    h.close()
    assert main(["followups", "--date", "2099-03-01", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert {i["rule_id"] for i in items} >= {"session-pending-24h", "maturity-t7"}
    assert History().list_followups() == before
