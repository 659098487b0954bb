"""话术库 and 「记住这句」 as a branch employee meets them (found in tmux QA): the offer quotes the
line as it will be stored (phone numbers masked), the preview says plainly when 实战 has no
customer yet, and every card is one row in the list, even at 80×24 (a wrapped topic label read
as a second card)."""

from __future__ import annotations

from livefakes import say, settle

from assistant.core import remembered
from assistant.ui.app import CoachApp
from assistant.ui.services import build_services

PHONE = "13812345678"
LINE = f"我那点钱放你们这儿心里直打鼓，有事打我电话{PHONE}"
CARD = "risk-fear-general"


def _services():
    services = build_services()
    services.history.set_current_staff(services.history.add_staff(name="小李", role="理财经理")["id"])
    return services


async def test_remember_offer_quotes_the_masked_line_and_preview_says_no_customer():
    services = _services()
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        live = app.screen
        said: list[str] = []
        add = live.chat.add
        live.chat.add = lambda speaker, text, *a, **k: (said.append(str(text)), add(speaker, text, *a, **k))[1]
        await say(pilot, LINE)
        assert live.missed is not None

        await pilot.press("ctrl+l")
        await settle(pilot)
        library = app.screen
        library.query_one("#lib-search").value = "怕亏钱"
        await settle(pilot)
        listing = library.query_one("#lib-list")
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        listing.focus()
        listing.highlighted = ids.index(CARD)
        await pilot.pause()
        preview = str(library.query_one("#lib-preview").render())
        assert "实战还没选客户" in preview and "「未选」" not in preview

        live._customer_picked(services.history.add_customer(name="王秀英", segment="senior"))
        await pilot.pause()
        await pilot.press("ctrl+y")
        await settle(pilot)
        live.query_one("ChatInput").focus()
        await pilot.press("1", "enter")
        await settle(pilot)
        offer = next(t for t in said if "记住这句" in t)
        assert "138****5678" in offer and PHONE not in offer
        await pilot.press("f8")
        await settle(pilot)
        [record] = remembered.list_remembered(services.history)
        assert PHONE not in record["text"] and "138****5678" in record["text"]


async def test_every_card_is_one_row_in_a_narrow_library():
    services = _services()
    app = CoachApp(mode="library", build=lambda: services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#lib-list")
        assert listing.option_count > 20
        assert listing.virtual_size.height == listing.option_count


async def test_the_preview_never_starts_a_line_with_chinese_punctuation():
    """At 80×24 the preview of 社区微信群专人怎么管 had lines starting with 「：」 and 「。」
    (Textual folds CJK at the exact cell, the rest of the app breaks lines the Chinese way)."""
    from screen_text import region_lines

    app = CoachApp(mode="library", build=_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = app.screen.query_one("#lib-list")
        lines = []
        for index in range(min(listing.option_count, 12)):
            listing.highlighted = index
            await pilot.pause()
            preview = app.screen.query_one("#lib-preview")
            lines += [line.strip() for line in region_lines(app, preview.content_region)]
        assert len(lines) > 50
        assert not [line for line in lines if line[:1] in set("。，、；：？！）」")]
