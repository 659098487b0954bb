"""Which customer line of a pasted chat drives the cards (issue 16 QA): a chat often ends on a
vague line (那你说说看吧) after the clear objection (你们利息太低了), and cards for the vague line's
weak guess would hide the answer the staff member needs."""

from __future__ import annotations

from dataclasses import replace

from assistant.core.live.results import Suggestions


def has_sure(found: Suggestions) -> bool:
    return any(item.tier == "sure" for item in found.items)


def driving(lines: list[Suggestions]) -> Suggestions | None:
    """The last line when it has a sure card; else the most recent line with one (its notice says
    which line the cards answer); with no sure card anywhere, the last line (its maybes)."""
    if not lines:
        return None
    last = lines[-1]
    if has_sure(last):
        return last
    earlier = next((found for found in reversed(lines[:-1]) if has_sure(found)), None)
    if earlier is None:
        return last
    # a message of several chat lines reads on one line, as 「客户说：」 shows it
    said, last_said = (found.query.replace("\n", " ") for found in (earlier, last))
    return replace(earlier, notice=f"针对：{said}（最后一句「{last_said}」没有找到有把握的话术）")


#: At most this many of the customer's last lines are matched again on resume.
RESUME_LINES = 5


def last_said(events: list[dict]) -> list[str]:
    """The customer's last lines in a logged session, as the cards answered them: the last customer
    line and the ones logged right before it with nobody else speaking (a pasted chat's run); my
    own lines after it do not hide it (the cards stayed on screen while I used them)."""
    run: list[str] = []
    for event in reversed(events):
        if event.get("type") != "line":
            continue  # notes, steps, card uses: not words anyone said
        if event.get("speaker") != "customer":
            if run:
                break
            continue
        run.append(event.get("text") or "")
        if len(run) == RESUME_LINES:
            break
    return [text for text in reversed(run) if text.strip()]
