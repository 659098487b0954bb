"""The branch leaderboard (PK 竞赛): rehearsal scores and drill streaks by staff over a period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from assistant.core.labels import abandoned, counted_score


@dataclass(frozen=True)
class Standing:
    """One staff member's row."""

    staff_id: str
    name: str
    rehearsals: int
    average: int | None
    best: int | None
    #: Drill answers given in the period, and the best current streak among their items.
    drills: int
    streak: int
    #: Rehearsals given up (未完成): not scored, only counted.
    abandoned: int = 0


def leaderboard(history, since=None, until=None) -> list[Standing]:
    """Rows by staff for sessions started in [since, until], best average first."""
    scores: dict[str, list[int]] = defaultdict(list)
    given_up: dict[str, int] = defaultdict(int)
    for s in history.iter_sessions(since=since, until=until):
        if s.get("mode") != "rehearse" or not s.get("staff_id"):
            continue
        if (score := counted_score(s)) is not None:
            scores[s["staff_id"]].append(round(score))
        elif abandoned(s) and s.get("ended"):
            given_up[s["staff_id"]] += 1
    names = {p["id"]: p.get("name", p["id"]) for p in history.list_staff()}
    drills = _drills(history.list_drill(), str(since or "")[:10], str(until or "9999")[:10])
    ids = set(scores) | set(given_up) | {k for k, v in drills.items() if v[0] or v[1]}
    rows = [_row(i, names.get(i, i), scores.get(i, []), *drills.get(i, (0, 0)), given_up.get(i, 0)) for i in ids]
    return sorted(rows, key=lambda r: (-(r.average or -1), -r.streak, r.name))


def _drills(items: list[dict], since: str, until: str) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for item in items:
        done = sum(1 for h in item.get("history", []) if since <= h.get("date", "") <= until)
        count, streak = out.get(item.get("staff_id"), (0, 0))
        out[item.get("staff_id")] = (count + done, max(streak, item.get("streak", 0)))
    return out


def _row(staff_id: str, name: str, scores: list[int], drills: int, streak: int, given_up: int) -> Standing:
    avg = round(sum(scores) / len(scores)) if scores else None
    return Standing(staff_id, name, len(scores), avg, max(scores) if scores else None, drills, streak, given_up)
