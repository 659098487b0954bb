"""Drill: the Leitner schedule with a fixed clock, the queue, exercises and the leaderboard."""

import datetime as dt

import pytest
from rehearse_fakes import FakeStore

from assistant.core.rehearse import drill
from assistant.core.rehearse.leaderboard import leaderboard
from assistant.core.rehearse.scorecard import Practice, Scorecard
from assistant.core.rehearse.sim import Rehearsal

TODAY = dt.date(2026, 11, 25)


def item(**kw):
    return {**drill.new_item("u1", TODAY, card_id="rate-low-fixture", label="嫌收益低"), **kw}


@pytest.mark.parametrize(
    "box, streak, score, new_box, due, new_streak",
    [
        (1, 0, 90, 2, "2026-11-27", 1),
        (2, 1, 80, 3, "2026-11-29", 2),
        (3, 2, 85, 4, "2026-12-03", 3),
        (4, 3, 95, 5, "2026-12-11", 4),
        (5, 4, 100, 5, "2026-12-11", 5),  # top box stays
        (4, 3, 79, 1, "2026-11-26", 0),  # a poor answer goes back to box 1
        (1, 0, 0, 1, "2026-11-26", 0),
    ],
)
def test_leitner_table(box, streak, score, new_box, due, new_streak):
    after = drill.record_result(item(box=box, streak=streak), score, TODAY)
    assert (after["box"], after["due"], after["streak"]) == (new_box, due, new_streak)
    assert after["history"][-1] == {"date": "2026-11-25", "score": score}


def test_record_result_is_pure():
    before = item()
    drill.record_result(before, 90, TODAY)
    assert before["box"] == 1 and before["history"] == []


def test_due_items_by_date_and_staff():
    store = FakeStore()
    store.upsert_drill(**item())
    store.upsert_drill(**{**item(), "id": "later", "due": "2026-11-30"})
    store.upsert_drill(**{**item(), "id": "other", "staff_id": "u2"})
    assert [d["id"] for d in drill.due_items(store, "u1", TODAY)] == [item()["id"]]
    assert len(drill.due_items(store, "u1", "2026-11-30")) == 2


def test_saved_result_leaves_the_due_list_until_its_day():
    store = FakeStore()
    due = drill.due_items(store, "u1", TODAY) or [store.upsert_drill(**item())]
    drill.save_result(store, due[0], 90, TODAY)
    assert drill.due_items(store, "u1", TODAY) == []
    assert len(drill.due_items(store, "u1", TODAY + dt.timedelta(days=2))) == 1


def test_fumbling_again_sends_an_item_back_to_box_1():
    store = FakeStore()
    store.upsert_drill(**{**item(), "box": 4, "streak": 3, "due": "2026-12-20"})
    again = drill.enqueue_edited_suggestion(store, "u1", "rate-low-fixture", TODAY)
    assert (again["box"], again["streak"], again["due"]) == (1, 0, "2026-11-25")
    assert len(store.drill) == 1


def test_enqueue_from_scorecard_takes_weak_items_only():
    weak = Practice("card", "handle_objection", "没时间", "平均20分", 20, "too-busy-fixture", "fixture-call")
    step = Practice("step", "probe", "提问及解析", "平均50分", 50, None, "fixture-call", "ask")
    fine = Practice("step", "care", "主动关怀", "巩固", 95, None, "fixture-call", "start")
    card = Scorecard("fixture-call", "busy-liu", 0, "未成交", 40, False, practise=[weak, step, fine])
    added = drill.enqueue_from_scorecard(FakeStore(), "u1", card, TODAY)
    assert [(a["card_id"], a["node_id"]) for a in added] == [("too-busy-fixture", None), (None, "ask")]


