"""The review dashboard's numbers, beyond what `coach history stats` already computes.

The funnel by staff and by segment (practice and live side by side), top objection topics this
week vs last, cards that win vs cards shown but never used, rehearsal score trend per staff by
week, drill streaks, follow-up discipline. Most sums come from
assistant.core.history.stats; this module groups sessions and calls them. Everything is read
from the in-memory session index except the "shown" card counts, which need the events
(`card_numbers`, run separately so a screen can show the rest at once).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Iterator

import orjson

from assistant.core.errors import UnknownIdError
from assistant.core.history import stats
from assistant.core.history.filters import SessionFilter
from assistant.core.labels import abandoned, counted_score

#: Session kinds compared side by side: live chats vs practice (rehearsal and drill).
KINDS = ("live", "practice")
KIND_LABELS = {"live": "实战", "practice": "练习"}
PRACTICE_MODES = ("rehearse", "drill")
#: Weeks shown in the score trend.
TREND_WEEKS = 8

#: Bytes found in every event line that suggests or uses a card (journal lines are compact JSON).
CARD_MARKERS = (b'"matches":[{', b'"used_card":"')

Cancel = Callable[[], bool]
Progress = Callable[[int, int], None]


def kind_of(session: dict) -> str:
    return "practice" if session.get("mode") in PRACTICE_MODES else "live"


def recent(sessions: list[dict], today: date, days: int = 28) -> list[dict]:
    """Sessions of the last `days` days (the card counts read events, so they look at a window)."""
    since = (today - timedelta(days=days - 1)).isoformat()
    return [s for s in sessions if (s.get("started") or "") >= since]


def week_start(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat((iso or "")[:10])
    except ValueError:
        return None


# ------------------------------------------------------------------ funnel


def funnel_split(sessions: Iterable[dict]) -> dict[str, list[dict]]:
    """The eight-step funnel for live and for practice sessions (stats.funnel, grouped by kind)."""
    return stats.funnel(sessions, by=kind_of, groups=KINDS)


def funnel_by(sessions: Iterable[dict], key: str, labels: dict[str, str]) -> list[dict]:
    """One funnel pair per value of `key` (staff_id, segment), most sessions first."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for s in sessions:
        groups[s.get(key) or ""].append(s)
    rows = []
    for group, members in groups.items():
        live = sum(kind_of(s) == "live" for s in members)
        rows.append({"group": group, "label": labels.get(group) or group or "未填客群", "sessions": len(members),
                     "live": live, "practice": len(members) - live, "funnel": funnel_split(members)})
    return sorted(rows, key=lambda r: (-r["sessions"], r["label"]))


# ------------------------------------------------------------------ topics and cards


def topics_week_over_week(sessions: Iterable[dict], today: date, top: int = 8, library: Any = None) -> list[dict]:
    """Objection topics raised this week so far vs the same days of last week, this week's most first.

    Same days, so that on a Wednesday three days are not compared with seven. A marketer's topic
    (the library's group marketer) is not an objection and is left out.
    """
    keep = stats.objections_only(library)
    this, last = week_start(today), week_start(today) - timedelta(days=7)
    weeks: dict[date, list[dict]] = {this: [], last: []}
    same_day_last_week = today - timedelta(days=7)
    for s in sessions:
        started = _day(s.get("started"))
        if started and (week_start(started) == this and started <= today
                        or week_start(started) == last and started <= same_day_last_week):
            weeks[week_start(started)].append(s)
    now = {r["topic"]: r["sessions"] for r in stats.top_topics(weeks[this], top=10**6, keep=keep)}
    before = {r["topic"]: r["sessions"] for r in stats.top_topics(weeks[last], top=10**6, keep=keep)}
    rows = [{"topic": t, "this_week": now.get(t, 0), "last_week": before.get(t, 0),
             "change": now.get(t, 0) - before.get(t, 0)} for t in set(now) | set(before)]
    rows.sort(key=lambda r: (-r["this_week"], -r["last_week"], r["topic"]))
    return rows[:top]


def winning_cards(sessions: Iterable[dict], top: int = 10) -> list[dict]:
    """Cards used in sessions that ended 成交, with how often they were used at all."""
    used, won = Counter(), Counter()
    for s in sessions:
        cards = set(s.get("cards_used") or ())
        used.update(cards)
        if s.get("outcome") == "成交":
            won.update(cards)
    rows = [{"card_id": c, "won": n, "used": used[c], "win_rate": round(n / used[c], 3)} for c, n in won.items()]
    rows.sort(key=lambda r: (-r["won"], -r["win_rate"], r["card_id"]))
    return rows[:top]


