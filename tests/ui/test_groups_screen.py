"""社群 screen: findings from the shipped group rules, copy, agenda, logging an @-question."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.ui.app import CoachApp
from assistant.ui.services import build_services, remember_staff

NOW = datetime(2026, 11, 25, 9, 30)


@pytest.fixture
def services():
    remember_staff({"id": "s1", "name": "小李", "role": "理财经理"})
    built = build_services()
    built.clock = lambda: NOW
    history = built.history
    history.clock = lambda: NOW  # events logged from the screen carry the same fixed day
    history.add_group(name="幸福里精英群", tier="精英", role="主管群", subrole="产品标签群", members=15,
                      created="2026-11-20", last_activity="2026-11-25", last_deal="2026-11-24")
    history.add_group(name="健康潜在群", tier="潜在", role="主管群", subrole="产品标签群", members=35,
                      created="2026-10-01", last_activity="2026-11-25", last_promotion="2026-11-20")
    history.add_group(name="物业缴费大群", tier="大众", role="主管群", subrole="业务场景群", members=180,
                      created="2026-01-01", last_activity="2026-11-25")
    return built


async def open_groups(services):
    app = CoachApp(mode="groups", build=lambda: services)
    return app


async def test_findings_list_the_oversized_elite_group_and_not_the_healthy_ones(services):
    app = await open_groups(services)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        names = {f.group_name for f in screen.findings}
        assert "幸福里精英群" in names
        assert "健康潜在群" not in names
        finding = next(f for f in screen.findings if f.group_name == "幸福里精英群")
        assert "15" in finding.evidence


async def test_add_followup_puts_the_finding_on_the_agenda(services):
    app = await open_groups(services)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one("#findings-table").focus()
        await pilot.press("f")
        await pilot.pause()
        followups = services.history.list_followups()
        assert len(followups) == 1
        assert followups[0]["title"].startswith(app.screen.findings[0].group_name)


async def test_logging_a_product_question_in_the_mass_group_adds_a_finding(services):
    app = await open_groups(services)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = {f.rule_id for f in app.screen.findings if f.group_name == "物业缴费大群"}
        mass = next(g for g in services.history.list_groups() if g["name"] == "物业缴费大群")
        app.screen._event_logged({"group_id": mass["id"], "type": "product_question", "text": "这个理财怎么买", "who": "张阿姨"})
        await pilot.pause()
        after = {f.rule_id for f in app.screen.findings if f.group_name == "物业缴费大群"}
        new = after - before
        assert len(new) == 1
        finding = next(f for f in app.screen.findings if f.rule_id in new)
        assert "张阿姨" in finding.evidence and finding.message


async def test_empty_state_says_how_to_import(coach_home):
    remember_staff({"id": "s1", "name": "小李", "role": "理财经理"})
    built = build_services()
    app = CoachApp(mode="groups", build=lambda: built)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        detail = str(app.screen.query_one("#finding-detail").render())
        assert "还没有登记微信群" in detail


async def test_a_finding_names_its_card_and_scenario_by_title_not_id(services):
    app = await open_groups(services)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        index = next(i for i, f in enumerate(screen.findings) if f.card or f.scenario)
        finding = screen.findings[index]
        screen._show(index)
        shown = str(screen.query_one("#finding-detail").render())
        for ident, title in ((finding.card, lambda i: services.library.card(i).card.title),
                             (finding.scenario, lambda i: services.library.scenario(i).title)):
            if ident:
                assert f"「{title(ident)}」" in shown and ident not in shown


async def test_at_80x24_the_finding_shows_what_to_do(services):
    from screen_text import region_lines

    app = await open_groups(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        box = app.screen.query_one("#finding-box")
        assert "怎么做" in "".join(region_lines(app, box.region))  # it showed the title and 情况 only
