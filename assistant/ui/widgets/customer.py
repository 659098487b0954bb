"""The customer side panel: segment, asset tier, products with maturities, tags."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from assistant.core.errors import CoachError
from assistant.core.playbooks.render import cn_date, parse_date, pct, wan
from assistant.ui.widgets.zhtext import ZhStatic

#: A maturity this close is shown as urgent (the playbooks' T-7 reminder).
SOON_DAYS = 7


class CustomerPanel(ZhStatic):
    """Draws a customer record (or a hint when none is picked); `segment_label` maps codes."""

    def show(self, customer: dict | None, segment_label=lambda code: code, today: date | None = None) -> None:
        if not customer:
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
        self.update(text)


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
    return Text(f"，{cn_date(when)}到期{note}", style="bold red" if urgent else "bold")
