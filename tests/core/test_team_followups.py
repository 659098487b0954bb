"""The team's follow-ups: the 网点负责人's agenda holds colleagues' follow-ups (their customers'
birthdays and maturities, what their sessions left to do), each under its owner; staff see only
their own PC's."""

from __future__ import annotations

from datetime import datetime

from assistant.core.followup_rules import followups_for_session_end
from assistant.core.followups import agenda, may_close
from assistant.core.history.team import sync
from assistant.core.playbooks.models import FollowupRule
from team_helpers import NOW, history

TODAY = NOW.date()
RULES = [
    FollowupRule(id="first-contact-24h", title="24小时内首次回访", after="session_end", hours=24,
                 outcomes=["待跟进", "未成交"]),
    FollowupRule(id="birthday", title="生日问候", after="birthday", days=0, scenario="birthday-care"),
]


def branch(tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    lina_pc, boss_pc, wq_pc = history(tmp_path / "lina"), history(tmp_path / "boss"), history(tmp_path / "wq")
    lina = lina_pc.add_staff("李娜", "理财经理")
    lina_pc.set_current_staff(lina["id"])
    aunt = lina_pc.add_customer("王阿姨", birthday="1958-12-01")
    sid = lina_pc.start_session(staff_id=lina["id"], customer_id=aunt["id"])
    lina_pc.end_session(sid, outcome="待跟进")
    for record in followups_for_session_end(RULES, aunt, sid, "待跟进", datetime(2026, 11, 30, 9, 0)):
        lina_pc.add_followup(**record, staff_id=lina["id"])
    agenda(lina_pc, RULES, TODAY)  # her PC makes the birthday reminder as she opens the app
    boss = boss_pc.add_staff("赵主任", "网点负责人")
    boss_pc.set_current_staff(boss["id"])
    wq = wq_pc.add_staff("王强", "柜员")
    wq_pc.set_current_staff(wq["id"])
    wq_pc.add_customer("刘先生", birthday="1970-12-01")
    for pc in (lina_pc, wq_pc, boss_pc, lina_pc, wq_pc):
        sync(pc, team)
    return {"lina_pc": lina_pc, "boss_pc": boss_pc, "wq_pc": wq_pc, "lina": lina, "boss": boss, "wq": wq}


def test_the_managers_agenda_holds_the_teams_follow_ups_under_their_owner(tmp_path):
    b = branch(tmp_path)
    items = agenda(b["boss_pc"], RULES, TODAY, viewer=b["boss"])
    owners = {(i.customer_name, i.rule_id): i.owner_id for i in items}
    assert owners == {("王阿姨", "first-contact-24h"): b["lina"]["id"], ("王阿姨", "birthday"): b["lina"]["id"],
                      ("刘先生", "birthday"): b["wq"]["id"]}
    birthday = next(i for i in items if i.customer_name == "王阿姨" and i.rule_id == "birthday")
    assert not may_close(b["boss"], birthday.owner_id)  # hers: the manager closes it only acting as such
    assert may_close(b["boss"], birthday.owner_id, as_manager=True)


def test_staff_see_only_their_own(tmp_path):
    b = branch(tmp_path)
    mine = agenda(b["wq_pc"], RULES, TODAY, viewer=b["wq"])
    assert [(i.customer_name, i.rule_id) for i in mine] == [("刘先生", "birthday")]
    assert mine[0].owner_id is None  # a customer of this PC: anyone here may close it
    hers = agenda(b["lina_pc"], RULES, TODAY, viewer=b["lina"])
    assert {(i.customer_name, i.rule_id) for i in hers} == {("王阿姨", "first-contact-24h"), ("王阿姨", "birthday")}


def test_a_colleague_signed_in_on_the_managers_pc_sees_only_this_pcs(tmp_path):
    b = branch(tmp_path)
    teller = b["boss_pc"].add_staff("陈小雨", "柜员")
    assert agenda(b["boss_pc"], RULES, TODAY, viewer=teller) == []


def test_a_date_reminder_is_one_record_across_the_team(tmp_path):
    """Both PCs make 王阿姨's birthday reminder (same id everywhere): the manager sees it once, and
    once she has greeted her (done on her PC) it leaves the manager's agenda too."""
    b = branch(tmp_path)
    team = tmp_path / "team"
    agenda(b["boss_pc"], RULES, TODAY, viewer=b["boss"])  # the manager's PC makes its own copy too
    for pc in ("boss_pc", "lina_pc", "boss_pc"):
        sync(b[pc], team)
    items = agenda(b["boss_pc"], RULES, TODAY, viewer=b["boss"])
    assert sorted((i.customer_name, i.rule_id) for i in items) == [
        ("刘先生", "birthday"), ("王阿姨", "birthday"), ("王阿姨", "first-contact-24h")]
    birthday = next(i for i in agenda(b["lina_pc"], RULES, TODAY) if i.rule_id == "birthday")
    b["lina_pc"].mark_followup(birthday.id, "done", "已发祝福")
    sync(b["lina_pc"], team)
    sync(b["boss_pc"], team)
    assert [(i.customer_name, i.rule_id) for i in agenda(b["boss_pc"], RULES, TODAY, viewer=b["boss"])
            if i.customer_name == "王阿姨"] == [("王阿姨", "first-contact-24h")]


def test_the_manager_closing_a_colleagues_reminder_reaches_them(tmp_path):
    b = branch(tmp_path)
    team = tmp_path / "team"
    birthday = next(i for i in agenda(b["boss_pc"], RULES, TODAY, viewer=b["boss"])
                    if i.customer_name == "王阿姨" and i.rule_id == "birthday")
    b["boss_pc"].mark_followup(birthday.id, "done", "赵主任（以网点负责人身份）")
    sync(b["boss_pc"], team)
    sync(b["lina_pc"], team)
    assert [i.rule_id for i in agenda(b["lina_pc"], RULES, TODAY, viewer=b["lina"])] == ["first-contact-24h"]
