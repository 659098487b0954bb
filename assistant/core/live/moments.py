"""When a chat's messages were said: the times WeChat shows (10:32, 昨天 10:32, 星期三 下午 3:02,
2026/12/3 19:02:11) read as moments, and a moment shown back as people read it. An imported chat
is logged at these moments; a pasted one keeps them as each line's `said`, so a resumed session
shows the chat's own times, not when the lines were logged."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from assistant.core.live.chat import ChatMessage, bubble_time

_FULL = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_SHORT = re.compile(r"^(\d{1,2})[/\-月](\d{1,2})日?")
_CLOCK = re.compile(r"(上午|下午|晚上|凌晨|中午|早上)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?")
_WEEKDAYS = "一二三四五六日"


def message_times(messages: list[ChatMessage], day: date) -> list[datetime]:
    """A moment for each message: its own date and time when shown, else the day given (昨天 and
    星期三 counted back from it), keeping order (a message without a time follows the one before)."""
    out: list[datetime] = []
    last: datetime | None = None
    for m in messages:
        moment = parse_moment(m.time, day) if m.time else None
        if moment is None:
            moment = last or datetime.combine(day, time(9, 0))
        elif last is not None and moment < last:
            moment = last
        out.append(moment)
        last = moment
    return out


def parse_moment(shown: str, day: date) -> datetime | None:
    """10:32 / 下午 3:02 / 昨天 10:32 / 星期三 10:32 / 12/3 10:32 / 2026/12/3 19:02:11 → a datetime."""
    clock = _CLOCK.search(shown)
    if not clock:
        return None
    hour, minute, second = int(clock[2]), int(clock[3]), int(clock[4] or 0)
    if clock[1] in ("下午", "晚上") and hour < 12:
        hour += 12
    when = _day_of(shown[:clock.start()].strip(), day)
    try:
        return datetime.combine(when, time(hour, minute, second))
    except ValueError:
        return None


def _day_of(prefix: str, day: date) -> date:
    full = _FULL.search(prefix)
    if full:
        try:
            return date(int(full[1]), int(full[2]), int(full[3]))
        except ValueError:
            return day
    short = _SHORT.search(prefix)
    if short:
        try:
            return date(day.year, int(short[1]), int(short[2]))
        except ValueError:
            return day
    back = {"昨天": 1, "前天": 2}.get(prefix)
    if back:
        return day - timedelta(days=back)
    weekday = re.search(r"(?:星期|周)([一二三四五六日天])", prefix)
    if weekday:
        wanted = _WEEKDAYS.index(weekday[1].replace("天", "日"))
        return day - timedelta(days=(day.weekday() - wanted) % 7)
    return day


def said_at(shown: str | None, now: datetime) -> str | None:
    """When a pasted message was said (its shown time read against today), for its log line;
    None when the chat shows no time (then it was said about when it was logged)."""
    moment = parse_moment(shown, now.date()) if shown else None
    return moment.isoformat(timespec="seconds") if moment else None


def said_label(event: dict, now: datetime) -> str:
    """A logged line's time for its bubble: when it was said in the chat (`said`), else when it was
    logged; today's as 10:32, earlier ones with their day (昨天 10:32, 12月3日 19:02)."""
    try:
        moment = datetime.fromisoformat(str(event.get("said") or event.get("time") or ""))
    except ValueError:
        return ""
    return bubble_time(f"{moment.year}/{moment.month}/{moment.day} {moment:%H:%M}", now)
