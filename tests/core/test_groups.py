"""The group doctor: a table of group situations and the findings they must produce."""

from __future__ import annotations

import json
import re
from argparse import Namespace
from datetime import date, datetime
from pathlib import Path

import pytest

from assistant.commands import groups as commands
from assistant.core.errors import InputError
from assistant.core.groups import check_groups, parse_groups_csv
from assistant.core.playbooks.models import AssistStage, GroupRule

TODAY = date(2026, 11, 25)

RULES = [
    GroupRule(id="elite-over-size", title="精英群超员", check="members_over", applies_to={"tier": "精英"},
              threshold=11, action="拆成两个群", message="{{ group_name }} 拆分"),
    GroupRule(id="elite-no-deal-3d", title="精英群三天未成交", check="days_since", applies_to={"tier": "精英"},
              field="last_deal", threshold=3, severity="error", action="解散，换下一批"),
    GroupRule(id="potential-no-promotion-14d", title="潜在群两周无晋级", check="days_since",
              applies_to={"tier": "潜在"}, field="last_promotion", threshold=14, action="解散或重做"),
    GroupRule(id="main-group-over-200", title="主管群超200人", check="members_over", applies_to={"role": "主管群"},
              threshold=200, action="拆分"),
    GroupRule(id="mass-product-question", title="大众群有人问产品", check="event_seen", applies_to={"tier": "大众"},
              event="product_question", threshold=3, severity="error", action="私聊回复，拉进潜在群",
              message="您好，{{ group_name }} 里您问的产品我私信您"),
    GroupRule(id="inactive-7d", title="群不活跃", check="days_since", field="last_activity", threshold=7,
              severity="info", action="借势：热点、权益、步数"),
    GroupRule(id="assist-stage", title="辅管群五步法", check="assist_stage", applies_to={"role": "辅管群"},
              severity="info", action="按五步法推进"),
]
STEPS = [
    AssistStage(id="know", label="了解群用户", goal="看群里是谁", message="大家好"),
    AssistStage(id="attention", label="引起注意", goal="发有用的", message="分享一个小知识"),
    AssistStage(id="liking", label="获得好感", goal="帮忙", message="帮大家查"),
    AssistStage(id="trust", label="建立信任", goal="专业", message="讲讲"),
    AssistStage(id="funnel", label="客户引流", goal="加微信", message="加我"),
]

HEALTHY = {"id": "g", "name": "健康群", "tier": "精英", "role": "主管群", "members": 9,
           "created": "2026-11-23", "last_activity": "2026-11-25", "last_deal": "2026-11-24"}

CASES = [
    ("healthy elite group", {}, [], []),
    ("elite over 11", {"members": 14}, [], ["elite-over-size"]),
    ("elite exactly 11 is fine", {"members": 11}, [], []),
    ("elite 3 days without a deal", {"last_deal": "2026-11-22"}, [], ["elite-no-deal-3d"]),
    ("elite never dealt, created 4 days ago", {"last_deal": None, "created": "2026-11-21"}, [], ["elite-no-deal-3d"]),
    ("potential 2 weeks without promotion",
     {"tier": "潜在", "members": 40, "last_promotion": "2026-11-10"}, [], ["potential-no-promotion-14d"]),
    ("potential promoted last week", {"tier": "潜在", "members": 40, "last_promotion": "2026-11-18"}, [], []),
    ("main group over 200", {"tier": "大众", "members": 230}, [], ["main-group-over-200"]),
    ("product question in a mass group", {"tier": "大众", "members": 450},
     [{"group_id": "g", "type": "product_question", "time": "2026-11-24T10:00", "who": "张阿姨", "text": "这个理财怎么买"}],
     ["main-group-over-200", "mass-product-question"]),
    ("old product question is out of the window", {"tier": "大众", "members": 150},
     [{"group_id": "g", "type": "product_question", "time": "2026-11-01T10:00"}], []),
    ("handled product question", {"tier": "大众", "members": 150},
     [{"group_id": "g", "type": "product_question", "time": "2026-11-24T10:00", "handled": True}], []),
    ("silent for 10 days", {"tier": "大众", "members": 150, "last_activity": "2026-11-15"}, [], ["inactive-7d"]),
    ("assist group at step 2", {"tier": "大众", "role": "辅管群", "members": 80, "assist_stage": "attention"}, [],
     ["assist-stage"]),
]


