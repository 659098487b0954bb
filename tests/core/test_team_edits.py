"""A 网点负责人 editing a colleague's session: ending it, commenting on it, changing its outcome.

The change is recorded on the manager's PC and travels in the manager's own team file (one writer
per file): the colleague sees it after their next sync, and the colleague's file is never written.
"""

from __future__ import annotations

from datetime import datetime

from assistant.core.history.team import TeamFolder, sync
from team_helpers import history


def setup(tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    mine, boss_pc, other = history(tmp_path / "lina"), history(tmp_path / "boss"), history(tmp_path / "wq")
    lina = mine.add_staff("李娜", "理财经理")
    mine.set_current_staff(lina["id"])
    customer = mine.add_customer("王阿姨", segment="senior")
    open_sid = mine.start_session(staff_id=lina["id"], customer_id=customer["id"])
    mine.log_event(open_sid, "customer", "利息太低了")  # left open: 稍后继续, never ended
    done_sid = mine.start_session(staff_id=lina["id"], customer_id=customer["id"])
    mine.log_event(done_sid, "customer", "我再考虑考虑")
    mine.end_session(done_sid, outcome="待跟进")
    boss = boss_pc.add_staff("赵主任", "网点负责人")
    boss_pc.set_current_staff(boss["id"])
    other.set_current_staff(other.add_staff("王强", "柜员")["id"])
    sync(mine, team)
    sync(boss_pc, team)
    return team, mine, boss_pc, other, {"lina": lina, "boss": boss, "customer": customer,
                                        "open": open_sid, "done": done_sid}


def manager_edits(boss_pc, ids) -> None:
    """What 复盘 does on the manager's PC: end the open session, comment, change an outcome."""
    boss_pc.log_event(ids["open"], "system", "结束：成交", type="end")
    boss_pc.end_session(ids["open"], outcome="成交")
    boss_pc.add_flag(ids["done"], 1, ids["boss"]["id"], "先共情再讲收益")
    boss_pc.update_session(ids["done"], outcome="未成交")
    boss_pc.add_followup(customer_id=ids["customer"]["id"], session_id=ids["open"], staff_id=ids["lina"]["id"],
                         due="2026-12-03T10:00", title="成交后回访")


def test_the_colleague_sees_the_managers_changes_after_their_next_sync(tmp_path):
    team, mine, boss_pc, _other, ids = setup(tmp_path)
    manager_edits(boss_pc, ids)
    report = sync(boss_pc, team)
    assert report.published >= 5 and not report.problems
    sync(mine, team)
    assert mine.session(ids["open"])["outcome"] == "成交" and mine.session(ids["open"])["ended"]
    assert mine.session(ids["done"])["outcome"] == "未成交"
    assert [e["text"] for e in mine.events(ids["open"])] == ["利息太低了", "结束：成交"]
    assert [f["comment"] for f in mine.flags_for(ids["done"])] == ["先共情再讲收益"]
    assert mine.unseen_flags(ids["lina"]["id"])  # shown to her until she opens it
    assert [f["title"] for f in mine.list_followups()] == ["成交后回访"]


def test_the_change_travels_in_the_managers_file_never_the_colleagues(tmp_path):
    team, mine, boss_pc, _other, ids = setup(tmp_path)
    theirs = TeamFolder(mine, team).own_file
    before = theirs.read_bytes()
    manager_edits(boss_pc, ids)
    sync(boss_pc, team)
    assert theirs.read_bytes() == before
    own = TeamFolder(boss_pc, team).own_file.read_bytes().decode()
    assert "结束：成交" in own and "先共情再讲收益" in own and '"outcome":"未成交"' in own
    sync(mine, team)  # the colleague takes them in and does not send them back
    assert "先共情再讲收益" not in theirs.read_bytes().decode()
    assert "结束：成交" not in theirs.read_bytes().decode()


def test_the_colleagues_later_edit_wins_and_is_published_by_them(tmp_path):
    team, mine, boss_pc, _other, ids = setup(tmp_path)
    manager_edits(boss_pc, ids)
    sync(boss_pc, team)
    sync(mine, team)
    later = history(mine.paths.home, now=datetime(2026, 12, 1, 11, 0))  # she reopens it an hour later
    later.update_session(ids["done"], outcome="成交")
    sync(later, team)
    sync(boss_pc, team)
    assert boss_pc.session(ids["done"])["outcome"] == "成交"


def test_other_staff_get_the_new_outcome_but_not_the_comment_or_transcript(tmp_path):
    team, _mine, boss_pc, other, ids = setup(tmp_path)
    manager_edits(boss_pc, ids)
    sync(boss_pc, team)
    sync(other, team)
    assert other.session(ids["open"])["outcome"] == "成交"  # the team's numbers
    assert other.flags_for(ids["done"]) == [] and other.events(ids["open"]) == []
    assert other.list_followups() == []


def test_the_manager_ending_a_session_she_resumed_keeps_both_lines_on_both_pcs(tmp_path):
    """Both write the open session's next line (the same seq) before either syncs: no line is lost."""
    team, mine, boss_pc, _other, ids = setup(tmp_path)
    boss_pc.log_event(ids["open"], "system", "结束：成交", type="end")
    mine.log_event(ids["open"], "staff", "我理解您的顾虑")  # 稍后继续: she goes on, not yet synced
    for h in (boss_pc, mine, boss_pc, mine):
        assert not sync(h, team).problems
    texts = [[e["text"] for e in h.events(ids["open"])] for h in (mine, boss_pc)]
    assert texts[0] == texts[1] and sorted(texts[0]) == sorted(["利息太低了", "我理解您的顾虑", "结束：成交"])
