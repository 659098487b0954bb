"""Import a real chat (pasted or exported from WeChat) as a live session, annotated as Live would
have annotated it: each customer line matched to cards (steps move forward from them), each of my
lines checked for compliance and ticked against the step's key points, and the outcome.

The session is marked `source: "import"` and carries `import_key`, a digest of the customer and
the messages, so importing the same chat twice finds the first import instead of a duplicate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from assistant.core.live.chat import CUSTOMER, ChatMessage, parse_chat, staff_names
from assistant.core.live.commands import OUTCOMES
from assistant.core.live.moments import message_times
from assistant.core.live.session import LiveSession
from assistant.core.playbooks.models import steps_of

@dataclass(frozen=True)
class ImportResult:
    """What an import did: the session id, whether it was already there, and what it found."""

    session_id: str
    duplicate: bool
    customer_lines: int = 0
    staff_lines: int = 0
    cards: tuple[str, ...] = ()
    furthest_step: str | None = None
    flags: int = 0
    ticked: int = 0
    outcome: str | None = None
    followups: int = 0
    #: The chat's customer-side name when it is not the customer it was imported for (else None).
    stranger: str | None = None


def stranger_warning(result: ImportResult, customer_name: str) -> str | None:
    """The warning for an import whose chat names someone else (the CLI and 复盘's dialog both say it)."""
    if not result.stranger:
        return None
    return f"⚠ 聊天里的客户是「{result.stranger}」，不是「{customer_name}」。"


def import_key(messages: list[ChatMessage], customer_id: str | None) -> str:
    """Same customer and same messages (who and what, not how the times were shown) → same key."""
    digest = hashlib.sha1(f"{customer_id or ''}".encode())
    for m in messages:
        digest.update(f"\n{m.speaker}\t{m.text}".encode())
    return f"chat-{digest.hexdigest()[:16]}"


def find_import(history: Any, key: str) -> dict | None:
    """The session an earlier import of this chat made, if any."""
    return next((s for s in history.iter_sessions() if s.get("import_key") == key), None)


def import_chat(text: str, *, services: Any, staff: dict | None, customer: dict | None,
                day: date | None = None, outcome: str | None = None,
                today: Callable[[], datetime] = datetime.now) -> ImportResult:
    """Read `text` as a chat and record it as a live session of `staff` with `customer` (see module doc).
    `day` is the chat's date when its times carry none (default: today)."""
    from assistant.core.errors import InputError

    if outcome is not None and outcome not in OUTCOMES:
        raise InputError(f"结果「{outcome}」不对，要写 {'、'.join(OUTCOMES)} 之一。")
    from assistant.core.textsafe import check_line_lengths

    check_line_lengths(text.splitlines(), "粘贴的聊天")  # a file's own name is given by the CLI before this
    names = [customer["name"]] if (customer or {}).get("name") else []
    messages = parse_chat(text, staff_names(staff), names)
    if not messages:
        raise InputError("这段聊天里没有读到消息。请粘贴从微信 / 企业微信复制的聊天，或聊天备份导出的文本。")
    key = import_key(messages, (customer or {}).get("id"))
    earlier = find_import(services.history, key)
    if earlier is not None:
        return ImportResult(earlier["id"], True, outcome=earlier.get("outcome"))
    moments = message_times(messages, day or today().date())
    return _record(messages, moments, key, services, staff, customer, outcome)


def _record(messages: list[ChatMessage], moments: list[datetime], key: str, services: Any, staff: dict | None,
            customer: dict | None, outcome: str | None) -> ImportResult:
    now = {"t": moments[0]}
    session = LiveSession(services.library, services.matcher, services.renderer, services.history, staff=staff,
                          customer=customer, clock=lambda: now["t"], check=services.check,
                          covered=services.covered, extra={"source": "import", "import_key": key})
    flags = ticked = 0
    for message, moment in zip(messages, moments):
        now["t"] = moment
        if message.speaker == CUSTOMER:
            session.customer_said(message.text)
        else:
            line = session.staff_said(message.text)
            flags += len(line.flags)
            ticked += len(line.ticked)
    due = session.end(outcome) if outcome else _close_without_outcome(session)
    customer_lines = sum(m.speaker == CUSTOMER for m in messages)
    return ImportResult(session.session_id, False, customer_lines, len(messages) - customer_lines,
                        tuple(session.matched_cards), session.furthest, flags, ticked, outcome, len(due),
                        session.stranger(messages))


def _close_without_outcome(session: LiveSession) -> list:
    """An imported chat is over even when nobody said how it ended: closed, outcome left empty."""
    session.history.end_session(session.session_id, ended=session.clock().isoformat(timespec="seconds"),
                                furthest_step=session.furthest, steps=steps_of(session.reached), topics=list(session.topics),
                                cards_used=list(session.cards_used))
    session.ended = ""
    return []
