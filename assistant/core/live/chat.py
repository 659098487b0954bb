"""Read a chat that staff copied out of WeChat: who said what, and when.

Formats staff actually have:

- PC WeChat / 企业微信 copied stretches: a header line `名字 时间` (times like 10:32, 10:32:15,
  2026/12/3 19:02:11, 昨天 10:32, 星期三 下午 3:02), then the message's lines;
- merged-forward records: `名字：内容` (full- or half-width colon), one message per line;
- chat-backup exports: `2026-12-03 19:02:11 名字` headers (the content may follow a colon);
- plain lines with no markers: one customer message per line.

The staff side is recognised by the staff member's names and 「我」; everyone else is the
customer. A content line that merely contains a time (明天 10:30 我过去) stays content: a header
is a name and a time with nothing after it, and an unknown name only counts as a sender when the
paste starts with such a header or the name heads several messages.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Iterable

from assistant.core.address import called

CUSTOMER, STAFF = "customer", "staff"

_DAY = r"(?:\d{4}[/\-.年]\d{1,2}[/\-.月]\d{1,2}日?|\d{1,2}[/\-月]\d{1,2}日?|昨天|前天|今天|星期[一二三四五六日天]|周[一二三四五六日天])"
_CLOCK = r"(?:(?:上午|下午|晚上|凌晨|中午|早上)\s*)?\d{1,2}:\d{2}(?::\d{2})?"
_TIME = rf"(?:{_DAY}\s*)?{_CLOCK}"
#: 张阿姨 10:32 / 李娜(幸福路支行)  2026/12/3 19:02:11 — a name, spaces, a time, nothing after.
_HEADER = re.compile(rf"^(?P<name>\S.{{0,23}}?)\s+(?P<time>{_TIME})$")
#: 2026-12-03 19:02:11 张阿姨 — the backup tools' header; some put the message after a colon.
_BACKUP = re.compile(r"^(?P<time>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?)\s+"
                     r"(?P<name>[^\s：:][^：:]{0,15}?)\s*(?:[：:]\s*(?P<text>.*))?$")
#: 张阿姨：内容 / Amy: 内容 — a short name and a colon.
_COLON = re.compile(r"^(?P<name>[^\s：:，,。！？!?、]{1,12})\s*[：:]\s*(?P<text>\S.*)$")
#: A line that is only a time or a date (WeChat's separators between stretches).
_BARE_TIME = re.compile(rf"^(?:{_TIME}|{_DAY})$")
#: Words that are a day or a moment, never a sender (明天 10:30 is a plan, not a header).
_NOT_NAMES = frozenset("今天 明天 后天 昨天 前天 大后天 上午 下午 晚上 中午 早上 凌晨 周末 下周 本周 这周 "
                       "约 约好 改到 改成 大概 大约 就 还是 或者 那就 到时候 时间".split())
#: WeChat's own notices in a copied stretch: not anybody's words.
_NOTICE = re.compile(r"撤回了一条消息|以下为新消息|^\[?(?:图片|表情|语音|视频|文件|动画表情)\]?$")
_SELF = ("我",)
#: A would-be name holding a day or a part of the day is someone's plan (那就明天 10:30).
_MOMENT = re.compile(r"今天|明天|后天|昨天|前天|下周|周末|上午|下午|晚上|中午|早上|凌晨|点半|几点")


@dataclass(frozen=True)
class ChatMessage:
    """One message: who (customer or staff), the sender's name as shown, when (as shown), what."""

    speaker: str
    name: str | None
    time: str | None
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Line:
    """A classified input line: a header (name, time, maybe text) or content."""

    kind: str  # "header" | "colon" | "content"
    text: str
    name: str | None = None
    time: str | None = None


def parse_chat(text: str, staff_names: Iterable[str] = (), known_names: Iterable[str] = ()) -> list[ChatMessage]:
    """The messages of a pasted or exported chat, in order. `staff_names` are the names the staff
    member shows under (besides 我); `known_names` are other senders we expect (the customer)."""
    staff = _names(staff_names) | set(_SELF)
    known = staff | _names(known_names)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    classified = _classify(lines, known)
    messages = _messages(classified, staff)
    return _other_is_staff(messages, _names(known_names))


def same_person(name: str, other: str) -> bool:
    """张阿姨 is 张阿姨(VIP); an empty name is nobody."""
    a, b = base_name(name or ""), base_name(other or "")
    return bool(a and b) and (a == b or name == other)


