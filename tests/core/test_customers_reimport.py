"""Re-importing a customers CSV parses only the rows that changed (a memo of row digests), and
gives the same result as comparing every row."""

from __future__ import annotations

from assistant.cli import main
from assistant.core.history import History


def _write(path, rows):
    path.write_text("称呼,手机,备注\n" + "".join(f"{n},{p},{note}\n" for n, p, note in rows), encoding="utf-8")


def test_reimport_skips_unchanged_rows_and_applies_changed_ones(tmp_path, capsys, monkeypatch):
    from assistant.core.history import csvimport

    parsed = []
    real = csvimport._customer
    monkeypatch.setattr(csvimport, "_customer", lambda row, table: parsed.append(row["name"]) or real(row, table))
    path = tmp_path / "客户.csv"
    rows = [(f"客户{i}", f"1380000{i:04d}", "老客户") for i in range(5)]
    _write(path, rows)
    assert main(["customers", "import", str(path)]) == 0
    rows[1] = ("客户1", "13800000001", "已更新")
    rows.append(("新客户", "13900000000", ""))
    _write(path, rows)
    capsys.readouterr()
    parsed.clear()
    assert main(["customers", "import", str(path)]) == 0
    assert "新增 1 位客户，更新 1 位，4 位没有变化" in capsys.readouterr().out
    assert parsed == ["客户1", "新客户"]  # the unchanged rows were not parsed
    notes = {c["name"]: c.get("notes") for c in History().list_customers()}
    assert notes["客户1"] == "已更新" and notes["客户0"] == "老客户" and len(notes) == 6


def test_a_customer_edited_since_is_compared_again(tmp_path, capsys):
    path = tmp_path / "客户.csv"
    _write(path, [("王阿姨", "13800001111", "老客户")])
    assert main(["customers", "import", str(path)]) == 0
    h = History()
    h.update_customer(h.list_customers()[0]["id"], notes="员工改过")
    assert main(["customers", "import", str(path)]) == 0  # the same file: the row puts the note back
    assert [c.get("notes") for c in History().list_customers()] == ["老客户"]
    assert "更新 1 位" in capsys.readouterr().out.splitlines()[-1]


def test_a_lost_memo_compares_every_row(tmp_path, capsys):
    path = tmp_path / "客户.csv"
    _write(path, [("王阿姨", "13800001111", "老客户")])
    assert main(["customers", "import", str(path)]) == 0
    (History().paths.cache_dir / "customers-import.json").write_bytes(b"not json")
    capsys.readouterr()
    assert main(["customers", "import", str(path)]) == 0
    assert "新增 0 位客户，更新 0 位，1 位没有变化" in capsys.readouterr().out
    assert len(History().list_customers()) == 1
