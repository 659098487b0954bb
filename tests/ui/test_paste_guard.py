"""Escape sequences inside a bracketed paste (tmux paste-buffer -p passes them through) stay
text: Textual's own parser, fed the same bytes, turns them into key presses; the guarded one
gives one Paste event with the text and nothing else. Typed keys are parsed as before."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import textual
from textual import events
from textual._xterm_parser import XTermParser

from assistant.ui import paste_guard
from assistant.ui.paste_guard import PASTE_END, PASTE_START, PINNED_TEXTUAL, PasteFilter, safe_paste_parser

ESC = "\x1b"
CHAT = f"张阿姨 10:32\n我的定期{ESC}[31m下周{ESC}[0m到期了\n有什么{ESC}好的推荐吗"
PASTE = PASTE_START + CHAT + PASTE_END


def parse(parser_class: type, *chunks: str) -> list:
    """Every event the parser gives for `chunks` read one after another (then its timeouts)."""
    parser = parser_class()
    out = [event for chunk in chunks for event in parser.feed(chunk)]
    if parser._timeout_time is not None:  # as if the escape delay had passed: a lone ESC is a key now
        parser._timeout_time = 0
        out += list(parser.tick())
    return out


def test_textual_alone_turns_the_escapes_into_keys():
    """The defect this guard exists for (fails once Textual fixes it: then delete the guard)."""
    got = parse(XTermParser, PASTE)
    assert any(isinstance(event, events.Key) for event in got)


def test_guarded_parser_gives_one_paste_without_the_escapes():
    got = parse(safe_paste_parser(XTermParser), PASTE)
    assert [type(event) for event in got] == [events.Paste]
    assert got[0].text == "张阿姨 10:32\n我的定期下周到期了\n有什么好的推荐吗"


@pytest.mark.parametrize("cut", [1, 3, 5, 6, 9, 20, 22, 24, len(PASTE) - 3, len(PASTE) - 1])
def test_a_paste_cut_between_reads_is_still_one_paste(cut):
    """os.read gives 4 KB at a time: the markers and sequences may be cut anywhere."""
    got = parse(safe_paste_parser(XTermParser), PASTE[:cut], PASTE[cut:])
    assert [event.text for event in got if isinstance(event, events.Paste)] == [
        "张阿姨 10:32\n我的定期下周到期了\n有什么好的推荐吗"]
    assert not [event for event in got if isinstance(event, events.Key)]


def test_keys_outside_a_paste_are_parsed_as_before():
    typed = f"a{ESC}[A{ESC}[1;5Cx\r" + PASTE_START + "粘贴" + PASTE_END + f"{ESC}[B"
    plain = [(type(e), getattr(e, "key", None), getattr(e, "text", None)) for e in parse(XTermParser, typed)]
    guarded = [(type(e), getattr(e, "key", None), getattr(e, "text", None))
               for e in parse(safe_paste_parser(XTermParser), typed)]
    assert guarded == plain
    assert ("up" in [key for _t, key, _x in guarded]) and ("ctrl+right" in [key for _t, key, _x in guarded])


def test_filter_drops_title_sequences_and_keeps_text():
    text = PASTE_START + f"前{ESC}]0;title{ESC}\\后{ESC}[?25l完" + PASTE_END
    assert PasteFilter().feed(text) == PASTE_START + "前后完" + PASTE_END


def test_install_swaps_the_linux_driver_parser(monkeypatch):
    from textual.drivers import linux_driver

    monkeypatch.setattr(linux_driver, "XTermParser", XTermParser)
    paste_guard.install()
    assert issubclass(linux_driver.XTermParser, XTermParser) and linux_driver.XTermParser is not XTermParser


def test_install_refuses_another_textual(monkeypatch):
    monkeypatch.setattr(textual, "__version__", "9.0.0")
    with pytest.raises(paste_guard.PasteGuardError, match="Textual 9.0.0"):
        paste_guard.install()


def test_the_pin_matches_pyproject():
    """Upgrading Textual in pyproject must make someone re-check this override."""
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"textual=={PINNED_TEXTUAL}"' in pyproject
    assert textual.__version__ == PINNED_TEXTUAL
