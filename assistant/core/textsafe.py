"""Text from users and files made safe: for storing (control characters out, size bounded) and
for printing to a terminal (nothing the terminal would obey: ESC sequences, clipboard writes,
title changes, carriage returns that overwrite a line, bidi overrides that reorder it).

The CLI routes everything it prints through `TerminalSafeWriter` (one choke point in cli.main),
and every text a user types on the command line through `clean_argv`; CSV import cleans cells
with `clean_text`.
"""

from __future__ import annotations

import io
import re
from typing import IO

from assistant.core.errors import InputError

#: C0 controls but TAB and LF, DEL, C1 controls, bidi embeddings/overrides/isolates, and the
#: line/paragraph separators some terminals treat as newlines.
_TERMINAL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_FOR_TERMINAL = re.compile(f"[{_TERMINAL}]")
#: Stored text also loses the BOM / zero-width no-break space a spreadsheet may leave in a cell.
_CONTROL = re.compile(f"[{_TERMINAL}\ufeff]")
_LINE_BREAK = re.compile("\r\n?")

#: Longest text a command-line argument may carry (a chat line, a reply, a setting, a name).
MAX_ARG_CHARS = 4000


def clean_text(text: str) -> str:
    """`text` without control characters (CR LF and CR become LF; TAB and LF stay)."""
    if not text:
        return text
    text = _LINE_BREAK.sub("\n", text)
    return _CONTROL.sub("", text)


def has_controls(text: str) -> bool:
    return bool(_CONTROL.search(_LINE_BREAK.sub("\n", text)))


def terminal_safe(text: str) -> str:
    """What may reach a terminal: no control sequences; a CR (which would overwrite) becomes LF."""
    if not text:
        return text
    return _FOR_TERMINAL.sub("", _LINE_BREAK.sub("\n", text))


def clean_argv(argv: list[str], limit: int = MAX_ARG_CHARS) -> list[str]:
    """Command-line arguments without control characters; InputError for one past `limit`."""
    out = []
    for arg in argv:
        if len(arg) > limit:
            raise InputError(
                f"输入太长：一个参数有 {len(arg)} 个字，最多 {limit} 个（以「{clean_text(arg[:12])}…」开头）。"
                "请缩短后再试；成批的句子请放进文件用 --batch 文件，客户或群的名单请用 CSV 导入。"
            )
        out.append(clean_text(arg))
    return out


def check_line_lengths(lines: list[str], where: str, limit: int = MAX_ARG_CHARS) -> list[str]:
    """`lines` as they are when none is longer than an argument may be; else InputError naming
    `where` (a file, 标准输入, 粘贴的聊天) and the line number, so nothing huge is stored or printed."""
    for number, line in enumerate(lines, 1):
        if len(line) > limit:
            raise InputError(
                f"{where} 第 {number} 行太长：有 {len(line)} 个字，一行最多 {limit} 个"
                f"（以「{clean_text(line[:12])}…」开头）。请把这一行拆短或删掉后再试。"
            )
    return lines


class TerminalSafeWriter(io.TextIOBase):
    """A text stream that cleans what is written, then passes it on (stdout/stderr of the CLI)."""

    def __init__(self, inner: IO[str]):
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", "utf-8")

    @property
    def buffer(self):  # raw bytes bypass cleaning on purpose: only for data files, never text
        return self.inner.buffer

    def writable(self) -> bool:
        return True