def _other_is_staff(messages: list[ChatMessage], customer_names: set[str]) -> list[ChatMessage]:
    """Two people chatting, one of them the known customer and no staff name recognised: the
    other one is the staff member (shown under a nickname we were not told)."""
    if not customer_names or any(m.speaker == STAFF for m in messages):
        return messages
    names = {m.name for m in messages if m.name}
    customers = {n for n in names if any(same_person(n, c) for c in customer_names)}
    others = names - customers
    if not customers or len(others) != 1:
        return messages
    other = others.pop()
    return [ChatMessage(STAFF, m.name, m.time, m.text) if m.name == other else m for m in messages]


def staff_names(staff: dict | None) -> list[str]:
    """The names a staff member shows under in chats: the name, any `aliases` (微信昵称), and what
    customers call a 李娜 (小李, 李经理): a paste signed 小李 was read as a second customer."""
    staff = staff or {}
    name = staff.get("name") or ""
    return [n for n in [name, *(staff.get("aliases") or []), *called(name)] if n]


def has_senders(messages: list[ChatMessage]) -> bool:
    """True when the chat named at least one sender (not just plain lines)."""
    return any(m.name for m in messages)


def colon_name(text: str) -> str | None:
    """The would-be sender of a paste that opens with `名字：内容` (None when it does not): alone,
    such a line is read as content (利率：2.15%) unless the caller knows the name."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    candidate = _candidate(first)
    return candidate.name if candidate is not None and candidate.kind == "colon" else None


def _names(names: Iterable[str]) -> set[str]:
    return {n.strip() for n in names if n and n.strip()}


def base_name(name: str) -> str:
    """李娜(幸福路支行) / 李娜@幸福路支行 / 李娜（理财经理） → 李娜."""
    return re.split(r"[（(@\[【]", name, maxsplit=1)[0].strip() or name


def _classify(lines: list[str], known: set[str]) -> list[_Line]:
    raw = [_candidate(line) for line in lines]
    header_names = [c.name for c in raw if c and c.kind == "header"]
    first = next((c for c, line in zip(raw, lines) if line and not _BARE_TIME.match(line) and not _NOTICE.search(line)), None)
    starts_with_header = first is not None and first.kind == "header"
    out = []
    for i, (candidate, line) in enumerate(zip(raw, lines)):
        if (candidate is not None and candidate.kind == "header"
                and _accept(candidate.name, header_names, known, starts_with_header)
                and (_is_known(candidate.name, known) or _content_follows(raw, lines, i))):
            out.append(candidate)
        elif candidate is not None and candidate.kind != "header":
            out.append(candidate)  # colons are decided below, once every sender is known
        else:
            out.append(_Line("content", line))
    senders = {c.name for c in out if c.kind.endswith("header")}
    colon_names = [c.name for c in raw if c and c.kind == "colon"]
    if _one_sender_stretch(first, colon_names):
        senders.add(first.name)
    return [_Line("content", lines[i]) if c.kind == "colon" and not _accept_colon(c.name, colon_names, known, senders)
            else c for i, c in enumerate(out)]


def _one_sender_stretch(first: _Line | None, colon_names: list[str]) -> bool:
    """张阿姨：… ⏎ 张阿姨：… — a merged-forward record of one person: it opens with that name and
    every `名字：` line names them (one 利率：2.15% alone, or mixed labels, stays content)."""
    return (first is not None and first.kind == "colon" and len(colon_names) >= 2
            and set(colon_names) == {first.name})


def _candidate(line: str) -> _Line | None:
    """What the line could be, before looking at the rest of the paste."""
    if not line:
        return None
    m = _BACKUP.match(line)
    if m and _looks_like_name(m["name"]):
        kind = "colon" if m["text"] else "header"
        # a backup header carries its own date: always a header, whatever the name
        return _Line("backup-" + kind, (m["text"] or "").strip(), m["name"].strip(), m["time"])
    m = _HEADER.match(line)
    if m and _looks_like_name(m["name"]):
        return _Line("header", "", m["name"].strip(), m["time"])
    m = _COLON.match(line)
    if m and not m["text"].startswith("//") and _looks_like_name(m["name"]):
        return _Line("colon", m["text"].strip(), m["name"], None)
    return None


def _looks_like_name(name: str) -> bool:
    name = name.strip()
    if not name or name in _NOT_NAMES or _BARE_TIME.match(name) or _MOMENT.search(name):
        return False
    return not re.search(r"[，。！？!?；;、…]", name) and not name.isdigit()


def _content_follows(raw: list, lines: list[str], index: int) -> bool:
    """A header is followed by its message; a time at the end of someone's words is not one."""
    following = next((j for j in range(index + 1, len(lines)) if lines[j]), None)
    return following is not None and (raw[following] is None or raw[following].kind == "colon")


