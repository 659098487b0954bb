"""`coach rehearse` / `coach drill` headless: JSON shape, exit codes, and what lands in the history."""

import json
from pathlib import Path

import pytest

import assistant.core.history  # noqa: F401 - a broken store must fail these tests, not skip them
from assistant.cli import main

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "rehearse_fixture"
GOOD = [
    "刘先生您好，我是理财经理小李，您那笔钱快到期了，提醒您一下，耽误您一分钟可以吗？",
    "刘先生，到期会回卡里。这笔钱接下来有用钱的打算吗？希望稳一点吗？",
    "刘先生，给您两个方案，理财非存款、产品有风险，您看哪个？",
]



def coach(capsys, *argv):
    code = main(["--playbooks", str(FIXTURE), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def replies_file(tmp_path, lines):
    path = tmp_path / "replies.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_list_json_has_scenarios_with_personas(capsys):
    code, out, _ = coach(capsys, "rehearse", "--list", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    assert [p["id"] for p in rows["fixture-call"]["personas"]] == ["busy-liu", "warm-wang"]


def test_play_prints_the_transcript_json_and_logs_it(capsys, tmp_path):
    path = replies_file(tmp_path, ["嗯", *GOOD])
    code, out, _ = coach(capsys, "rehearse", "--scenario", "fixture-call", "--persona", "warm-wang",
                         "--seed", "1", "--replies", path, "--json")
    report = json.loads(out)
    assert code == 0
    assert set(report) >= {"scenario", "persona", "seed", "turns", "outcome", "total", "scorecard", "session_id"}
    first = report["turns"][0]
    assert set(first) >= {"customer", "reply", "score", "reasons", "flags", "model_reply", "covered", "missed"}
    assert first["reply"] == "嗯" and first["score"] < 20
    assert report["turns"][-1]["reply"] is None
    assert report["scorecard"]["skills"]["opening"]["label"] == "开场"

    from assistant.core.history import History

    history = History()
    session = history.session(report["session_id"])
    assert session["mode"] == "rehearse" and session["scenario_id"] == "fixture-call"
    assert session["score"] == report["total"] and session["outcome"] == report["outcome"]
    events = history.events(report["session_id"])
    assert [e["speaker"] for e in events[:2]] == ["customer", "staff"]
    assert events[1]["score"] == first["score"]


def test_same_seed_same_json(capsys, tmp_path):
    path = replies_file(tmp_path, ["嗯", "给您推荐两个方案", *GOOD])
    args = ("rehearse", "--scenario", "fixture-call", "--persona", "busy-liu", "--seed", "4", "--replies", path, "--json", "--no-log")
    assert json.loads(coach(capsys, *args)[1]) == json.loads(coach(capsys, *args)[1])


def test_compliance_flag_in_the_turn(capsys, tmp_path):
    path = replies_file(tmp_path, ["刘先生，这个保本的，您放心吧？"])
    _, out, _ = coach(capsys, "rehearse", "--scenario", "fixture-call", "--persona", "busy-liu", "--replies", path, "--json")
    turn = json.loads(out)["turns"][0]
    assert turn["score"] == 0 and turn["flags"][0]["rule_id"] == "promise-principal" and turn["flags"][0]["safer"]


@pytest.mark.parametrize(
    "argv, hint",
    [
        (["--scenario", "fixture-cal", "--persona", "busy-liu"], "fixture-call"),
        (["--scenario", "fixture-call", "--persona", "busy-lui"], "busy-liu"),
    ],
)
def test_unknown_ids_exit_2_with_did_you_mean(capsys, argv, hint):
    code, _, err = coach(capsys, "rehearse", *argv, "--replies", "-")
    assert code == 2 and hint in err and "Traceback" not in err


def test_weak_spots_are_queued_and_drilled(capsys, tmp_path, monkeypatch):
    from assistant.core.history import History

    History().add_staff(name="小刘", role="理财经理", id="u1")  # --staff names someone who exists
    coach(capsys, "rehearse", "--scenario", "fixture-call", "--persona", "busy-liu", "--staff", "u1",
          "--replies", replies_file(tmp_path, ["给您推荐两个方案，理财非存款", "嗯"]))
    code, out, _ = coach(capsys, "drill", "--staff", "u1", "--json")
    due = json.loads(out)["due"]
    assert code == 0 and due and all(d["exercise"]["customer"] for d in due)
    answers = replies_file(tmp_path, ["刘先生，不耽误您，就一分钟，要不我晚点再打给您？"] * len(due))
    code, out, _ = coach(capsys, "drill", "--staff", "u1", "--answer", "--replies", answers, "--json")
    results = json.loads(out)["results"]
    assert code == 0 and len(results) == len(due) and all("score" in r for r in results)


def test_no_flags_opens_the_screen_or_says_it_is_missing(capsys, monkeypatch):
    import assistant.commands.tui as tui

    calls = []
    monkeypatch.setattr(tui, "run_app", lambda **kw: calls.append(kw) or 0)
    assert coach(capsys, "rehearse")[0] == 0
    assert calls == [{"mode": "rehearse"}]


def test_a_headless_run_reads_in_the_export_as_it_ended(capsys, tmp_path):
    """A walk: a headless run whose replies ran out read 已结束 in the export and 复盘, like one the
    customer ended; a given-up run is 未完成 (not scored), a finished one carries its outcome."""
    from assistant.core.history import History
    from assistant.core.labels import outcome_label, status_label

    runs = {}
    for name, lines in (("short", GOOD[:1]), ("whole", ["嗯", *GOOD])):
        code, out, _ = coach(capsys, "rehearse", "--scenario", "fixture-call", "--persona", "warm-wang",
                             "--seed", "1", "--replies", replies_file(tmp_path, lines), *(["--json"] if name == "whole" else []))
        assert code == 0
        runs[name] = out
    assert "结果：未完成（回复用完了）" in runs["short"]
    whole = json.loads(runs["whole"])
    assert whole["finished"] and whole["outcome"]
    sessions = {s["id"]: s for s in History().iter_sessions()}
    short = next(s for s in sessions.values() if s["id"] != whole["session_id"])
    assert status_label(short) == "未完成"
    assert outcome_label(sessions[whole["session_id"]]) == whole["outcome"]
    assert main(["history", "export", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert "结果：未完成" in md and f"结果：{whole['outcome']}" in md and "已结束" not in md
