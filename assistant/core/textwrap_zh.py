"""Line breaking for Chinese in a terminal: where a line of mixed Chinese and Latin text may be cut.

Terminals (and Textual) fold a run of Chinese exactly at the cell width, so a line can start with
"。" or end with "（". Chinese typesetting forbids that (禁则, see W3C clreq): closing punctuation
never starts a line, opening brackets never end one. Here a closing mark pulls the character
before it down to the next line (push-out), and an opening bracket moves down with what follows,
so every line still fits the width. Latin words and numbers stay whole, as they do in Textual,
and a paragraph does not end on a line holding one lone character (孤字).

`break_offsets` has the contract of Rich's `divide_line` (the offsets where new lines start),
so the UI can swap it in; `cjk_wrap` gives the wrapped lines themselves.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, chop_cells, get_character_cell_size

#: May not start a line: closing punctuation and brackets (full- and half-width), the dash and
#: ellipsis (never split, never first), and the iteration mark.
NO_START = frozenset("。，、；：？！）」』》〉】〕〗〙〛”’…‥—～・々﹚﹜﹞.,;:?!)]}%")

#: May not end a line: opening brackets and quotes, and the ✓/✗/→ marks that lead a line of ours.
NO_END = frozenset("（「『《〈【〔〖〘〚“‘﹙﹛﹝([{✓✗→")


def _atoms(line: str) -> list[int]:
    """Start offsets of the unbreakable atoms of `line`: each wide character, each run of narrow
    non-space characters (a Latin word or number), with the spaces after it and any zero-width
    characters (combining marks, joiners) folded in. Leading spaces belong to the first atom."""
    starts: list[int] = []
    in_word = False  # the current atom is a narrow run that may still grow
    for i, ch in enumerate(line):
        if ch.isspace():
            in_word = False
            continue
        width = get_character_cell_size(ch)
        if width == 0 or (width == 1 and in_word):
            continue
        starts.append(i)
        in_word = width == 1
    if starts:
        starts[0] = 0
    else:
        starts.append(0)
    return starts


def _units(line: str) -> list[int]:
    """Start offsets of the units a line may be broken between: atoms glued by the 禁则."""
    atoms = _atoms(line)
    units = [0]
    for prev, start in zip(atoms, atoms[1:]):
        before = line[prev:start].rstrip()
        if line[start] in NO_START or (before and before[-1] in NO_END):
            continue
        units.append(start)
    return units


@lru_cache(maxsize=4096)
def break_offsets(line: str, width: int, fold: bool = True) -> tuple[int, ...]:
    """Offsets into `line` (no newlines) where new lines start so each fits in `width` cells.

    Greedy, like Rich: spaces at a break stay at the end of the line (the caller strips them).
    A unit wider than a whole line is folded at the cell width (or left whole when not `fold`).
    A lone Chinese character (or 的。) is not left alone on the last line (see `_no_orphan`)."""
    if width < 1 or cell_len(line) <= width:
        return ()
    units = _units(line)
    return tuple(_no_orphan(line, units, _greedy(line, units, width, fold), width))


def _greedy(line: str, units: list[int], width: int, fold: bool) -> list[int]:
    breaks: list[int] = []
    used = 0
    for start, end in zip(units, units[1:] + [len(line)]):
        unit = line[start:end]
        need = cell_len(unit.rstrip())
        if used + need <= width:
            used += cell_len(unit)
            continue
        if used:
            breaks.append(start)
        if need <= width or not fold:
            used = cell_len(unit)
            continue
        pieces = chop_cells(unit, width)
        for piece in pieces[:-1]:
            start += len(piece)
            breaks.append(start)
        used = cell_len(pieces[-1])
    return breaks


def _no_orphan(line: str, units: list[int], breaks: list[int], width: int) -> list[int]:
    """When the last line is one Chinese unit (吧, or 的。) under a line of at least three units,
    bring the unit before it down too, as Chinese typesetting avoids a 孤字 on the last line."""
    if not breaks or breaks[-1] != units[-1] or get_character_cell_size(line[units[-1]]) != 2:
        return breaks
    above = [u for u in units if (breaks[-2] if len(breaks) > 1 else 0) <= u < breaks[-1]]
    if len(above) < 3 or cell_len(line[above[-1]:].rstrip()) > width:
        return breaks
    return [*breaks[:-1], above[-1]]


def cjk_wrap(text: str, width: int) -> list[str]:
    """`text` wrapped to `width` cells; existing newlines kept, spaces at a break dropped."""
    lines: list[str] = []
    for line in text.split("\n"):
        cuts = [0, *break_offsets(line, width), len(line)]
        pieces = [line[a:b] for a, b in zip(cuts, cuts[1:])]
        lines.extend(piece.rstrip() for piece in pieces[:-1])
        lines.append(pieces[-1])
    return lines
