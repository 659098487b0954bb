"""Full export and import between two histories: idempotent, order-free, append-only, conflicts."""

from __future__ import annotations

import os
import stat
from datetime import datetime

import pytest

from assistant.cli import main
from assistant.core.history.exchange import ExchangeError
from assistant.core.history.merge import import_files
from team_helpers import branch, export, history, journal_bytes, picture


def test_import_brings_every_session_event_comment_and_customer(tmp_path):
    a = history(tmp_path / "a")
    made = branch(a, "李娜")
    b = history(tmp_path / "b")
    summary, _ = import_files(b, export(a, tmp_path / "a.jsonl"))
    assert summary.added == {"staff": 1, "customer": 1, "session": 2, "event": 4, "followup": 1, "flag": 1}
    sid = made["sessions"][0]
    assert [e["text"] for e in b.events(sid)] == ["利息太低了0", "我理解您的顾虑"]
    assert b.session(sid)["origin"] == a.origin and b.session(sid)["outcome"] == "未成交"
    assert b.get_customer(made["customer"]["id"])["name"] == "李娜的客户"
    assert [f["comment"] for f in b.flags_for(sid)] == ["先共情再讲收益"]


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    a, b = history(tmp_path / "a"), history(tmp_path / "b")
    branch(a, "李娜")
    branch(b, "王强")
    path = export(a, tmp_path / "a.jsonl")
    import_files(b, path)
    before, files = picture(b), journal_bytes(b)
    again, _ = import_files(b, path)
    assert again.total(again.added) == again.total(again.updated) == 0 and not again.conflicts
    assert picture(b) == before and journal_bytes(b) == files


def test_import_only_appends_to_the_local_journals(tmp_path):
    a, b = history(tmp_path / "a"), history(tmp_path / "b")
    branch(a, "李娜")
    branch(b, "王强")
    mine = journal_bytes(b)
    import_files(b, export(a, tmp_path / "a.jsonl"))
    after = journal_bytes(b)
    assert all(after[name].startswith(data) for name, data in mine.items())
    assert any(len(after[name]) > len(data) for name, data in mine.items())


def test_a_then_b_equals_b_then_a(tmp_path):
    a, b = history(tmp_path / "a"), history(tmp_path / "b")
    branch(a, "李娜")
    branch(b, "王强")
    fa, fb = export(a, tmp_path / "a.jsonl"), export(b, tmp_path / "b.jsonl")
    one, two = history(tmp_path / "m1"), history(tmp_path / "m2")
    import_files(one, fa), import_files(one, fb)
    import_files(two, fb), import_files(two, fa)
    assert picture(one) == picture(two)


def test_a_customer_edited_in_two_places_keeps_both_and_the_newest_wins(tmp_path):
    a = history(tmp_path / "a", datetime(2026, 12, 1, 9))
    customer = a.add_customer("王阿姨", notes="")
    b = history(tmp_path / "b", datetime(2026, 12, 1, 9))
    import_files(b, export(a, tmp_path / "a0.jsonl"))
    a.clock = lambda: datetime(2026, 12, 1, 10)
    a.update_customer(customer["id"], notes="喜欢电话")
    b.clock = lambda: datetime(2026, 12, 1, 11)
    b.update_customer(customer["id"], notes="下周到期")
    fa, fb = export(a, tmp_path / "a1.jsonl"), export(b, tmp_path / "b1.jsonl")
    into_a, _ = import_files(a, fb)
    into_b, _ = import_files(b, fa)
    assert len(into_a.conflicts) == 1 and "王阿姨" in into_a.conflicts[0] and "保留较新的" in into_a.conflicts[0]
    for h in (a, b):
        record = h.get_customer(customer["id"])
        assert record["notes"] == "下周到期"  # 11:00 beats 10:00
        assert sorted(v["notes"] for v in record["versions"]) == ["下周到期", "喜欢电话"]
    assert a.get_customer(customer["id"]) == b.get_customer(customer["id"])
    again, _ = import_files(a, fb)
    assert not again.conflicts and again.total(again.updated) == 0


def test_a_later_edit_elsewhere_is_not_a_conflict(tmp_path):
    a = history(tmp_path / "a")
    f = a.add_followup(title="回访王阿姨", due="2026-12-02T10:00")
    b = history(tmp_path / "b", datetime(2026, 12, 1, 12))
    import_files(b, export(a, tmp_path / "a0.jsonl"))
    b.mark_followup(f["id"], "done", note="已电话")
    summary, _ = import_files(a, export(b, tmp_path / "b1.jsonl"))
    assert summary.updated == {"followup": 1} and not summary.conflicts
    record = a.get_followup(f["id"])
    assert record["status"] == "done" and "versions" not in record


