"""「记住这句」: customer lines the branch taught the coach, as extra triggers for a card.

When the live coach missed (no card, or only maybes) and the marketer found a card through the
library and used it, the customer's line (phone, ID and card numbers masked first) becomes a
branch trigger for that card: stored with who and when in the history's settings (one small list:
a branch remembers tens to hundreds of lines), read by the matcher at once, listed and removable
in 话术库 and `coach triggers`, exportable as a `kind: triggers` playbook file that another
branch loads with `--playbooks DIR`.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from assistant.core.errors import InputError, UnknownIdError

#: The settings key holding the list of remembered lines.
SETTING = "branch_triggers"
#: Lines shorter than this (normalized) say too little to find a card by.
MIN_CHARS = 3
#: Longer lines are cut: a trigger is one thing a customer says, not a transcript.
MAX_CHARS = 120
#: File id (and name) of the exported playbook file.
EXPORT_ID = "branch-remembered"
#: The matcher entries' `source` for remembered lines (the topic model never saw them; they add no
#: words to the matcher's segmenter): `matchprep.REMEMBERED`, spelled here so this module loads light.
REMEMBERED = "remembered"


def coach_missed(matches) -> bool:
    """Whether the live coach had no sure card for the line (then 「记住这句」 is offered)."""
    return not any(getattr(m, "tier", "sure") == "sure" for m in matches)


def clean_line(text: str) -> str:
    """The line as it will be stored: numbers masked, whitespace collapsed, at most MAX_CHARS."""
    from assistant.core.history.mask import mask_numbers

    return " ".join(mask_numbers(text).split())[:MAX_CHARS]


def remember(history, card_id: str, text: str, *, library=None, staff: dict | None = None,
             session_id: str | None = None) -> dict:
    """Store `text` as a branch trigger for `card_id`; the same line for the same card is kept
    once (the existing record is returned). InputError when the line is too short or the card
    cannot be matched."""
    from assistant.core.language.textnorm import normalize

    line = clean_line(text)
    if len(normalize(line)) < MIN_CHARS:
        raise InputError(f"「{text.strip()}」太短，记不住：至少要 {MIN_CHARS} 个字，才能靠它找到卡片。")
    if library is not None:
        _check_card(library, card_id)
    records = list_remembered(history)
    for r in records:
        if r["card_id"] == card_id and normalize(r["text"]) == normalize(line):
            return r
    staff = staff or {}
    record = {"id": "t" + secrets.token_hex(4), "card_id": card_id, "text": line, "by": staff.get("id"),
              "by_name": staff.get("name"), "time": history.now(), "session_id": session_id}
    history.set_setting(SETTING, [*records, record])
    return record


def _check_card(library, card_id: str) -> None:
    ref = library.card(card_id)  # UnknownIdError with the nearest id
    if not ref.card.topic:
        raise InputError(f"卡片 `{card_id}` 没有话题（topic），不能用来匹配客户的话。")


def list_remembered(history) -> list[dict]:
    """Every remembered line, oldest first."""
    value = history.get_setting(SETTING, [])
    return [r for r in value if isinstance(r, dict) and r.get("card_id") and r.get("text")] if isinstance(value, list) else []


def forget(history, ident: str) -> dict:
    """Remove one remembered line by its id; UnknownIdError when there is none."""
    records = list_remembered(history)
    gone = next((r for r in records if r["id"] == ident), None)
    if gone is None:
        known = "、".join(r["id"] for r in records[:5]) or "（还没有记住任何一句）"
        raise UnknownIdError(f"没有编号为 {ident} 的记住的说法。现有：{known}")
    history.set_setting(SETTING, [r for r in records if r["id"] != ident])
    return gone


def entries(history, library) -> list:
    """The remembered lines as matcher entries, for cards the library still has (with a topic)."""
    from assistant.core.language.matchprep import Entry

    out = []
    for r in list_remembered(history):
        ref = library.cards.get(r["card_id"])
        if ref is not None and ref.card.topic:
            out.append(Entry(ref.id, ref.kind, ref.card.topic, ref.card.title, r["text"], REMEMBERED))
    return out


def matcher_for(library, history, **kwargs: Any):
    """The library's matcher with the branch's remembered lines as triggers."""
    from assistant.core.language.matcher import Matcher

    return Matcher.from_library(library, extra=entries(history, library), **kwargs)


def matcher_after(matcher, library, history):
    """`matcher` with the branch's remembered lines as they are now (one added or removed): grown
    or cut at once (`Matcher.with_remembered`: ~0.2 s, scoring as `matcher_for` would, where
    `matcher_for` prepares every trigger again for a new line, 10 s); built again when `matcher`
    cannot grow (a stand-in)."""
    grow = getattr(matcher, "with_remembered", None)
    return grow(entries(history, library)) if grow is not None else matcher_for(library, history)


def ready(matcher) -> None:
    """Do ahead of F8 what the first `matcher_after` of a matcher needs (~0.5–1 s): read back its
    index (see `matchgrow.Grower`) and load the pinyin tables a new line is spelled with."""
    warm = getattr(matcher, "ready_to_grow", None)
    if warm is not None:
        warm()


def save(matcher) -> None:
    """Keep a grown matcher's caches on disk, so the next start loads them (see `matchgrow.save`)."""
    if getattr(matcher, "with_remembered", None) is not None:
        from assistant.core.language import matchgrow

        matchgrow.save(matcher)


def export(history, folder: str | Path, branch: str | None = None) -> Path:
    """Write every remembered line as `FOLDER/triggers/branch-remembered.yaml` (kind: triggers),
    a playbook folder another branch loads with `coach --playbooks FOLDER`. InputError when
    nothing is remembered yet."""
    from ruamel.yaml import YAML

    records = list_remembered(history)
    if not records:
        raise InputError("还没有记住任何一句：在实战里没有把握的卡片时，从话术库找到卡片并使用后，点「记住这句」。")
    by_card: dict[str, list[str]] = {}
    for r in records:
        by_card.setdefault(r["card_id"], []).append(r["text"])
    target = Path(folder).expanduser() / "triggers" / f"{EXPORT_ID}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    title = f"{branch}记住的客户说法" if branch else "网点记住的客户说法"
    doc = {"version": 1, "kind": "triggers", "id": EXPORT_ID, "title": title,
           "summary": f"{len(records)} 句，来自「记住这句」；用 coach --playbooks {Path(folder)} 加载。", "triggers": by_card}
    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    with target.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    return target
