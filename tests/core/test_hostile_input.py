"""Hostile input at the CLI (issue 17): escape sequences, control characters, formula cells,
oversized fields and arguments, and personal data typed the many ways people type it."""

from __future__ import annotations

import csv
import io

import pytest

from assistant.cli import main
from assistant.core.history import History
from assistant.core.history.export import FORMULA_START, excel_safe, export_text
from assistant.core.history.mask import Masker, mask_numbers
from assistant.paths import get_paths

ESC_NAME = "王\x1b]52;c;aGVsbG8=\x07阿姨\x1b[2J\x1b]0;pwned\x07"
CONTROL = [chr(c) for c in range(0x20) if c not in (9, 10)] + ["\x7f", "\x9b", "\u202e"]


def _no_controls(text: str) -> None:
    assert not [ch for ch in text if ch in CONTROL], repr(text[:200])


def test_customers_list_prints_no_escape_sequences(capsys):
    History().add_customer(ESC_NAME, segment="senior")
    assert main(["customers", "list"]) == 0
    out = capsys.readouterr().out
    _no_controls(out)
    assert "王" in out and "阿姨" in out


def test_groups_list_and_check_print_no_escape_sequences(capsys):
    History().add_group("理财\x1b[2J群\x1b]0;x\x07", tier="B", members=120, last_activity="2026-01-01")
    assert main(["groups", "list"]) == 0
    assert main(["groups", "check", "--date", "2026-12-01"]) == 0
    _no_controls(capsys.readouterr().out)


def test_history_export_to_stdout_prints_no_escape_sequences(capsys):
    h = History()
    sid = h.start_session(mode="live")
    h.log_event(sid, "customer", "利息\x1b]52;c;ZWNobyBoaQ==\x07太低\r了")
    assert main(["history", "export", "--format", "md"]) == 0
    out = capsys.readouterr().out
    _no_controls(out)
    assert "利息" in out


def test_suggest_argument_control_characters_never_reach_the_terminal(capsys):
    main(["suggest", "利息太低了\x1b[2J\x1b]0;x\x07"])
    captured = capsys.readouterr()
    _no_controls(captured.out + captured.err)


def test_oversized_argument_is_refused_with_a_message(capsys):
    assert main(["suggest", "利" * 5000]) == 2
    err = capsys.readouterr().err
    assert "输入太长" in err and "4000" in err and "Traceback" not in err


def test_config_value_is_stored_without_control_characters():
    assert main(["config", "set", "branch_name", "幸福路\x1b[31m支行\x00"]) == 0
    from assistant.core import config

    assert config.get_value("branch_name") == "幸福路[31m支行"


# ------------------------------------------------------------------ CSV in