@pytest.mark.parametrize(("case", "changes", "events", "expected"), CASES, ids=[c[0] for c in CASES])
def test_group_situations(case, changes, events, expected):
    group = {**HEALTHY, **changes}
    found = check_groups([group], events, RULES, TODAY, STEPS)
    assert sorted(f.rule_id for f in found) == sorted(expected)


def test_findings_carry_evidence_action_and_rendered_message():
    group = {**HEALTHY, "members": 14}
    (finding,) = check_groups([group], [], RULES, TODAY, STEPS, render=lambda t, v: t.replace("{{ group_name }}", v["group_name"]))
    assert "14" in finding.evidence and "11" in finding.evidence
    assert finding.action == "拆成两个群"
    assert finding.message == "健康群 拆分"


def test_assist_stage_names_the_next_step_and_its_message():
    group = {**HEALTHY, "tier": "大众", "role": "辅管群", "members": 80, "assist_stage": "attention"}
    (finding,) = check_groups([group], [], RULES, TODAY, STEPS)
    assert "获得好感" in finding.evidence
    assert finding.message == "帮大家查"


def test_errors_sort_before_warnings():
    group = {**HEALTHY, "members": 14, "last_deal": "2026-11-01"}
    found = check_groups([group], [], RULES, TODAY, STEPS)
    assert [f.severity for f in found] == ["error", "warning", ]


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "groups.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_csv_import_chinese_headers_and_line_numbered_errors(tmp_path):
    path = write(tmp_path, "群名,层级,类型,人数,建群日期,最近成交\n"
                           "幸福里精英群,精英,产品标签群,10,2026-11-20,2026/11/24\n"
                           "坏人数群,大众,主管群,很多,2026-11-01,\n"
                           "坏层级群,超级,主管群,10,2026-11-01,\n"
                           "坏日期群,潜在,辅管群,30,昨天,\n")
    result = parse_groups_csv(path)
    assert [g["name"] for g in result.groups] == ["幸福里精英群"]
    assert result.groups[0]["role"] == "主管群" and result.groups[0]["subrole"] == "产品标签群"
    assert result.groups[0]["last_deal"] == "2026-11-24"
    assert result.problems == [
        f"{path}:3: 人数「很多」不对（应为非负整数）",
        f"{path}:4: 层级「超级」不认识，应为 大众/潜在/精英",
        f"{path}:5: 建群日期「昨天」不是日期（应为 YYYY-MM-DD）",
    ]


def test_csv_import_english_headers_gbk(tmp_path):
    path = write(tmp_path, "name,tier,role,members,created,last_activity,last_promotion,last_deal,owner,tag,notes\n"
                           "物业缴费群,大众,主管群,320,2026-01-01,2026-11-20,,,,物业,\n", encoding="gbk")
    result = parse_groups_csv(path)
    assert result.problems == []
    assert result.groups[0]["members"] == 320 and result.groups[0]["tag"] == "物业"


def test_csv_without_name_column_is_refused_naming_the_columns_in_chinese(tmp_path):
    with pytest.raises(InputError, match=r"groups.csv:1: 表头缺少群名") as err:
        parse_groups_csv(write(tmp_path, "tier,members\n大众,10\n"))
    message = str(err.value)
    assert "群名、层级、类型、人数、建群日期" in message and "五步法阶段" in message
    assert not re.search(r"assist_stage|last_activity|created|members", message)


def test_csv_cells_lose_control_characters_like_customers_import(tmp_path):
    path = write(tmp_path, "\ufeff群名,标签,备注\n"
                           "幸福里\x1b]52;c;ZXZpbA==\x07群,物业\x00,\x1b[2J清屏\n")
    result = parse_groups_csv(path)
    assert result.problems == []
    group = result.groups[0]
    assert (group["name"], group["tag"], group["notes"]) == ("幸福里]52;c;ZXZpbA==群", "物业", "[2J清屏")
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f\x7f]", v) for v in group.values() if isinstance(v, str))


