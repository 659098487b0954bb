"""The Live customer panel never breaks a line inside a date, an amount or a rate (issue 16 QA:
「2 / 月26日到期」 at 120x40)."""

from __future__ import annotations

from livefakes import FakeHistory, fake_services, settle

from assistant.ui.app import CoachApp
from assistant.ui.widgets.customer import CustomerPanel, figure_breaks

PRODUCT = {"name": "大额存单", "amount": 200000, "rate": 2.35, "maturity": "2027-02-26"}


async def test_the_panel_keeps_a_maturity_date_whole_at_120x40():
    history = FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    customer = history.add_customer(name="赵姐", products=[PRODUCT])
    app = CoachApp(mode="live", build=lambda: fake_services(history))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen._customer_picked(customer)
        await settle(pilot)
        panel = app.screen.query_one(CustomerPanel)
        lines = [strip.text for strip in panel.render_lines(panel.region.reset_offset)]
        text = "".join(line.strip() for line in lines)
        assert "2月26日到期" in text, lines
        assert any("2月26日到期" in line for line in lines), lines


def test_no_width_breaks_inside_a_figure():
    line = "· 大额存单 20万元 2.35%，2月26日到期（还有82天）"
    for width in range(12, 40):
        pieces = [line[a:b] for a, b in zip([0, *figure_breaks(line, width)], [*figure_breaks(line, width), len(line)])]
        assert all(any(f in p for p in pieces) for f in ("20万元", "2.35%", "2月26日", "（还有82天）")), (width, pieces)