def _accept(name: str, names: list[str], known: set[str], starts_with_header: bool) -> bool:
    return _is_known(name, known) or starts_with_header or names.count(name) >= 2


def _accept_colon(name: str, names: list[str], known: set[str], senders: set[str]) -> bool:
    """`名字：内容` is a sender for a known name or someone who heads a message of this paste
    (王阿姨 10:32 … 王阿姨：有啥推荐), or when several lines do it and a name repeats
    (利率：2.15% alone is content, not a person called 利率)."""
    if _is_known(name, known) or _is_known(name, senders) or any(same_person(name, s) for s in senders):
        return True
    names = [*names, *(n for n in senders if n in names)]
    return len(names) >= 2 and len(set(names)) >= 2 and any(names.count(n) >= 2 for n in set(names))


def _is_known(name: str, known: set[str]) -> bool:
    return name in known or base_name(name) in known


def _messages(lines: list[_Line], staff: set[str]) -> list[ChatMessage]:
    structured = any(line.kind != "content" for line in lines)
    out: list[ChatMessage] = []
    current: tuple[str | None, str | None] | None = None  # (name, time) of the open message
    body: list[str] = []
    #: The last bare time line (WeChat's separator): the time of messages that show none.
    moment: str | None = None

    def flush() -> None:
        if current is not None and body:
            out.append(_message(current[0], current[1], "\n".join(body), staff))
        body.clear()

    for line in lines:
        kind = line.kind.removeprefix("backup-")
        if kind in ("header", "colon"):
            flush()
            current = (line.name, line.time or moment)
            if kind == "colon":
                body.append(line.text)  # the lines after it carry on the same message
        elif structured and line.text and _BARE_TIME.match(line.text) and (current is None or body):
            moment = line.text  # a separator; right under a header it is the message (几点？ — 10:30)
        elif not line.text or _NOTICE.search(line.text):
            continue
        elif current is not None:
            body.append(line.text)
        else:  # plain lines (or lines before the first header): one customer message each
            out.append(ChatMessage(CUSTOMER, None, moment, line.text))
    flush()
    return out


def _message(name: str | None, time: str | None, text: str, staff: set[str]) -> ChatMessage:
    speaker = STAFF if name and _is_known(name, staff) else CUSTOMER
    return ChatMessage(speaker, name, time, text)


__all__ = ["CUSTOMER", "STAFF", "ChatMessage", "colon_name", "has_senders", "parse_chat", "same_person", "staff_names"]


_FULL_DAY = re.compile(r"(?:(?P<y>\d{4})[/\-.年])?(?P<m>\d{1,2})[/\-.月](?P<d>\d{1,2})日?\s*")
_SECONDS = re.compile(r"(?<!\d)(\d{1,2}):(\d{2}):\d{2}(?!\d)")
_CLOCK_ONLY = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)")


def bubble_time(raw: str | None, now: datetime) -> str:
    """A pasted message's time as people read it (09:02 today, 昨天 09:02, 12月5日 09:02): the chat's
    own stamp (2026/12/6 09:02:11) is machine-like and crowds the bubble's speaker line."""
    if not raw:
        return ""
    text = _SECONDS.sub(r"\1:\2", raw.strip())
    text = _CLOCK_ONLY.sub(lambda m: f"{int(m[1]):02d}:{m[2]}", text)
    day = _FULL_DAY.match(text)
    if day is None:
        return text
    rest = text[day.end():].strip()
    try:
        when = date(int(day["y"] or now.year), int(day["m"]), int(day["d"]))
    except ValueError:
        return text
    if when == now.date():
        return rest
    if when == now.date() - timedelta(days=1):
        return f"昨天 {rest}".strip()
    year = f"{when.year}年" if when.year != now.year else ""
    return f"{year}{when.month}月{when.day}日 {rest}".strip()
