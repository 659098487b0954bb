"""playbooks/triggers/real-phrasing.yaml is generated from the dev half of the real corpus
(scripts/real_examples.py); a dev line, card or concept change that is not regenerated would
ship stale triggers. Only the dev half is read (the test half stays unseen). The same for
playbooks/triggers/own-voice.yaml (scripts/real_examples.py --own-voice, from tests/data/own_voice)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "real_examples.py"


def _script():
    spec = importlib.util.spec_from_file_location("real_examples", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_real_phrasing_triggers_are_fresh() -> None:
    script = _script()
    expected = script.render(script.build())
    assert script.OUT.read_text(encoding="utf-8") == expected, (
        "playbooks/triggers/real-phrasing.yaml 过期：运行 .venv/bin/python scripts/real_examples.py 重新生成")


def test_own_voice_triggers_are_fresh() -> None:
    script = _script()
    expected = script.render(script.build_own())
    assert script.OWN_OUT.read_text(encoding="utf-8") == expected, (
        "playbooks/triggers/own-voice.yaml 过期：运行 .venv/bin/python scripts/real_examples.py --own-voice 重新生成")


def test_own_voice_holds_every_set_and_says_it_is_not_real() -> None:
    script = _script()
    doc = script.build_own()
    lines = {t for ts in doc["triggers"].values() for t in ts}
    assert len(list(script.OWN_DIR.glob("customers-*.yaml"))) >= 2
    assert {text for text, topic in script.own_voice_lines() if topic != "none"} == lines
    assert "非真实" in doc["title"] and "不是真实客户原话" in doc["summary"]


def test_the_check_notices_a_stale_file(tmp_path: Path, monkeypatch) -> None:
    script = _script()
    stale = tmp_path / "real-phrasing.yaml"
    stale.write_text(script.OUT.read_text(encoding="utf-8").replace("triggers:", "triggers: {}\nold:", 1), encoding="utf-8")
    monkeypatch.setattr(script, "OUT", stale)
    monkeypatch.setattr("sys.argv", ["real_examples.py", "--check"])
    assert script.main() == 1
