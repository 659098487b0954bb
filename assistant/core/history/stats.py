"""`coach history stats`: the numbers a branch manager asks for, from a history.

Sessions by outcome, the eight-step funnel, top objection topics, card acceptance, rehearsal
scores by staff, and the 24 h / 72 h follow-up hit rate. Plain dicts, ready for JSON.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Callable, Iterable

from assistant.core.history.filters import STEP_INDEX, SessionFilter, steps_reached
from assistant.core.labels import abandoned, counted_score, outcome_label
from assistant.core.playbooks.models import STEP_ORDER

OUTCOMES = ("成交", "未成交", "待跟进")


def outcomes(sessions: list[dict]) -> dict[str, dict[str, int]]:
    """Per mode: how many sessions ended each way, in the words 复盘 shows (`labels.outcome_label`:
    未结束 while open, 已结束 without an outcome, 未完成 for a rehearsal given up, 过关/未过关 …)."""
    table: dict[str, Counter] = defaultdict(Counter)
    for s in sessions:
        table[mode_of(s)][outcome_label(s)] += 1
    return {mode: dict(counts) for mode, counts in sorted(table.items())}


def imported(sessions: list[dict]) -> int:
    """How many of these are chats imported for review (counted with the rest, marked 导入)."""
    return sum(s.get("source") == "import" for s in sessions)


def mode_of(session: dict) -> str:
    return session.get("mode") or "live"


def funnel_rows(reached: Counter, furthest: Counter) -> list[dict]:
    """The eight steps from a count of sessions per step index reached and per furthest-step index
    (-1: none reached). Counting once keeps a year of history O(sessions), also when the review
    dashboard asks for one funnel per staff member and per segment."""
    return [{"step": step, "reached": reached[i], "stopped": furthest[i]} for i, step in enumerate(STEP_ORDER)]


def funnel(sessions: Iterable[dict], by: Callable[[dict], str] = mode_of,
           groups: Iterable[str] = ()) -> dict[str, list[dict]]:
    """Per group (the mode unless `by` says otherwise): for each step, sessions that reached it
    and sessions that stopped there. `groups` are listed even when no session falls in them.

    The one funnel count: `coach history stats` (per mode) and the review dashboard (live vs
    practice, per staff member and segment) both come here.
    """
    counts: dict[str, tuple[Counter, Counter]] = {g: (Counter(), Counter()) for g in groups}
    for s in sessions:
        reached, furthest = counts.setdefault(by(s), (Counter(), Counter()))
        reached.update(steps_reached(s))
        furthest[STEP_INDEX.get(s.get("furthest_step"), -1)] += 1
    return {g: funnel_rows(*counts[g]) for g in sorted(counts)}


def objections_only(library: Any = None) -> Callable[[str], bool]:
    """Which session topics are customer objections: all but the library's marketer topics
    (every topic when there is no library to ask)."""
    return getattr(library, "is_objection_topic", None) or (lambda _topic: True)


def top_topics(sessions: list[dict], top: int = 10, keep: Callable[[str], bool] | None = None) -> list[dict]:
    """The objection topics raised in most sessions (`keep`: which topics are objections)."""
    keep = keep or objections_only()
    counts = Counter(t for s in sessions for t in s.get("topics") or () if keep(t))
    return [{"topic": t, "sessions": n} for t, n in counts.most_common(top)]


def card_acceptance(events: Iterable[dict], top: int = 10) -> dict:
    """Suggested (shown) vs used vs edited, overall and for the most shown cards (one streaming pass)."""
    shown, used, edited = Counter(), Counter(), Counter()
    count = 0
    for e in events:
        count += 1
        for m in e.get("matches") or ():
            if isinstance(m, dict) and m.get("card_id"):
                shown[m["card_id"]] += 1
        if e.get("used_card") and e.get("type") == "use":  # a suggestion taken, not a step script
            used[e["used_card"]] += 1
            if e.get("edited"):
                edited[e["used_card"]] += 1
    cards = [{"card_id": c, "shown": n, "used": used[c], "edited": edited[c]} for c, n in shown.most_common(top)]
    return {"events": count, "shown": sum(shown.values()), "used": sum(used.values()),
            "edited": sum(edited.values()), "cards": cards}


def rehearsal_scores(sessions: list[dict], staff_names: dict[str, str]) -> list[dict]:
    """Per staff: finished rehearsals' average, best and last score; runs given up (未完成) are not
    scored, only counted (`abandoned`)."""
    scores: dict[str, list[float]] = defaultdict(list)
    given_up: Counter = Counter()
    for s in sessions:
        if s.get("mode") != "rehearse":
            continue
        if (score := counted_score(s)) is not None:
            scores[s.get("staff_id") or ""].append(score)
        elif abandoned(s) and s.get("ended"):
            given_up[s.get("staff_id") or ""] += 1
    rows = [_score_row(sid, staff_names.get(sid, sid), scores[sid], given_up[sid])
            for sid in dict.fromkeys([*scores, *given_up])]
    return sorted(rows, key=lambda r: -(r["average"] if r["average"] is not None else -1))


def _score_row(staff_id: str, name: str, v: list[float], given_up: int) -> dict:
    return {"staff_id": staff_id, "name": name, "sessions": len(v), "abandoned": given_up,
            "average": round(sum(v) / len(v), 1) if v else None, "best": max(v, default=None),
            "last": v[-1] if v else None}


def _window_hours(followup: dict, rules: dict[str, Any]) -> int | None:
    rule = rules.get(followup.get("rule_id"))
    hours = (rule.hours or 0) + 24 * (rule.days or 0) if rule else None
    if hours in (24, 72):
        return hours
    rule_id = followup.get("rule_id") or ""
    return 24 if "24h" in rule_id else 72 if "72h" in rule_id else None


def followup_hit_rate(followups: list[dict], rules: dict[str, Any], now: str) -> dict[str, dict]:
    """For 24 h and 72 h follow-ups already due: how many were done by their due time."""
    out = {}
    for hours in (24, 72):
        due = [f for f in followups if _window_hours(f, rules) == hours and (f.get("due") or "9") <= now]
        on_time = [f for f in due if f.get("status") == "done" and (f.get("done_at") or "9") <= f["due"]]
        out[f"{hours}h"] = {"due": len(due), "on_time": len(on_time),
                            "rate": round(len(on_time) / len(due), 3) if due else None}
    return out


def compute(history: Any, since=None, until=None, library: Any = None) -> dict:
    sessions = history.query_sessions(SessionFilter(since=since, until=until), sort="started", limit=None)[0]
    ids = {s["id"] for s in sessions}
    cards = card_acceptance(e for e in history.iter_events(since, until) if e["session_id"] in ids)
    rules = {r.id: r for r in getattr(library, "followup_rules", None) or ()}
    followups = [f for f in history.list_followups() if not since or (f.get("due") or "") >= str(since)]
    return {
        "since": str(since) if since else None, "until": str(until) if until else None,
        "sessions": len(sessions), "events": cards.pop("events"), "imported": imported(sessions),
        "outcomes": outcomes(sessions), "funnel": funnel(sessions),
        "topics": top_topics(sessions, keep=objections_only(library)),
        "cards": cards,
        "rehearsal_scores": rehearsal_scores(sessions, {s["id"]: s["name"] for s in history.list_staff()}),
        "followups": followup_hit_rate(followups, rules, history.now()),
    }