def test_legacy_ids_from_two_pcs_do_not_collide(tmp_path):
    a, b, m = history(tmp_path / "a"), history(tmp_path / "b"), history(tmp_path / "m")
    a.add_staff("李娜", "理财经理", id="u-demo-wealth")
    b.add_staff("王强", "理财经理", id="u-demo-wealth")
    import_files(m, export(a, tmp_path / "a.jsonl"))
    import_files(m, export(b, tmp_path / "b.jsonl"))
    assert sorted(s["name"] for s in m.list_staff()) == ["李娜", "王强"]


@pytest.mark.parametrize("content, where", [
    (b"hello\n", "第 1 行"),
    (b'{"coach":"history","format":99,"origin":"x"}\n', "更新版本"),
    (b'{"coach":"history","format":1,"origin":"x"}\n{"k":"customer","r":{"id":"c-1","name":"a"}}\n{"k":"sess', "第 3 行"),
    (b'{"coach":"history","format":1,"origin":"x"}\n{"k":"robot","r":{}}\n', "第 2 行"),
    (b'{"coach":"history","format":1,"origin":"x"}\n{"k":"event","r":{"session_id":"s-nowhere","seq":0}}\n', "第 2 行"),
])
def test_a_bad_or_foreign_file_is_named_and_nothing_is_imported(tmp_path, content, where):
    b = history(tmp_path / "b")
    branch(b, "王强")
    good = export(history(tmp_path / "a"), tmp_path / "in" / "a.jsonl") if (tmp_path / "in").mkdir() is None else None
    bad = tmp_path / "in" / "z.jsonl"
    bad.write_bytes(content)
    before = picture(b)
    with pytest.raises(ExchangeError) as err:
        import_files(b, tmp_path / "in")
    assert str(bad) in str(err.value) and where in str(err.value) and "没有导入任何记录" in str(err.value)
    assert picture(b) == before and good.exists()


def test_cli_full_export_needs_no_mask_and_is_private(tmp_path, capsys):
    branch(history(tmp_path / "coach-home"), "李娜")
    out = tmp_path / "all.jsonl"
    assert main(["history", "export", "--format", "jsonl", "--full", "--out", str(out)]) != 0
    assert "--no-mask" in capsys.readouterr().err and not out.exists()
    assert main(["history", "export", "--format", "jsonl", "--full", "--no-mask", "--out", str(out)]) == 0
    assert "未隐去个人信息" in capsys.readouterr().err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_cli_import_summary_and_dry_run(tmp_path, capsys, monkeypatch):
    a = history(tmp_path / "a")
    branch(a, "李娜")
    path = export(a, tmp_path / "a.jsonl")
    assert main(["history", "import", str(path), "--dry-run"]) == 0
    assert "试运行" in capsys.readouterr().out
    assert history(tmp_path / "coach-home").session_count() == 0
    assert main(["history", "import", str(path)]) == 0
    assert "会话 2" in capsys.readouterr().out
    assert main(["history", "import", str(tmp_path / "nothing.jsonl")]) == 2  # bad input, as elsewhere
    assert "找不到" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("garbage\n{bad", encoding="utf-8")
    assert main(["history", "import", str(bad)]) == 2
    assert "不是 coach 导出的历史记录" in capsys.readouterr().err


def test_importing_ones_own_export_says_so_and_changes_nothing(tmp_path):
    a = history(tmp_path / "a")
    branch(a, "李娜")
    before = picture(a)
    summary, _ = import_files(a, export(a, tmp_path / "a.jsonl"))
    assert picture(a) == before and "本机自己导出的" in summary.lines()[-1]


def test_two_pcs_appending_to_one_session_keep_both_lines_in_one_order(tmp_path):
    """The 网点负责人 ends a colleague's open session while she resumes it: both PCs write seq 1.
    Exchanged both ways, each PC holds both lines, in the same order, and a repeat adds nothing."""
    a, b = history(tmp_path / "a"), history(tmp_path / "b")
    staff = a.add_staff("李娜", "理财经理")
    sid = a.start_session(staff_id=staff["id"])
    a.log_event(sid, "customer", "利息太低了")
    import_files(b, export(a, tmp_path / "a0.jsonl"))
    b.log_event(sid, "system", "结束：成交", type="end")  # the manager, on B
    a.log_event(sid, "staff", "我理解您的顾虑")  # she, on A, before any exchange
    fa, fb = export(a, tmp_path / "a1.jsonl"), export(b, tmp_path / "b1.jsonl")
    import_files(a, fb)
    import_files(b, fa)
    lines = {h: [(e["seq"], e["text"]) for e in h.events(sid)] for h in (a, b)}
    assert lines[a] == lines[b]
    assert sorted(lines[a]) == [(0, "利息太低了"), (1, "我理解您的顾虑"), (1, "结束：成交")]
    before = {h: (picture(h), journal_bytes(h)) for h in (a, b)}
    import_files(a, fb), import_files(b, fa)
    assert {h: (picture(h), journal_bytes(h)) for h in (a, b)} == before
