"""Customers and groups saved as CSV for people: a BOM for Excel, the column names in Chinese
(the ones import reads), cells safe for Excel, and the file imports back to the same records."""

from __future__ import annotations

import os

from assistant.cli import main
from assistant.core.groups import parse_groups_csv
from assistant.core.history import History

BOM = b"\xef\xbb\xbf"


def test_groups_list_out_writes_chinese_headers_with_a_bom_that_import_reads_back(tmp_path, capsys):
    h = History()
    h.add_group("幸福里精英群", tier="精英", role="主管群", subrole="产品标签群", members=12, created="2026-11-01",
                last_deal="2026-11-20", owner="李娜", tag="=HYPERLINK(1)", assist_stage="预热")
    h.add_group("物业缴费群", tier="大众", role="辅管群", members=300, created="2026-01-01")
    path = tmp_path / "群.csv"
    assert main(["groups", "list", "--out", str(path)]) == 0
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    header = raw[len(BOM):].decode("utf-8").splitlines()[0]
    assert header == "群名,层级,类型,人数,建群日期,最近活跃,最近晋级,最近成交,群主,标签,备注,五步法阶段"
    assert "'=HYPERLINK(1)" in raw.decode("utf-8-sig")  # a formula-looking cell is text in Excel
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0
    result = parse_groups_csv(path)
    assert result.problems == []
    back = {g["name"]: g for g in result.groups}
    assert back["幸福里精英群"]["role"] == "主管群" and back["幸福里精英群"]["subrole"] == "产品标签群"
    assert back["幸福里精英群"]["members"] == 12 and back["幸福里精英群"]["last_deal"] == "2026-11-20"
    assert back["物业缴费群"]["tier"] == "大众" and back["物业缴费群"]["role"] == "辅管群"
    assert back["幸福里精英群"]["tag"] == "=HYPERLINK(1)"  # as stored; neutralised again on the next export


def test_customers_list_out_writes_chinese_headers_with_a_bom_that_import_reads_back(tmp_path, capsys, monkeypatch):
    h = History()
    h.add_customer("王阿姨", segment="senior", asset_tier="50-100万", birthday="1958-03-07", tags=["广场舞", "孙子"],
                   contact={"phone": "13812345678", "allow": ["phone", "sms"]},
                   products=[{"name": "三年期定期", "amount": 200000.0, "rate": 2.15, "maturity": "2027-03-02"}])
    h.add_customer("李先生", notes="-先打电话")
    path = tmp_path / "客户.csv"
    assert main(["customers", "list", "--out", str(path)]) == 0
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "编号,称呼,客群,资产档位,手机,微信,联系方式,生日,标签,备注,产品,金额,利率,到期日"
    assert "'-先打电话" in text and "电话、短信" in text
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "另一台电脑"))
    assert main(["customers", "import", str(path)]) == 0
    back = {c["name"]: c for c in History().list_customers()}
    wang = back["王阿姨"]
    assert wang["segment"] == "senior" and wang["birthday"] == "1958-03-07" and wang["tags"] == ["广场舞", "孙子"]
    assert wang["contact"] == {"phone": "13812345678", "allow": ["phone", "sms"]}
    assert wang["products"] == [{"name": "三年期定期", "amount": 200000.0, "rate": 2.15, "maturity": "2027-03-02"}]
    assert back["李先生"]["products"] == [] and back["李先生"]["notes"] == "-先打电话"  # the ' Excel needed is gone
