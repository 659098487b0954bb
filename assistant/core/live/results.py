"""What live mode answers with: suggestions for a customer line, what happened to my own line,
the step's checklist, and the follow-ups an ended session created. Plain frozen dataclasses the
screen draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Said when someone tries to send a staff tip.
STAFF_TIP = "这条是给你的提示，不是发给客户的话：不会复制，也不会记为已发送。"

@dataclass(frozen=True)
class Suggestion:
    """One card rendered for this customer, ready to copy."""

    card_id: str
    title: str
    topic: str | None
    topic_label: str
    score: float
    #: Words of the customer's line that matched, and their (start, end) spans in that line.
    matched: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    reply: str
    follow_up: str | None = None
    step: str | None = None
    next_step: str | None = None
    #: Labels of the variables the reply needed but nobody filled (shown as 【label】 in `reply`).
    missing: tuple[str, ...] = ()
    label: str | None = None
    #: The card's trigger that fit best (why it matched).
    trigger: str | None = None
    #: Who `reply` is for: "customer" (copy and send) or "staff" (a tip: never copied or logged as said).
    audience: str = "customer"
    #: A tip for the staff member that comes with a customer reply (the card's staff response).
    tip: str | None = None
    #: "sure", or "maybe" when the matcher is not confident about a customer line (drawn dimmed,
    #: labelled 可能是); a search result (/card, 话术库) is always "sure": no tier there.
    tier: str = "sure"

    @property
    def for_customer(self) -> bool:
        """True when `reply` is meant to be sent to the customer."""
        return self.audience != "staff"


@dataclass(frozen=True)
class Suggestions:
    """The answer to one customer line. Empty `items` means nothing cleared the cutoff."""

    query: str
    items: tuple[Suggestion, ...] = ()
    notice: str | None = None
    #: The line only acknowledges, greets or thanks (好的 / 嗯 / 谢谢): no card is the right answer.
    acknowledgement: bool = False
    #: The answer to a /card search: `query` is the staff member's search words, not a customer line.
    searched: bool = False
    #: `query` was typed as the customer's line but reads as the staff member's own question (see
    #: `live.asking`): logged as asked, not as said by the customer.
    asked: bool = False

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class StaffLine:
    """What happened to one of my own lines: compliance flags and newly ticked key points."""

    text: str
    flags: tuple[Any, ...] = ()
    ticked: tuple[str, ...] = ()
    #: For a used suggestion: True when the text sent differs from the suggested reply.
    edited: bool = False


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    done: bool
    quote: str | None = None


@dataclass(frozen=True)
class FollowupDue:
    title: str
    due: str
    rule_id: str
    card_id: str | None = None
    scenario_id: str | None = None
    id: str | None = None
