"""The first customer lines of a conversation restyle nothing in the chat (issue 16, speed): the
rows the chat keeps hidden for its first lines wait as customer lines, so showing one for a
customer line changes no class (a class change re-applies the CSS to the row and its bubble)."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, say, settle

from assistant.ui.app import CoachApp
from assistant.ui.widgets.chat import Bubble, BubbleRow


async def test_a_customer_line_in_a_fresh_chat_restyles_no_row(monkeypatch):
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    app = CoachApp(mode="live", build=lambda: fake_services(history))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        restyled: list = []
        update = app.update_styles
        monkeypatch.setattr(app, "update_styles", lambda node, animate=True: (restyled.append(node), update(node, animate))[1])
        await say(pilot, "利息太低了")
        await settle(pilot)
        assert app.screen.chat.bubbles()[-1].text == "利息太低了"
        assert not [node for node in restyled if isinstance(node, (Bubble, BubbleRow))]
