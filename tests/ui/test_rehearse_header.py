"""演练's header at 80×24: two rows cut between parts (no row ends in a dangling 「·」, nothing cut
off the edge); one row when wide; fit_parts drops the least useful parts first."""

from __future__ import annotations

from rehearse_helpers import SCENARIO, app_in, settle
from rich.cells import cell_len
from rich.text import Text
from screen_text import region_lines

from assistant.ui.widgets.fit import fit_parts


async def test_the_rehearse_header_fits_80_columns_and_one_row_when_wide():
    app, _, _ = app_in("rehearse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        if app.screen is not app.screen_stack[0]:  # the picker opens by itself
            app.pop_screen()
            await settle(app, pilot)
        app.screen.start_scenario(SCENARIO)
        await settle(app, pilot)
        head = app.screen.query_one("#rh-head")
        rows = [row.strip() for row in region_lines(app, head.region)]
        assert len(rows) == 2 and rows[0].startswith("每句点评 · 第1句 · 耐心") and rows[0].endswith("3/3")
        assert rows[1].startswith(app.screen.run.scenario.title) and not rows[1].endswith("·")
        await pilot.resize_terminal(160, 40)
        await settle(app, pilot)
        rows = [row.strip() for row in region_lines(app, head.region)]
        assert len(rows) == 1 and f"种子 {app.screen.run.seed}" in rows[0]


def test_fit_parts_keeps_parts_whole():
    where, what = [Text("每句点评 · 第1句"), Text("耐心●●● 3/3")], [Text("陌生存量客户认养电话"), Text("戒心重的孙女士"), Text("种子 6273")]
    assert fit_parts([where, what], 100).plain.count("\n") == 0
    two = fit_parts([where, what], 40).plain.split("\n")
    assert two == ["每句点评 · 第1句 · 耐心●●● 3/3", "陌生存量客户认养电话 · 戒心重的孙女士"]
    assert all(cell_len(row) <= 40 for row in two)
    assert fit_parts([[Text("陌生存量客户认养电话")]], 9).plain == "陌生存量…"
