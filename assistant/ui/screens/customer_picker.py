"""Pick a customer (fuzzy by name, pinyin or initials) or create a new one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from assistant.core.history.people import named_by, rank_customers

NEW_ID = "__new__"
ASSET_TIERS = ("5万以下", "5-10万", "10-20万", "20-50万", "50-100万", "100万以上")


class CustomerPicker(ModalScreen[dict | None]):
    """Returns the chosen customer record, a new one, or None (no customer)."""

    BINDINGS = [
        Binding("escape", "cancel", "不选客户", tooltip="不选客户也能用，称呼显示为占位"),
        Binding("down", "focus_list", "列表", show=False),
    ]

    def __init__(self, customers: list[dict], segments: dict[str, str], query: str = "", today=None) -> None:
        super().__init__()
        self.customers = customers
        self.segments = segments
        #: The services' today: a maturity in another year says its year.
        self.today = today
        #: What the search box starts with (a name typed after ctrl+o while the app was loading).
        self.start_query = query

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="picker"):
            yield Label("选择客户：输入姓名、拼音或首字母（如 wxy）", classes="dialog-title")
            yield Input(placeholder="搜索客户", id="customer-search")
            yield OptionList(id="customer-list")

    def on_mount(self) -> None:
        search = self.query_one("#customer-search", Input)
        search.value = self.start_query
        search.cursor_position = len(self.start_query)
        self._fill(self.start_query)

    def _fill(self, query: str) -> None:
        found = rank_customers(self.customers, query)
        options = [Option(self._label(c), id=c["id"]) for c in found]
        options.append(Option(f"＋ 新建客户{('「' + query + '」') if query else ''}", id=NEW_ID))
        listing = self.query_one(OptionList)
        listing.set_options(options)
        # a name typed in full that no customer goes by is a new customer: Enter creates it rather
        # than picking someone whose name only looks like it (赵大姐 is not 赵姐). Letters only are a
        # pinyin search with a typo (wae for 王阿姨), never a new customer's name.
        lookalikes = not query.isascii() and not any(named_by(c, query) for c in found)
        listing.highlighted = len(options) - 1 if lookalikes else 0

    def _label(self, c: dict) -> str:
        bits = [c.get("name", "?"), self.segments.get(c.get("segment"), c.get("segment") or ""), c.get("asset_tier") or "",
                _first_maturity(c, self.today)]
        return "  ".join(b for b in bits if b)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is not None:
            self._choose(listing.get_option_at_index(listing.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id == NEW_ID:
            name = self.query_one("#customer-search", Input).value.strip()
            self.app.push_screen(NewCustomerScreen(name, self.segments), self._created)
            return
        self.dismiss(next((c for c in self.customers if c["id"] == option_id), None))

    def _created(self, record: dict | None) -> None:
        if record:
            self.dismiss(record)

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class NewCustomerScreen(ModalScreen[dict | None]):
    """A short form for a new customer; returns the fields (the caller stores them)."""

    BINDINGS = [Binding("escape", "cancel", "取消", tooltip="不新建")]

    def __init__(self, name: str, segments: dict[str, str]) -> None:
        super().__init__()
        self.name_hint = name
        self.segments = segments

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="new-customer"):
            yield Label("新建客户（只有称呼必填；回车保存）", classes="dialog-title")
            yield from _field("称呼", Input(self.name_hint, placeholder="如 王姐 / 李叔", id="nc-name", compact=True))
            yield from _field("客群", Select([(label, code) for code, label in self.segments.items()],
                                           prompt="可不选", id="nc-segment", compact=True))
            yield from _field("资产", Select([(t, t) for t in ASSET_TIERS], prompt="可不选", id="nc-tier", compact=True))
            yield from _field("产品", Input(placeholder="产品名称", id="nc-product", compact=True))
            yield from _field("金额", Input(placeholder="元，或 20万", id="nc-amount", compact=True))
            yield from _field("到期日", Input(placeholder="YYYY-MM-DD", id="nc-maturity", compact=True))
            yield from _field("标签", Input(placeholder="用逗号分开", id="nc-tags", compact=True))
            yield Label("", id="nc-error", classes="error")
            yield Button("保存", variant="primary", id="nc-save", compact=True)

    def on_button_pressed(self) -> None:
        self.action_save()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Return the new customer's fields; a name is required."""
        value = lambda wid: self.query_one(wid, Input).value.strip()  # noqa: E731
        if not value("#nc-name"):
            self.query_one("#nc-error", Label).update("请填写客户称呼")
            return
        product = {k: v for k, v in (("name", value("#nc-product")), ("amount", _amount(value("#nc-amount"))),
                                     ("maturity", value("#nc-maturity"))) if v}
        self.dismiss({
            "name": value("#nc-name"),
            "segment": _selected(self.query_one("#nc-segment", Select)),
            "asset_tier": _selected(self.query_one("#nc-tier", Select)),
            "products": [product] if product else [],
            "tags": [t.strip() for t in value("#nc-tags").replace("，", ",").split(",") if t.strip()],
        })

    def action_cancel(self) -> None:
        self.dismiss(None)


def _field(label: str, widget) -> ComposeResult:
    """One labelled row of the compact form (fits 80×24)."""
    yield Horizontal(Label(label, classes="field-label"), widget, classes="field")


def _selected(select: Select) -> str | None:
    return None if select.is_blank() else select.value


def _amount(text: str) -> int | float | str:
    try:
        number = float(text.replace(",", "").replace("万", "")) * (10000 if "万" in text else 1)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _first_maturity(customer: dict, today=None) -> str:
    """「稳享90天 12月8日到期」 for the product that matures first (what the call is usually about)."""
    from assistant.core.errors import CoachError
    from assistant.core.playbooks.render import parse_date
    from assistant.ui.widgets.customer import dated as said_date

    dated = []
    for p in customer.get("products") or ():
        try:
            dated.append((parse_date(p["maturity"]), p.get("name") or "产品"))
        except (KeyError, TypeError, ValueError, CoachError):
            continue
    if not dated:
        return ""
    when, name = min(dated)
    return f"{name} {said_date(when, today)}到期"
