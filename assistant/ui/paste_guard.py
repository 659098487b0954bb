"""Escape sequences inside a pasted text stay text: they never reach the app as key presses.

Why this exists: Textual's XTermParser (8.2.8) reads an ESC inside a bracketed paste as the start
of an escape sequence; it then gives up on it and re-issues the bytes as key events (ESC as
`^`, the newlines as keys), and the paste is cut at that ESC. tmux's `paste-buffer -p` passes ESC
bytes through (xterm, VTE and kitty strip them), so a chat copied with colour codes scrambled the
input and its keys acted on the screen. Textual has no public hook for its input parser, so the
drivers' parser is replaced by a subclass whose `feed` drops escape sequences found between the
paste markers before the parser sees them; keys typed outside a paste pass through untouched.
"""

from __future__ import annotations

import re
import sys

from assistant.core.errors import CoachError

#: The Textual version this override was written against (pyproject pins it; a test checks both).
PINNED_TEXTUAL = "8.2.8"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
#: A whole escape sequence: CSI (colours, cursor keys), OSC (titles, links) or a two-byte escape.
_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
#: The start of a sequence cut at the end of a read: held until the next read completes it.
_UNFINISHED = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?)?\Z")
#: An unfinished sequence longer than this is not one: its ESC is dropped and the rest is text.
MAX_HELD = 256
#: The driver modules that build an XTermParser for their input thread.
DRIVER_MODULES = ("textual.drivers.linux_driver", "textual.drivers.linux_inline_driver", "textual.drivers.win32")


class PasteGuardError(CoachError):
    """Textual's private input parser is not where this override expects it."""


class PasteFilter:
    """Removes escape sequences between the paste markers of a stream read in pieces."""

    def __init__(self) -> None:
        #: True between a paste's start marker and its end marker.
        self.in_paste = False
        self._held = ""  # a cut sequence inside a paste, waiting for the next read
        self._recent = ""  # the last characters outside a paste (a start marker cut between reads)

    def feed(self, data: str) -> str:
        """`data` as the parser should see it: inside a paste, without escape sequences."""
        data, self._held = self._held + data, ""
        out: list[str] = []
        pos = 0
        while pos < len(data):
            pos = self._inside(data, pos, out) if self.in_paste else self._outside(data, pos, out)
        return "".join(out)

    def _outside(self, data: str, pos: int, out: list[str]) -> int:
        """Pass text through up to and including a paste's start marker."""
        seen = self._recent + data[pos:]
        found = seen.find(PASTE_START)
        if found < 0:
            out.append(data[pos:])
            self._recent = seen[-(len(PASTE_START) - 1):]
            return len(data)
        end = pos + found + len(PASTE_START) - len(self._recent)
        out.append(data[pos:end])
        self._recent, self.in_paste = "", True
        return end

    def _inside(self, data: str, pos: int, out: list[str]) -> int:
        """Pass pasted text through, dropping escape sequences, up to the end marker."""
        esc = data.find("\x1b", pos)
        if esc < 0:
            out.append(data[pos:])
            return len(data)
        out.append(data[pos:esc])
        rest = data[esc:]
        if rest.startswith(PASTE_END):
            out.append(PASTE_END)
            self.in_paste = False
            return esc + len(PASTE_END)
        if PASTE_END.startswith(rest) or (_UNFINISHED.match(rest) and len(rest) < MAX_HELD):
            self._held = rest
            return len(data)
        whole = _SEQUENCE.match(rest)
        return esc + (whole.end() if whole else 1)


def safe_paste_parser(parser_class: type) -> type:
    """A subclass of Textual's XTermParser whose input passes through a PasteFilter first."""

    class SafePasteParser(parser_class):
        def __init__(self, *args, **kwargs) -> None:
            self._paste_filter = PasteFilter()
            super().__init__(*args, **kwargs)

        def feed(self, data: str):
            if not data:  # end of input: the parser's own ending
                return super().feed(data)
            cleaned = self._paste_filter.feed(data)
            # an empty string would tell the parser the input ended
            return super().feed(cleaned) if cleaned else ()

    return SafePasteParser


def install() -> None:
    """Give every loaded Textual driver the safe parser; PasteGuardError if Textual moved it."""
    try:
        import textual
        from textual import _xterm_parser
    except ImportError as error:  # pragma: no cover - textual is a hard dependency
        raise PasteGuardError(f"找不到 Textual 的输入解析器（{error}）。") from error
    problem = _api_problem(textual.__version__, _xterm_parser)
    if problem:
        raise PasteGuardError(
            f"粘贴保护装不上：{problem}。本程序按 Textual {PINNED_TEXTUAL} 编写，"
            "请按 pyproject.toml 重新安装依赖（pip install -e .），或更新 assistant/ui/paste_guard.py。")
    safe = safe_paste_parser(_xterm_parser.XTermParser)
    for name in DRIVER_MODULES:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "XTermParser", None) is _xterm_parser.XTermParser:
            module.XTermParser = safe


def _api_problem(version: str, xterm_parser) -> str | None:
    """What differs from the private parser API this override relies on (None: nothing)."""
    if version != PINNED_TEXTUAL:
        return f"装的是 Textual {version}"
    parser = getattr(xterm_parser, "XTermParser", None)
    if parser is None or not callable(getattr(parser, "feed", None)):
        return "textual._xterm_parser.XTermParser.feed 不见了"
    markers = (getattr(xterm_parser, "BRACKETED_PASTE_START", None), getattr(xterm_parser, "BRACKETED_PASTE_END", None))
    if markers != (PASTE_START, PASTE_END):
        return "粘贴开始、结束标记变了"
    return None