def _csv(tmp_path, rows, name="c.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_csv_import_strips_control_characters(tmp_path, capsys):
    path = _csv(tmp_path, [["称呼", "备注", "标签"], ["王\x00阿姨\x1b[2J", "爱\x07打听\r\n利率", "老客户\x1b"]])
    assert main(["customers", "import", str(path)]) == 0
    (c,) = History().list_customers()
    assert c["name"] == "王阿姨[2J" and c["notes"] == "爱打听\n利率" and c["tags"] == ["老客户"]


def test_csv_field_over_the_csv_module_default_is_a_row_error_not_a_crash(tmp_path, capsys):
    path = _csv(tmp_path, [["称呼", "备注"], ["王阿姨", "长" * 200_000], ["李先生", "正常"]])
    assert main(["customers", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:2: 错误" in out and "最多 10000 个" in out
    assert [c["name"] for c in History().list_customers()] == ["李先生"]


def test_csv_unbalanced_quote_is_a_message(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text('称呼,备注\n王阿姨,"没有结束的引号\n', encoding="utf-8")
    code = main(["customers", "import", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and code in (0, 1, 2)


# ------------------------------------------------------------------ CSV out


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"点\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1", "＝1+1"])
def test_formula_cells_are_neutralised(cell):
    assert excel_safe(cell) == "'" + cell
    assert cell.startswith(FORMULA_START)


def test_history_csv_export_neutralises_formulas_even_after_masking(tmp_path):
    h = History()
    c = h.add_customer("=cmd|' /C calc'!A0")
    sid = h.start_session(mode="live", customer_id=c["id"])
    h.log_event(sid, "customer", "=HYPERLINK(\"http://evil\",\"点我\")")
    h.log_event(sid, "customer", "@SUM(1+1)*cmd")
    rows = list(csv.DictReader(io.StringIO(export_text(h, "csv"))))
    assert [r["内容"][:1] for r in rows] == ["'", "'"]
    assert rows[0]["客户"].startswith("'=")


def test_export_out_carries_a_bom_and_leaves_no_file_when_the_disk_is_full(tmp_path, monkeypatch, capsys):
    h = History()
    sid = h.start_session(mode="live")
    h.log_event(sid, "customer", "利息太低了")
    out = tmp_path / "导出.csv"
    assert main(["history", "export", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")

    import errno
    import os

    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "满了.csv"
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device")))
    assert main(["history", "export", "--out", str(target)]) != 0
    err = capsys.readouterr().err
    assert "磁盘满了" in err and str(target) in err and "Traceback" not in err
    assert not target.exists() and not list(tmp_path.glob(".*.tmp"))
    assert real_write


def test_review_csv_file_carries_a_bom(tmp_path):
    from assistant.core.review.export import write_file, write_table

    path = tmp_path / "漏斗.csv"
    write_file(path, lambda out: write_table([{"员工": "=1+1", "n": 3}], "csv", out))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"'=1+1" in data


# ------------------------------------------------------------------ masking


@pytest.mark.parametrize("typed, hidden", [
    ("１３８１２３４５６７８", "12345678"[:4]),
    ("138.1234.5678", "1234"),
    ("008613812345678", "1234"),
    ("+86 138 1234 5678", "1234"),
    ("110101 19900307 123X", "19900307"),
    ("110101-1990-0307-1234", "0307"),
    ("１１０１０１１９９００３０７１２３４", "19900307"),
    ("9558 8012 3456 7890 123", "3456"),
    ("2221001234567890", "00123456"),
    ("6222 0212 3456 7890", "0212"),
])
def test_numbers_are_masked_whatever_the_width_and_separators(typed, hidden):
    masked = mask_numbers(f"客户说：{typed}。")
    digits = "".join(ch for ch in masked if ch.isdigit())
    assert hidden not in digits and "*" in masked


def test_dates_amounts_and_rates_are_left_alone():
    text = "2026-12-05 10:30 存 50000 元，利率 1.95%，到期 2027.03.15"
    assert mask_numbers(text) == text


@pytest.mark.parametrize("said", ["陈建国来了", "建国说利息低", "陈 建 国", "陳建國", "建國"])
def test_customer_names_are_masked_in_every_form(said):
    masked = Masker(["陈建国"]).text(said)
    assert "建国" not in masked.replace(" ", "") and "建國" not in masked and "*" in masked


def test_every_export_format_masks_the_forms(tmp_path):
    h = History()
    c = h.add_customer("陈建国")
    sid = h.start_session(mode="live", customer_id=c["id"])
    h.log_event(sid, "customer", "我是陳建國，手机１３８ １２３４ ５６７８，卡 9558 8012 3456 7890 123")
    for fmt in ("csv", "jsonl", "md"):
        out = export_text(h, fmt)
        assert "建國" not in out and "1234 5678" not in out and "8012 3456" not in out, fmt


def test_data_home_parents_are_owner_only(tmp_path, monkeypatch):
    import stat

    home = tmp_path / "a" / "b" / "coach"
    monkeypatch.setenv("COACH_HOME", str(home))
    import os

    old = os.umask(0)
    try:
        History(get_paths())
    finally:
        os.umask(old)
    for folder in (home, home.parent, home.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