def test_csv_cell_past_the_csv_modules_limit_is_a_message(tmp_path):
    path = write(tmp_path, "群名,备注\n大群," + "长" * 200_000 + "\n")
    with pytest.raises(InputError, match=r"groups.csv:2: .*超过"):
        parse_groups_csv(path)


def test_empty_csv_is_refused(tmp_path):
    with pytest.raises(InputError, match="文件是空的"):
        parse_groups_csv(write(tmp_path, ""))


def test_a_potential_group_that_never_promoted_anyone_says_so_plainly():
    group = {**HEALTHY, "tier": "潜在", "members": 40, "last_promotion": None, "created": "2026-11-01"}
    (finding,) = check_groups([group], [], RULES, TODAY, STEPS)
    assert finding.evidence == "建群 24 天，还没有人晋级（规则：14 天）"


# ---------------------------------------------------------------- `coach groups log|check` and the clock

LATE = datetime(2026, 12, 28, 23, 59)  # a fixed clock far from the wall clock's day


def logged(kind: str) -> tuple[dict, dict]:
    """Log one `kind` event on a fresh group with the history's clock at LATE: (group, event)."""
    from assistant.core.history import History

    history = History(clock=lambda: LATE)
    group = history.add_group(name="幸福里精英群", tier="精英", members=9, created="2026-11-01",
                              last_activity="2026-11-01", last_deal="2026-11-01", last_promotion="2026-11-01")
    commands._log(history, Namespace(group="幸福里精英群", type=kind, text="", who=""))
    (event,) = history.list_group_events()
    return next(g for g in history.list_groups() if g["id"] == group["id"]), event


@pytest.mark.parametrize(("kind", "stamped"), [("post", ("last_activity",)), ("deal", ("last_activity", "last_deal")),
                                               ("promotion", ("last_activity", "last_promotion"))])
def test_log_stamps_the_group_by_the_history_clock(kind, stamped, capsys):
    group, event = logged(kind)
    assert event["time"] == "2026-12-28T23:59:00"
    for field in ("last_activity", "last_deal", "last_promotion"):
        assert group[field] == ("2026-12-28" if field in stamped else "2026-11-01"), field
    assert "已记录：幸福里精英群" in capsys.readouterr().out


def test_check_without_a_date_uses_the_history_clock(capsys):
    from assistant.core.history import History

    history = History(clock=lambda: LATE)
    assert commands._check(history, Namespace(date=None, json=True, followups=False)) == 0
    assert json.loads(capsys.readouterr().out)["date"] == "2026-12-28"


def test_check_messages_are_signed_with_the_current_staff_members_name(capsys):
    from assistant.core.history import History

    history = History(clock=lambda: LATE)
    history.set_current_staff(history.add_staff(name="李娜", role="理财经理")["id"])
    history.add_group(name="幸福里社区大众群", tier="大众", members=120, created="2026-11-01", last_activity="2026-11-01")
    history.log_group_event(history.list_groups()[0]["id"], type="product_question", text="@李经理 收益多少？",
                            time="2026-12-28T09:00:00")
    assert commands._check(history, Namespace(date=None, json=True, followups=False)) == 0
    messages = [f["message"] for f in json.loads(capsys.readouterr().out)["findings"] if f.get("message")]
    assert messages and any("李娜" in m for m in messages) and not any("【员工姓名】" in m for m in messages)


def test_log_says_the_event_in_chinese(capsys):
    logged("product_question")
    out = capsys.readouterr().out
    assert "有人@问产品" in out and "product_question" not in out


def test_check_names_cards_and_scenarios_by_title(capsys):
    """Staff read titles: 参考：卡片「…」, never a card id (the JSON keeps ids for programs)."""
    from assistant.core.history import History

    history = History(clock=lambda: LATE)
    history.add_group(name="幸福里社区大众群", tier="大众", members=120, created="2026-11-01", last_activity="2026-11-01")
    assert commands._check(history, Namespace(date=None, json=True, followups=False)) == 0
    found = json.loads(capsys.readouterr().out)["findings"]
    ids = {f[k] for f in found for k in ("card", "scenario") if f.get(k)}
    assert ids, "a long-silent group should point to a card"
    assert commands._check(history, Namespace(date=None, json=False, followups=False)) == 0
    out = capsys.readouterr().out
    assert "参考：卡片「" in out and not any(i in out for i in ids)
