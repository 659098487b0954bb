"""「记住这句」 end to end on the real services: the coach misses a customer line, the marketer
finds the card in 话术库, brings it back (ctrl+y), uses it, remembers the line (F8); the next
time the line is said the card is sure; 话术库 lists the line and removes it (Del)."""

from __future__ import annotations

from livefakes import say, settle

from assistant.core import remembered
from assistant.ui.app import CoachApp
from assistant.ui.services import build_services

LINE = "我那点钱放你们这儿心里直打鼓"
CARD = "risk-fear-general"


async def test_remember_a_missed_line_through_the_library_and_forget_it():
    services = build_services()
    history = services.history
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    customer = history.add_customer(name="王秀英", segment="senior")
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        live = app.screen
        live._customer_picked(customer)
        await say(pilot, LINE)
        assert live.missed is not None, [(s.card_id, s.tier) for s in live.shown]
        assert all(s.tier == "maybe" for s in live.shown)  # none, or only maybes

        await pilot.press("ctrl+l")  # to 话术库 with the line in its search box
        await settle(pilot)
        library = app.screen
        assert app.current_mode == "library"
        assert library.query_one("#lib-search").value == LINE
        library.query_one("#lib-search").value = "怕亏钱"  # the marketer rewords the search
        await settle(pilot)
        listing = library.query_one("#lib-list")
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert CARD in ids
        listing.focus()
        listing.highlighted = ids.index(CARD)
        await pilot.press("ctrl+y")  # back to 实战 with that card shown
        await settle(pilot)
        assert app.current_mode == "live" and app.screen is live
        assert [s.card_id for s in live.shown] == [CARD]

        live.query_one("ChatInput").focus()
        await pilot.press("1", "enter")  # use it
        await settle(pilot)
        assert live.remember_offer == (LINE, CARD, live.shown[0].title)
        await pilot.press("f8")
        await settle(pilot)
        [record] = remembered.list_remembered(history)
        assert (record["card_id"], record["text"], record["by_name"]) == (CARD, LINE, "小李")
        assert record["session_id"] == live.session.session_id
        assert services.matcher.search(LINE)[0].card_id == CARD  # swapped in: used at once

        await say(pilot, LINE)
        assert live.shown[0].card_id == CARD and live.shown[0].tier == "sure"
        assert live.missed is None
        await pilot.press("f8")  # nothing to remember now: a warning, no second record
        await settle(pilot)
        assert len(remembered.list_remembered(history)) == 1

        await pilot.press("f5")
        await settle(pilot)
        library = app.screen
        library.query_one("#lib-search").value = ""
        library.query_one("#f-kind").value = "remembered"
        await settle(pilot)
        listing = library.query_one("#lib-list")
        assert listing.option_count == 1 and listing.get_option_at_index(0).id == "remembered:" + record["id"]
        listing.focus()
        listing.highlighted = 0
        await pilot.pause()
        preview = str(library.query_one("#lib-preview").render())
        assert LINE in preview and "小李" in preview
        title = services.library.cards[CARD].card.title
        assert title in preview and CARD not in preview  # staff read titles, never card ids
        assert CARD not in str(listing.get_option_at_index(0).prompt)
        await pilot.press("delete")
        await settle(pilot)
        assert remembered.list_remembered(history) == []
        found = services.matcher.search(LINE)
        assert not found or found[0].tier == "maybe"


def _library_app():
    """Real services with a staff member signed in, and the app opened on 话术库."""
    services = build_services()
    services.history.set_current_staff(services.history.add_staff(name="小李", role="理财经理")["id"])
    return services, CoachApp(mode="library", build=lambda: services)


async def test_library_search_shows_no_tier_label_and_finds_marketer_questions():
    services, app = _library_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#lib-search").value = "代发单位的员工怎么约出来"  # a marketer's question
        await settle(pilot)
        listing = screen.query_one("#lib-list")
        first = listing.get_option_at_index(0)
        assert services.library.cards[first.id].card.topic == "segment_payroll"
        line = "这钱我晚上想起来就心慌"  # only "maybe" matches: still plain search results
        assert {m.tier for m in services.matcher.search(line, top=20)} == {"maybe"}
        screen.query_one("#lib-search").value = line
        await settle(pilot)
        shown = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert shown and not any("可能是" in line for line in shown)


async def test_library_search_with_no_result_clears_the_preview():
    services, app = _library_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.query_one("#lib-search").value = "怕亏钱"  # a card to preview first
        await settle(pilot)
        listing = screen.query_one("#lib-list")
        first = services.library.cards[listing.get_option_at_index(0).id].card
        assert first.title in str(screen.query_one("#lib-preview").render())
        screen.query_one("#lib-search").value = "嗯嗯"  # an acknowledgement: nothing fits
        await settle(pilot)
        assert listing.option_count == 1 and listing.get_option_at_index(0).disabled
        preview = str(screen.query_one("#lib-preview").render())
        assert first.title not in preview and "没有符合条件" in preview