def test_exercise_from_a_card_and_from_a_node(fixture_library):
    card_ex = drill.make_exercise(item(), fixture_library)
    assert card_ex.customer in ("隔壁那家给的利息比你们高。", "你们这利息，跟别家比差一截啊。")  # customer_lines, not triggers
    assert [kp.id for kp in card_ex.key_points] == ["empathize", "total-value"]
    node = drill.new_item("u1", TODAY, step="probe", scenario_id="fixture-call", node_id="ask")
    node_ex = drill.make_exercise(node, fixture_library)
    assert node_ex.step == "probe" and [kp.id for kp in node_ex.key_points] == ["ask-plan", "ask-pref"]
    good = drill.score_exercise(node_ex, f"{node_ex.customer_name}，这笔钱有用钱的打算吗？想稳一点吗？", fixture_library)
    assert good.total >= 80
    assert drill.make_exercise(item(), fixture_library, seed=1) == drill.make_exercise(item(), fixture_library, seed=1)


def test_leaderboard_ranks_by_average_and_shows_streaks():
    sessions = [
        {"id": "a", "mode": "rehearse", "staff_id": "u1", "score": 90, "started": "2026-11-20T10:00"},
        {"id": "b", "mode": "rehearse", "staff_id": "u1", "score": 70, "started": "2026-11-21T10:00"},
        {"id": "c", "mode": "rehearse", "staff_id": "u2", "score": 85, "started": "2026-11-22T10:00"},
        {"id": "d", "mode": "rehearse", "staff_id": "u2", "score": 10, "started": "2026-10-01T10:00"},
        {"id": "e", "mode": "live", "staff_id": "u3", "score": 100, "started": "2026-11-22T10:00"},
    ]
    store = FakeStore(staff=[{"id": "u1", "name": "小李"}, {"id": "u2", "name": "小王"}], sessions=sessions)
    store.upsert_drill(**{**item(), "streak": 4, "history": [{"date": "2026-11-23", "score": 90}]})
    rows = leaderboard(store, since="2026-11-01", until="2026-11-30")
    assert [(r.name, r.rehearsals, r.average, r.best) for r in rows] == [("小王", 1, 85, 85), ("小李", 2, 80, 90)]
    assert rows[1].streak == 4 and rows[1].drills == 1


def test_rehearsal_scorecard_feeds_the_queue(fixture_library):
    run = Rehearsal(fixture_library, "fixture-call", "busy-liu")
    run.start()
    run.reply("给您推荐两个方案，理财非存款")
    run.reply("嗯")
    store = FakeStore()
    added = drill.enqueue_from_scorecard(store, "u1", run.scorecard(), TODAY)
    assert added and all(a["due"] == "2026-11-25" for a in added)


@pytest.mark.parametrize(
    "suggested, sent, heavy",
    [
        ("王姐，这期额度不多，帮您留一份？", "王姐，这期额度不多，帮您留一份吧？", False),
        ("王姐，这期额度不多，帮您留一份？", "您好，有空来网点坐坐，我们聊聊。", True),
    ],
)
def test_heavily_edited(suggested, sent, heavy):
    assert drill.heavily_edited(suggested, sent) is heavy


def test_surprise_trains_the_weakest_item(fixture_library):
    weak = item(card_id="risk-fear-fixture", box=1)
    strong = {**item(card_id="too-busy-fixture"), "id": "x", "box": 4}
    assert drill.surprise(fixture_library, [strong, weak]) == ("fixture-call", "warm-wang")  # only she fears risk
    node = drill.new_item("u1", TODAY, step="probe", scenario_id="fixture-call", node_id="ask")
    assert drill.surprise(fixture_library, [node])[0] == "fixture-call"
    assert drill.surprise(fixture_library, [], seed=2) == drill.surprise(fixture_library, [], seed=2)


def test_a_card_exercise_speaks_customer_lines_not_triggers():
    from assistant.core.playbooks.loader import load_library

    library = load_library()
    card = library.card("too-busy").card
    spoken = {x.text for x in card.customer_lines if x.mood == "ask"}
    for seed in range(5):
        ex = drill.make_exercise(drill.new_item("s1", TODAY, card_id="too-busy"), library, seed=seed)
        assert ex.customer in spoken and ex.customer not in card.triggers
