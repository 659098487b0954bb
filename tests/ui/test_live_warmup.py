"""The Live screen's first lines are as quick as the later ones: once the app's workers are done,
the loading worker has compiled every reply of the shipped library and run the first suggestions
and compliance check, without logging anything."""

from __future__ import annotations

from livefakes import settle

from assistant.ui.app import CoachApp
from assistant.ui.services import build_services


async def test_the_warm_up_compiles_every_reply_and_logs_nothing():
    services = build_services()
    history = services.history
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    compiled: list[str] = []
    compile_one = services.renderer.compile
    services.renderer.compile = lambda text: (compiled.append(text), compile_one(text))[1]
    app = CoachApp(mode="live", build=lambda: services)
    async with app.run_test() as pilot:
        await settle(pilot)
        replies = {r.text for ref in services.library.matchable_cards() for r in ref.card.responses}
        assert replies and replies <= set(compiled)
        assert list(history.iter_sessions()) == []  # a throwaway session: nothing written
