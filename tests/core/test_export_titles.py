"""People read card titles, not ids: the md transcript of `coach history export` and 复盘's export name
cards as Live does, and so does the CSV, while JSON lines keep ids for programs; `coach suggest`'s text
output keeps ids for --json only (issue 17 audit)."""

from __future__ import annotations

import io
import json

from assistant.cli import main
from assistant.core.history import History
from assistant.core.history.filters import SessionFilter
from assistant.core.playbooks.loader import load_library


def _session() -> None:
    history = History()
    sid = history.start_session(mode="live")
    history.log_event(sid, "customer", "利息太低了", matches=[{"card_id": "think-it-over", "score": 80}])
    history.log_event(sid, "staff", "您主要顾虑哪一点？", type="use", used_card="think-it-over")
    history.close()


def test_md_export_names_cards_by_title(capsys):
    _session()
    title = load_library().card("think-it-over").card.title
    assert main(["history", "export", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert f"建议 「{title}」" in out and f"用了「{title}」" in out and "think-it-over" not in out


def test_review_md_export_names_cards_by_title():
    from assistant.core.review.export import export_sessions

    _session()
    out = io.StringIO()
    export_sessions(History(), SessionFilter(), "md", out, titles={"think-it-over": "再考虑考虑"})
    assert "用了「再考虑考虑」" in out.getvalue() and "think-it-over" not in out.getvalue()


def test_csv_export_names_cards_by_title_and_jsonl_keeps_ids_for_programs(capsys):
    """The CSV is opened in Excel by people (6778ff1); JSON lines are what programs read."""
    _session()
    title = load_library().card("think-it-over").card.title
    assert main(["history", "export", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert title in out and "think-it-over" not in out
    assert main(["history", "export", "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["used_card"] for r in rows] == [None, "think-it-over"]


def test_suggest_text_has_no_card_ids_and_json_keeps_them(capsys):
    assert main(["suggest", "利息太低了", "--json"]) == 0
    ids = [r["id"] for r in json.loads(capsys.readouterr().out)["results"]]
    assert ids
    assert main(["suggest", "利息太低了"]) == 0
    text = capsys.readouterr().out
    assert not any(card_id in text for card_id in ids)
