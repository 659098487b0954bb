"""The dashboard's card lists cut a long card title with 「…」, never in the middle of a word
without saying so (found at 150 columns: 「定期利息和理财业绩比较基准怎」)."""

from __future__ import annotations

from types import SimpleNamespace

from rich.console import Console

from assistant.ui.screens.dashboard_views import cards_panel
from assistant.ui.screens.review_rows import Names

LONG = "定期利息和理财业绩比较基准怎么讲"


def test_a_long_card_title_is_cut_with_an_ellipsis():
    library = SimpleNamespace(cards={"c1": SimpleNamespace(card=SimpleNamespace(title=LONG))})
    d = {"winning_cards": [{"card_id": "c1", "won": 1, "used": 2, "win_rate": 0.5}],
         "cards": {"never_used": [{"card_id": "c1", "shown": 3}], "shown": 3, "used": 0, "edited": 0}}
    console = Console(width=100, record=True)
    console.print(cards_panel(d, Names(library=library)))
    text = console.export_text()
    assert text.count("定期利息和理财业绩比较基准…") == 2 and "比较基准怎" not in text
