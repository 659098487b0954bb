"""Static text that wraps Chinese by its line-breaking rules: no line starts with "。，、）」…"
and none ends with "（「“" (see assistant.core.textwrap_zh). Textual folds CJK at the exact
cell width; `ZhContent` is its Content with the line breaker swapped, so spans, alignment,
selection and height all follow the same breaks, and `ZhStatic` (`ZhLabel`) shows everything it is
given as one. `ZhTextArea` is a TextArea whose soft wrap breaks the same way."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from rich.cells import cell_len
from textual._loop import loop_last
from textual.content import Content, _FormattedLine
from textual.css.types import TextAlign, TextOverflow
from textual.document import _wrapped_document
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.selection import Selection
from textual.style import Style
from textual.visual import Visual
from textual.widgets import Label, Static, TextArea

from assistant.core.textwrap_zh import break_offsets


class ZhContent(Content):
    """Content whose wrapping keeps Chinese punctuation where it belongs."""

    @classmethod
    def of(cls, content: Content) -> ZhContent:
        return content if isinstance(content, cls) else cls(content.plain, list(content.spans), strip_control_codes=False)

    @property
    def without_spans(self) -> Content:
        # Content.get_height measures this copy, so it must wrap the same way.
        return ZhContent(self.plain, [], strip_control_codes=False) if self.spans else self

    def get_height(self, rules, width: int) -> int:
        """Content.get_height, counted from the breaks alone: Content lays every line out (pieces,
        styles, padding) only to count them, and the layout pass measures each changed bubble and
        card that way before it draws them laid out again."""
        get_rule = rules.get
        if get_rule("text_wrap", "wrap") == "nowrap" or "\t" in self.plain:
            return super().get_height(rules, width)
        limit = width - get_rule("line_pad", 0) * 2
        fold = get_rule("text_overflow", "fold") == "fold"
        return sum(len(break_offsets(line, limit, fold)) + 1 for line in self.plain.split("\n"))

    def _wrap_and_format(
        self,
        width: int,
        align: TextAlign = "left",
        overflow: TextOverflow = "fold",
        no_wrap: bool = False,
        line_pad: int = 0,
        tab_size: int = 8,
        selection: Selection | None = None,
        selection_style: Style | None = None,
        post_style: Style | None = None,
        get_style: Callable[[str | Style], Style] = Style.parse,
    ) -> list[_FormattedLine]:
        """Textual 8.2.8's `Content._wrap_and_format` (wrapping branch) with `break_offsets`
        in place of Rich's `divide_line`; `tests/ui/test_wrapping.py` checks Latin text still
        renders exactly as Content does."""
        if no_wrap:
            return super()._wrap_and_format(width, align, overflow, no_wrap, line_pad, tab_size,
                                            selection, selection_style, post_style, get_style)
        output: list[_FormattedLine] = []
        for y, line in enumerate(self.split(allow_blank=True)):
            if post_style is not None:
                line = line.stylize(post_style)
            if selection is not None and selection_style is not None and (span := selection.get_span(y)) is not None:
                start, end = span
                line = line.stylize(selection_style, start, len(line.plain) if end == -1 else end)
            line = line.expand_tabs(tab_size)
            offsets = break_offsets(line.plain, width - line_pad * 2, overflow == "fold")
            ellipsis = overflow == "ellipsis"
            pieces = [
                (piece if last else piece.rstrip()).truncate(width, ellipsis=ellipsis)
                for last, piece in loop_last(line.divide(offsets))
            ]
            lines = [
                _FormattedLine(get_style, piece.rstrip_end(width).pad(line_pad, line_pad), width, x, y, align=align)
                for piece, x in zip(pieces, [0, *offsets])
            ]
            lines[-1].line_end = True
            output.extend(lines)
        return output


class ZhStatic(Static):
    """A Static whose text (str, Rich Text or Content, set any way) wraps as `ZhContent`."""

    _zh: tuple[Visual, Visual] | None = None

    def render(self) -> Visual:
        visual = self.visual
        if self._zh is None or self._zh[0] is not visual:
            self._zh = (visual, ZhContent.of(visual) if isinstance(visual, Content) else visual)
        return self._zh[1]


class ZhLabel(ZhStatic, Label):
    """A Label (dialog titles, hints) whose text wraps as `ZhContent`; `Label` CSS still applies."""


_textual_wrap_offsets = _wrapped_document.compute_wrap_offsets


def _zh_wrap_offsets(text: str, width: int, tab_size: int, fold: bool = True,
                     precomputed_tab_sections: list[tuple[str, int]] | None = None) -> list[int]:
    """TextArea's `compute_wrap_offsets` with the Chinese rules. An editor keeps the spaces at a
    break on the line (the cursor can stand on them), so a line whose spaces would not fit, or one
    with tabs, wraps as Textual does."""
    if "\t" not in text:
        offsets = list(break_offsets(text, width, fold))
        pieces = zip([0, *offsets], [*offsets, len(text)])
        if all(cell_len(text[start:end]) <= width for start, end in pieces):
            return offsets
    return _textual_wrap_offsets(text, width, tab_size, fold, precomputed_tab_sections)


@contextmanager
def _chinese_breaks() -> Iterator[None]:
    """WrappedDocument looks its breaker up in its module on every wrap: ours for this wrap only,
    so any other TextArea keeps Textual's."""
    _wrapped_document.compute_wrap_offsets = _zh_wrap_offsets
    try:
        yield
    finally:
        _wrapped_document.compute_wrap_offsets = _textual_wrap_offsets


class ZhWrappedDocument(WrappedDocument):
    """Textual 8.2.8's WrappedDocument, breaking lines by the Chinese rules."""

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        with _chinese_breaks():
            super().wrap(width, tab_width)

    def wrap_range(self, start, old_end, new_end) -> None:
        with _chinese_breaks():
            super().wrap_range(start, old_end, new_end)


class ZhTextArea(TextArea):
    """A TextArea whose soft wrap never starts a line with "。，" (the reply being edited)."""

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        self.wrapped_document = ZhWrappedDocument(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._rewrap_and_refresh_virtual_size()