def session_events(history: Any, sessions: list[dict], cancel: Cancel | None = None,
                   progress: Progress | None = None, markers: tuple[bytes, ...] = CARD_MARKERS) -> Iterator[dict]:
    """Events of `sessions` whose line holds one of `markers`, reading only those sessions' months.

    Lines without a marker are skipped before decoding (most events carry no card).
    """
    ids = {s["id"] for s in sessions}
    months = sorted({s.get("month") or (s.get("started") or "")[:7] for s in sessions})
    journal = history.events_journal
    total = sum(journal.size(m) for m in months) or 1
    done = 0
    for month in months:
        if cancel and cancel():
            return
        try:
            data = journal.path(month).read_bytes()
        except FileNotFoundError:
            continue
        for line in data.split(b"\n"):
            if any(m in line for m in markers):
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue  # `coach history check` reports it; numbers skip it
                if record.get("session_id") in ids:
                    yield record
        done += len(data)
        if progress:
            progress(done, total)


def card_numbers(history: Any, sessions: list[dict], cancel: Cancel | None = None,
                 progress: Progress | None = None, top: int = 10) -> dict | None:
    """Shown / used / edited per card (stats.card_acceptance) and the cards shown but never used.

    None when cancelled. Reads the events of the sessions' months.
    """
    shown = list(session_events(history, sessions, cancel, progress))
    used = {c for s in sessions for c in s.get("cards_used") or ()}
    if cancel and cancel():
        return None
    acceptance = stats.card_acceptance(shown, top=10**6)
    never = [c for c in acceptance["cards"] if c["used"] == 0 and c["card_id"] not in used]
    return {"shown": acceptance["shown"], "used": acceptance["used"], "edited": acceptance["edited"],
            "most_shown": acceptance["cards"][:top], "never_used": never[:top]}


# ------------------------------------------------------------------ practice


def score_trend(sessions: Iterable[dict], names: dict[str, str], today: date, weeks: int = TREND_WEEKS) -> dict:
    """Average rehearsal score per staff member for each of the last `weeks` weeks (None: no rehearsal),
    and how many runs in those weeks were given up (`abandoned`: not scored, only counted)."""
    starts = [week_start(today) - timedelta(days=7 * i) for i in range(weeks - 1, -1, -1)]
    index = {w: i for i, w in enumerate(starts)}
    scores: dict[str, list[list[float]]] = defaultdict(lambda: [[] for _ in starts])
    given_up: Counter = Counter()
    for s in sessions:
        started, score = _day(s.get("started")), counted_score(s)
        slot = index.get(week_start(started)) if started and s.get("mode") == "rehearse" else None
        if slot is None:
            continue
        sid = s.get("staff_id") or ""
        weekly = scores[sid]  # someone who only gave up is listed too, with no score those weeks
        if score is not None:
            weekly[slot].append(score)
        elif abandoned(s) and s.get("ended"):
            given_up[sid] += 1
    rows = [{"staff_id": sid, "name": names.get(sid, sid), "abandoned": given_up[sid],
             "weeks": [round(sum(v) / len(v), 1) if v else None for v in slots]} for sid, slots in scores.items()]
    rows.sort(key=lambda r: r["name"])
    return {"weeks": [w.isoformat() for w in starts], "staff": rows}


