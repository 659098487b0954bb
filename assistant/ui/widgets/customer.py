"""The customer side panel: segment, asset tier, products with maturities, tags."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class CustomerPanel(Static):
    """Draws a customer record (or a hint when none is picked); `segment_label` maps codes."""

    def show(self, customer: dict | None, segment_label=lambda code: code) -> None:
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
            if p.get("amount"):
                text.append(f" {p['amount']}")
            if p.get("maturity"):
                text.append(f"，{p['maturity']} 到期", style="bold")
        if customer.get("tags"):
            text.append("\n标签：" + "、".join(customer["tags"]), style="dim")
        self.update(text)
