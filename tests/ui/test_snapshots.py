"""A few snapshots of the app (pytest-textual-snapshot). Each docstring says what a reviewer
should see. Fixed data: the fakes of tests/livefakes.py and a fixed clock; 80×24 unless noted.
Update with `pytest tests/ui/test_snapshots.py --snapshot-update` after checking the picture."""

from __future__ import annotations

from pathlib import Path

from livefakes import T0, FakeHistory, fake_services, say, settle
from steady import steady

from assistant.ui.app import CoachApp


async def settled(pilot) -> None:
    await settle(pilot)
    await steady(pilot)


def staffed(history: FakeHistory | None = None) -> FakeHistory:
    history = history or FakeHistory()
    history.set_current_staff(history.add_staff(name="小李", role="理财经理")["id"])
    return history


def test_home(snap_compare):
    """Home: a greeting line with 小李 理财经理 and 11月25日; 今日跟进 lists one overdue (red
    逾期) and one due-today follow-up; 最近会话 says there are none; on the right the six ways in
    (1 实战 … 6 练习); the footer shows the keys."""
    history = staffed()
    history.add_followup(title="王姐：24小时内首次回访", due=T0.replace(hour=15).isoformat(timespec="minutes"), status="open", card_id="think-it-over")
    history.add_followup(title="李叔：理财到期提醒", due=T0.replace(day=24, hour=9).isoformat(timespec="minutes"), status="open")
    services = fake_services(history)
    assert snap_compare(CoachApp(build=lambda: services), run_before=settled)


def test_live_with_suggestions(snap_compare):
    """Live at 100×30: the step line with ⑥回应异议 highlighted; the customer's bubble on the left;
    under the chat, suggestion 1 「他行报价更高 · 嫌收益低」 with the matched words, the reply
    starting 王姐 and → 接着问 (the line above the cards says 输入序号回车复制); the side panel shows
    王姐's segment and product; 王姐说▸ input; the footer ends with ^p 命令 (no English)."""
    history = staffed()
    history.add_customer(name="王姐", segment="senior", asset_tier="20-50万",
                         products=[{"name": "稳享90天", "amount": 200000, "maturity": "2026-12-08"}])
    services = fake_services(history)
    services_customer = history.customers[0]

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.screen._customer_picked(services_customer)
        await say(pilot, "隔壁银行利息比你们高，收益太低了")
        await steady(pilot)

    assert snap_compare(CoachApp(mode="live", build=lambda: services), terminal_size=(100, 30), run_before=run_before)


def test_live_nothing_matched(snap_compare):
    """Live, empty state at 80×24: the customer's line 今天天气不错 and, under it, a yellow note
    that no card clears the cutoff, offering ctrl+l (search 话术库 with this line) and /card. No side
    panel at this width; the footer offers no 1–3 (cards are picked by typing 1⏎) and ends with ^p 命令."""
    services = fake_services(staffed())

    async def run_before(pilot):
        await settle(pilot)
        await say(pilot, "今天天气不错")
        await steady(pilot)

    assert snap_compare(CoachApp(mode="live", build=lambda: services), run_before=run_before)


def test_broken_playbook_is_named_in_a_notification(snap_compare, tmp_path: Path, monkeypatch):
    """Error state: a branch folder (COACH_PLAYBOOKS) holds objection/broken.yaml with bad YAML; the
    home screen still opens and a warning toast names objection/broken.yaml and its line, standing
    above the footer (toasts keep clear of the bottom rows where the input is), across the whole width
    (a toast edge inside a wide character would cut it off)."""
    from assistant.core.playbooks.loader import load_library
    from assistant.ui.services import Services, problem_lines
    from livefakes import T0, FakeMatcher, FakeRenderer, fake_check, fake_covered

    branch = tmp_path / "branch"
    (branch / "objection").mkdir(parents=True)
    (branch / "objection" / "broken.yaml").write_text("version: 1\nkind: objection\nid: [oops\n", encoding="utf-8")
    monkeypatch.setenv("COACH_PLAYBOOKS", str(branch))
    monkeypatch.chdir(tmp_path)
    library = load_library(use_cache=False)
    services = Services(library, FakeMatcher(library), FakeRenderer(library), staffed(), problem_lines(library),
                        check=fake_check, covered=fake_covered, clock=lambda: T0)
    assert any("broken.yaml" in p for p in services.problems)
    app = CoachApp(build=lambda: services)
    app.NOTIFICATION_TIMEOUT = 60
    assert snap_compare(app, run_before=settled)
