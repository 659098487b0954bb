"""A drill names what was practised where a session says with whom (复盘's 客户/场景 column, 首页's
recent list): it read 「—」 there, because a drill from Live has no customer and no scenario."""

from __future__ import annotations

from types import SimpleNamespace

from livefakes import fake_services, make_library, settle
from test_home_screen import home_ready, known_staff, recent_lines

from assistant.core.history import History
from assistant.ui.app import CoachApp
from assistant.ui.screens.drill import log_answer
from assistant.ui.screens.review_rows import Names, session_cells


def drill(history, card_id: str | None, step: str = "handle_objection", scenario_id: str | None = None) -> str:
    """A drill answer stored the way the drill screen stores it."""
    exercise = SimpleNamespace(card_id=card_id, customer="别家利息更高", step=step)
    score = SimpleNamespace(total=86, reasons=[], flags=[], model_reply="", covered=[], missed=[], passed=True)
    item = {"id": f"u1:card:{card_id}", "scenario_id": scenario_id}
    return log_answer(history, "u1", item, exercise, "我理解您", score, {"box": 2})


def test_review_rows_name_the_drilled_card_else_the_scenario_else_the_step():
    history = History()
    names = Names.load(history, make_library())
    carded, stepped = drill(history, "rate-low-other-bank"), drill(history, None, step="care")
    cells = session_cells(history.session(carded), names)
    assert (cells[1], str(cells[3])) == ("强化", "他行报价更高")  # the card's title, not 「—」
    assert str(cells[4]) == "过关"  # 结果: passed or not (a walk: 「—」 told a 网点负责人 nothing)
    assert str(session_cells(history.session(stepped), names)[3]) == "主动关怀"  # no card: the step drilled
    scenario = {"mode": "drill", "scenario_id": "scenario-x", "card_id": None}
    named = Names(library=SimpleNamespace(scenarios={"scenario-x": SimpleNamespace(title="到期提醒（电话）")}))
    assert named.who(scenario) == "到期提醒"


async def test_home_recent_list_names_the_drilled_card():
    history = known_staff()
    sid = drill(history, "rate-low-other-bank")
    history.sessions[sid].update(started="2026-11-25T09:00", ended="2026-11-25T09:05")
    app = CoachApp(build=lambda: fake_services(history))
    async with app.run_test() as pilot:
        await home_ready(pilot)
        await settle(pilot)
        assert recent_lines(app) == ["11-25 09:00  强化  他行报价更高  过关 · 86分"]


def test_review_rows_colour_a_drill_verdict_as_a_rehearsal_outcome():
    """A walk: 复盘 coloured 成交/未成交 but left 过关/未过关 dim; the export stays plain text."""
    import io

    from assistant.core.history.export import export

    history = History()
    names = Names.load(history, make_library())
    passed = history.session(drill(history, "rate-low-other-bank"))
    failed = {**passed, "score": 40, "passed": False}
    deal = {**passed, "mode": "rehearse", "outcome": "成交"}
    lost = {**passed, "mode": "rehearse", "outcome": "未成交"}
    style = {str(c[4]): c[4].style for c in (session_cells(s, names) for s in (passed, failed, deal, lost))}
    assert style["过关"] == style["成交"] != "dim" and style["未过关"] == style["未成交"] != "dim"

    out = io.StringIO()
    export(history, "csv", out)
    assert ",过关," in out.getvalue() and "\x1b" not in out.getvalue() and "green" not in out.getvalue()


def test_a_drill_row_reaches_no_step():
    """The demo's drill rows read 「到达 成交」: a drill is one answer at one step, in no conversation,
    so 复盘's 到达 column is empty for it (the transcript's head says which step it practised)."""
    from assistant.ui.screens.transcript import _reached

    history = History()
    names = Names.load(history, make_library())
    sid = drill(history, "rate-low-other-bank", step="close")
    assert str(session_cells(history.session(sid), names)[5]) == ""
    assert _reached(history.session(sid), names) == "练的步骤：成交"
    live = {"mode": "live", "furthest_step": "close"}
    assert str(session_cells(live, names)[5]) == "成交" and _reached(live, names) == "到达：成交"


async def test_r_on_a_drill_from_a_card_does_not_call_it_a_live_session():
    """In the tmux walk, r (再练一次) on a drill's transcript said 「这是实战会话，没有演练场景」."""
    from test_review_screen import app_for, screen_of
    from test_review_screen import settle as settle_review

    history = History()
    history.add_staff("周主任", "网点负责人", id="u9")
    sid = drill(history, "rate-low-other-bank")
    async with app_for(history).run_test(size=(100, 30)) as pilot:
        await settle_review(pilot)
        screen_of(pilot).open_session(sid)
        await settle_review(pilot)
        await pilot.press("r")
        said = " ".join(str(n.message) for n in pilot.app._notifications)
        assert "强化练习" in said and "实战" not in said