def day_streak(days: set[date], today: date) -> int:
    """Consecutive days practised up to today (a streak still counts if today is not done yet)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def drill_streaks(sessions: Iterable[dict], items: list[dict], names: dict[str, str], today: date) -> list[dict]:
    """Per staff: consecutive drill days, drill sessions, items due, best item streak (Leitner)."""
    days: dict[str, set[date]] = defaultdict(set)
    for s in sessions:
        started = _day(s.get("started"))
        if s.get("mode") == "drill" and started:
            days[s.get("staff_id") or ""].add(started)
    by_staff: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_staff[item.get("staff_id") or ""].append(item)
    rows = []
    for sid in sorted(set(days) | set(by_staff)):
        mine = by_staff.get(sid, [])
        rows.append({"staff_id": sid, "name": names.get(sid, sid), "days": day_streak(days.get(sid, set()), today),
                     "drill_days": len(days.get(sid, ())), "items": len(mine),
                     "due": sum((i.get("due") or "9") <= today.isoformat() for i in mine),
                     "best_item_streak": max((i.get("streak") or 0 for i in mine), default=0)})
    rows.sort(key=lambda r: (-r["days"], r["name"]))
    return rows


# ------------------------------------------------------------------ follow-ups


def followup_discipline(followups: list[dict], sessions_by_id: dict[str, dict], names: dict[str, str],
                        rules: dict[str, Any], now: str) -> dict:
    """24 h / 72 h hit rate overall and per staff member (via the session the follow-up came from)."""
    by_staff: dict[str, list[dict]] = defaultdict(list)
    for f in followups:
        session = sessions_by_id.get(f.get("session_id") or "")
        by_staff[(session or {}).get("staff_id") or ""].append(f)
    rows = [{"staff_id": sid, "name": names.get(sid, sid or "未知"), **stats.followup_hit_rate(rows, rules, now)}
            for sid, rows in by_staff.items()]
    rows.sort(key=lambda r: r["name"])
    return {"overall": stats.followup_hit_rate(followups, rules, now), "by_staff": rows}


def _followups_in(history: Any, ids: set[str], everything: bool) -> list[dict]:
    """Follow-ups of the filtered sessions (all of them when nothing is filtered)."""
    return [f for f in history.list_followups() if f.get("session_id") in ids or (everything and not f.get("session_id"))]


# ------------------------------------------------------------------ the dashboard


def _drill_items(history: Any, f: SessionFilter) -> list[dict]:
    wanted = {f.staff_id} if isinstance(f.staff_id, str) else set(f.staff_id or ())
    return [i for i in history.list_drill() if not wanted or i.get("staff_id") in wanted]


def is_empty(f: SessionFilter) -> bool:
    return f == SessionFilter()


#: Open sessions whose events the dashboard reads for the step (and topics) reached so far, newest
#: first; any older open one counts as reaching no step (the dashboard says how many).
OPEN_READ = 200


def so_far(history: Any, record: dict, events: list[dict] | None = None) -> dict:
    """`record` as far as it got: a session still open (live, rehearsal or drill) carries the
    furthest step its events (read unless given) reached, and the steps they passed; a record gets furthest_step only when
    the session ends, so 复盘 showed 「—」 meanwhile and the funnel left it out."""
    if record.get("ended") or record.get("furthest_step"):
        return record
    from assistant.core.live.stored import furthest_of
    from assistant.core.playbooks.models import steps_of

    steps = [e.get("step") for e in (history.events(record["id"]) if events is None else events)]
    furthest = furthest_of(steps)
    return {**record, "furthest_step": furthest, "steps": steps_of(steps)} if furthest else record


def open_so_far(history: Any, sessions: list[dict], library: Any = None) -> tuple[list[dict], int]:
    """`sessions` with each open one as 复盘's list shows it (`so_far`), an open live one also with
    the topics of its customer lines' first cards (the record gets them only at the end). Also how
    many open ones were left unread (over OPEN_READ)."""
    open_ids = [s["id"] for s in sessions if not s.get("ended")]
    wanted = set(open_ids[max(0, len(open_ids) - OPEN_READ):])  # sessions come oldest first: the newest
    out = []
    for s in sessions:
        if s["id"] in wanted:
            events = history.events(s["id"])
            s = so_far(history, s, events)
            if s.get("mode", "live") == "live":
                s = {**s, "topics": list(dict.fromkeys([*(s.get("topics") or ()), *_event_topics(events, library)]))}
        out.append(s)
    return out, len(open_ids) - len(wanted)


def _event_topics(events: list[dict], library: Any) -> list[str]:
    """The topics of the first card each customer line got (as a live session notes them)."""
    if library is None:
        return []
    topics = []
    for e in events:
        card_id = (e.get("matches") or [{}])[0].get("card_id") if e.get("speaker") == "customer" else None
        try:
            ref = library.card(card_id) if card_id else None
        except UnknownIdError:  # a card no longer in the library has no topic to count
            ref = None
        card = getattr(ref, "card", ref)
        if card is not None and getattr(card, "topic", None):
            topics.append(card.topic)
    return topics


def dashboard(history: Any, f: SessionFilter | None = None, now: datetime | None = None,
              library: Any = None) -> dict:
    """Every number of the dashboard except the events-based card counts (see card_numbers).
    Open sessions count as far as they got, as the sessions list shows them (`open_so_far`)."""
    f = f or SessionFilter()
    now = now or history.clock()
    today = now.date()
    sessions, open_unread = open_so_far(history, history.query_sessions(f, sort="started", limit=None)[0], library)
    staff = {s["id"]: s.get("name") or s["id"] for s in history.list_staff()}
    segments = dict(getattr(getattr(library, "taxonomy", None), "segments", None) or {})
    rules = {r.id: r for r in getattr(library, "followup_rules", None) or ()}
    by_id = {s["id"]: s for s in sessions}
    return {
        "today": today.isoformat(), "sessions": len(sessions),
        "open": sum(1 for s in sessions if not s.get("ended")), "open_unread": open_unread,
        "kinds": {k: sum(kind_of(s) == k for s in sessions) for k in KINDS}, "imported": stats.imported(sessions),
        "outcomes": stats.outcomes(sessions),
        "funnel": funnel_split(sessions),
        "by_staff": funnel_by(sessions, "staff_id", staff),
        "by_segment": funnel_by(sessions, "segment", segments),
        "topics": topics_week_over_week(sessions, today, library=library),
        "winning_cards": winning_cards(sessions),
        "scores": score_trend(sessions, staff, today),
        "streaks": drill_streaks(sessions, _drill_items(history, f), staff, today),
        "followups": followup_discipline(_followups_in(history, set(by_id), is_empty(f)), by_id, staff, rules,
                                         now.isoformat(timespec="seconds")),
        "cards": None,
    }
