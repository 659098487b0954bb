"""The customer side panel: segment, asset tier, products with maturities, tags."""

from __future__ import annotations

import re
from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.visual import Visual, visualize

from assistant.core.errors import CoachError
from assistant.core.playbooks.render import cn_date, parse_date, pct, wan
from assistant.core.textwrap_zh import break_offsets
from assistant.ui.widgets.zhtext import ZhContent, ZhStatic

#: A maturity this close is shown as urgent (the playbooks' T-7 reminder).
SOON_DAYS = 7


class CustomerPanel(ZhStatic):
    """Draws a customer record (or a hint when none is picked); `segment_label` maps codes."""

    #: The panel's text before its breaks are placed (None: the hint for no customer).
    source: Text | None = None
    #: The width a layout is measuring the panel's height at (its region is not that size yet).
    measuring = 0
    #: (source, width, content) of the last render: a layout asks for it more than once.
    _figures: tuple | None = None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self.measuring = width
        try:
            return super().get_content_height(container, viewport, width)
        finally:
            self.measuring = 0

    def render(self) -> Visual:
        """Chinese line-breaking rules, and no break inside a date or an amount (`figure_breaks`)."""
        width = self.measuring or self.content_region.width
        if self.source is None or width <= 0:
            return super().render()
        if self._figures is None or self._figures[0] is not self.source or self._figures[1] != width:
            self._figures = (self.source, width, ZhContent.of(visualize(self, with_breaks(self.source, width))))
        return self._figures[2]

    def show(self, customer: dict | None, segment_label=lambda code: code, today: date | None = None) -> None:
        if not customer:
            self.source = None
            self.update(Text("未选客户\n按 ctrl+o 选择或新建\n（不选也能用，称呼会显示为占位）", style="dim"))
            return
        text = Text(customer.get("name", ""), style="bold")
        rows = [("客群", segment_label(customer.get("segment")) if customer.get("segment") else ""),
                ("资产", customer.get("asset_tier") or "")]
        for label, value in rows:
            if value:
                text.append(f"\n{label}：{value}")
        for p in customer.get("products") or []:
            text.append(f"\n· {p.get('name', '产品')}")
            details = [_readable(wan, p.get("amount")), _readable(pct, p.get("rate"))]
            text.append("".join(f" {d}" for d in details if d))
            if p.get("maturity"):
                text.append_text(_maturity(p["maturity"], today))
        if customer.get("tags"):
            text.append("\n标签：" + "、".join(customer["tags"]), style="dim")
        self.source = text
        self.update(text)


#: A date, an amount, a rate or a day count: read as one word, so a line never breaks inside one
#: (「2 / 月26日到期」 at 120x40 read as a wrong date).
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:万元|万|元|%)|(?:\d{4}年)?\d{1,2}月\d{1,2}日|（还有\d+天）|\d{4}-\d{1,2}-\d{1,2}")


def figure_breaks(line: str, width: int) -> list[int]:
    """Where `line` starts new lines within `width` cells: Chinese line-breaking rules
    (break_offsets), with a break that falls inside a figure moved to the figure's start."""
    breaks, start = [], 0
    while cell_len(line[start:]) > width:
        offsets = break_offsets(line[start:], width)
        if not offsets:
            break
        cut = start + offsets[0]
        inside = next((m.start() for m in FIGURE.finditer(line) if m.start() < cut < m.end()), None)
        if inside is not None and inside > start:
            cut = inside
        breaks.append(cut)
        start = cut
    return breaks


def with_breaks(text: Text, width: int) -> Text:
    """`text` with a line break wherever `figure_breaks` cuts one of its lines at `width`."""
    out = Text()
    for n, paragraph in enumerate(text.split("\n")):
        for k, line in enumerate(paragraph.divide(figure_breaks(paragraph.plain, width))):
            line.rstrip()  # a space at a break stays at the end of its line
            out.append("\n" if n or k else "").append_text(line)
    return out


def _readable(fmt, value) -> str:
    """20万元 / 2% when the value is a number; as typed otherwise (imported data can be anything)."""
    if value in (None, ""):
        return ""
    try:
        return fmt(value)
    except (CoachError, ArithmeticError, ValueError, TypeError):
        return str(value)


def _maturity(value, today: date | None) -> Text:
    """，12月3日到期（还有7天） — bold, and red within a week."""
    try:
        when = parse_date(value)
    except (CoachError, ValueError, TypeError):
        return Text(f"，{value} 到期", style="bold")
    left = (when - today).days if today else None
    note = "" if left is None else "（已到期）" if left < 0 else "（今天）" if left == 0 else f"（还有{left}天）"
    urgent = left is not None and left <= SOON_DAYS
    return Text(f"，{dated(when, today)}到期{note}", style="bold red" if urgent else "bold")


def dated(when: date, today: date | None) -> str:
    """12月3日 this year; 2027年10月9日 in another (10月9日 306 days ahead read as a past date)."""
    return cn_date(when) if today is None or when.year == today.year else f"{when.year}年{cn_date(when)}"
