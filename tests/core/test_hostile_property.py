"""Property test (hypothesis): random text, control characters and odd Unicode thrown at the CLI's
inputs, the CSV import, the renderer and every export. No traceback, and nothing stored or
printed with a control character in it."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.cli import main
from assistant.core.history import History
from assistant.core.history.export import FORMULA_START, export_text
from assistant.core.playbooks.render import Renderer
from assistant.core.textsafe import clean_text, has_controls

#: Control characters, escapes, bidi overrides, full-width digits, CJK, surrogates excluded.
ODD = st.sampled_from(["\x00", "\x1b", "\x1b[2J", "\x1b]52;c;eA==\x07", "\r", "\r\n", "\x7f", "\x9b", "\u202e",
                       "\u2066", "\ufeff", "\u2028", "＝", "=", "+", "-", "@", "\t", "１３８１２３４５６７８", "王阿姨",
                       "{{", "}}", "{%", "%}", "'", '"', ",", "\n", "𠮷", "ｘ"])
TEXT = st.lists(st.one_of(ODD, st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)), max_size=12).map("".join)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CONTROL = set(chr(c) for c in range(0x20) if c not in (9, 10)) | {"\x7f", "\x9b", "\u202e", "\u2066", "\u2028"}


def _run(*argv: str) -> int:
    """main(argv); argparse's own usage error (an argument starting with -) exits 2, no traceback."""
    try:
        return main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)


def _printed_clean(text: str) -> None:
    assert "Traceback" not in text
    assert not CONTROL & set(text), repr(text[:200])


@SETTINGS
@given(line=TEXT)
def test_suggest_and_config_take_any_text(line, capsys):
    code = _run("suggest", line or "x")
    captured = capsys.readouterr()
    assert code in (0, 1, 2)
    _printed_clean(captured.out + captured.err)
    _run("config", "set", "branch_name", line or "x")
    from assistant.core import config

    stored = config.get_value("branch_name")
    assert stored is None or not has_controls(stored)


@SETTINGS
@given(rows=st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=4))
def test_csv_import_stores_nothing_unsanitised(rows, tmp_path_factory, capsys):
    path = tmp_path_factory.mktemp("csv") / "c.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["称呼", "备注", "标签"])
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    code = main(["customers", "import", str(path)])
    captured = capsys.readouterr()
    assert code in (0, 1, 2)
    _printed_clean(captured.out + captured.err)
    for c in History().list_customers():
        for value in (c["name"], c.get("notes") or "", *c.get("tags", [])):
            assert value == clean_text(value)


@SETTINGS
@given(template=TEXT, value=TEXT)
def test_render_never_raises(template, value):
    out = Renderer(None, defaults={}).render(template, {"customer_name": value})
    assert isinstance(out.text, str) and len(out.text) < 25_000


@SETTINGS
@given(lines=st.lists(TEXT, min_size=1, max_size=4), name=TEXT)
def test_every_export_is_safe(lines, name, capsys):
    h = History()
    c = h.add_customer(clean_text(name) or "客户")
    sid = h.start_session(mode="live", customer_id=c["id"])
    for line in lines:
        assert h.log_event(sid, "customer", line)["text"] == clean_text(line)
    assert all(not has_controls(e["text"]) for e in History().events(sid))
    for fmt in ("csv", "jsonl", "md"):
        text = export_text(h, fmt)
        if fmt == "csv":
            for row in csv.reader(io.StringIO(text)):
                assert not any(cell.startswith(FORMULA_START) for cell in row)
        assert main(["history", "export", "--format", fmt]) == 0
        _printed_clean(capsys.readouterr().out)
