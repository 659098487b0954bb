"""What staff read for a session's mode and state: one place, so every screen says the same.

Home, 复盘 (rows, filters, the transcript) and the export read these; a drill is 强化 everywhere
and a session is 未结束 only until it ends (then its outcome, or 已结束 when it ended without one;
a rehearsal given up before the customer ended the call is 未完成).
A rehearsal nobody replied in is 没练 (not a practice: no score, not on the leaderboard).
A drill has no customer and so no outcome: an ended one reads 过关 or 未过关 by the drill's pass mark
(even if an old record or the demo data gave it an outcome), with its score beside it. Found in a
walk: 「— · 50分」 told a 网点负责人 nothing.
"""

from __future__ import annotations

#: Session mode → its short name.
MODES = {"live": "实战", "rehearse": "演练", "drill": "强化"}
#: Shown while a session has not ended.
OPEN = "未结束"
#: An ended session without an outcome.
ENDED = "已结束"
#: A rehearsal that ended before any reply.
NOT_PRACTISED = "没练（未回复）"
#: A rehearsal that was replied in but ended before the customer ended the call (the replies ran
#: out, 结束 was pressed, or it was left open past the resume window): abandoned, not 已结束.
ABANDONED = "未完成"
#: An ended drill: there was no customer, so no outcome; it passed or it did not.
DRILL_PASSED = "过关"
DRILL_FAILED = "未过关"
#: The drills' pass mark when the record does not say (ScoringRules.pass_mark's default).
PASS_MARK = 80


def mode_label(mode: str | None) -> str:
    return MODES.get(mode or "", mode or "")


#: Added to the mode of a session made from a pasted or exported chat (not run in Live).
IMPORTED = "·导入"


def session_mode_label(session: dict) -> str:
    """The mode of this session as staff read it: 实战, 演练, 强化, or 实战·导入 for an imported chat."""
    return mode_label(session.get("mode")) + (IMPORTED if session.get("source") == "import" else "")


def practised(session: dict) -> bool:
    """A practice session (rehearse or drill) counts only with at least one scored reply."""
    if session.get("mode") not in ("rehearse", "drill"):
        return True
    if "replies" in session:
        return bool(session["replies"])
    return session.get("score") is not None


def abandoned(session: dict) -> bool:
    """A rehearsal given up before the customer ended the call (未完成)."""
    return session.get("mode") == "rehearse" and session.get("finished") is False


def counted_score(session: dict) -> float | None:
    """The score a session adds to averages, trends, leaderboards and weak spots: None for an
    abandoned rehearsal (not scored: it shows only as 「未完成 N 次」), one never practised or
    without a score."""
    score = session.get("score")
    if not isinstance(score, (int, float)) or abandoned(session) or not practised(session):
        return None
    return score


def abandoned_note(count: int) -> str:
    """「未完成 N 次」 where runs are counted, empty for none."""
    return f"未完成 {count} 次" if count else ""


def drill_verdict(session: dict, pass_mark: int = PASS_MARK) -> str:
    """An ended drill: 过关/未过关 as recorded when it ended (`passed`), else by its score; 已结束
    when it has neither."""
    passed = session.get("passed")
    if passed is None and session.get("score") is not None:
        passed = session["score"] >= pass_mark
    if passed is None:
        return ENDED
    return DRILL_PASSED if passed else DRILL_FAILED


def outcome_label(session: dict, pass_mark: int = PASS_MARK) -> str:
    """The session's state in one word: its outcome, 已结束, 未完成 for an abandoned rehearsal, 没练,
    过关/未过关 for a drill, or 未结束 while still open."""
    drill = session.get("mode") == "drill"
    if session.get("outcome") and not drill:
        return session["outcome"]
    if not session.get("ended"):
        return OPEN
    if not practised(session):
        return NOT_PRACTISED
    if drill:
        return drill_verdict(session, pass_mark)
    return ABANDONED if session.get("mode") == "rehearse" and session.get("finished") is False else ENDED


def run_end_label(outcome: str | None, finished: bool) -> str:
    """How a rehearsal run that just ended reads (the screen, the headless text): its outcome,
    else 已结束 when the customer ended it, else 未完成 — as `outcome_label` reads it stored."""
    return outcome or (ENDED if finished else ABANDONED)


def status_label(session: dict, pass_mark: int = PASS_MARK) -> str:
    """The state with the score when there is one: 「成交 · 86分」, 「已结束」, 「未结束」, a drill's 「过关 · 86分」."""
    state = outcome_label(session, pass_mark)
    score = session.get("score")
    if score is None or not session.get("ended") or abandoned(session):  # 未完成 is not scored
        return state
    return f"{state} · {round(score)}分"


#: A logged WeChat-group event's type → what staff read (the 社群 screen's picker and `coach groups log`).
EVENT_LABELS = {"product_question": "有人@问产品", "post": "发了一条内容", "promotion": "有人晋级到上一层群",
                "deal": "成交了", "members_moved": "成员进出/迁移"}
