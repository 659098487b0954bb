"""复盘's import of a real conversation: a pasted chat becomes a session (导入聊天). The review
screen calls `open_import`; the work is core's (`core/live/importer.py`). Ending a session left
open is review_outcome.py's."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, TextArea

from assistant.core.live.chat import CUSTOMER, parse_chat, same_person
from assistant.core.live.commands import OUTCOMES
from assistant.ui.widgets.zhtext import ZhTextArea

#: Said when 导入 is pressed with nothing pasted.
PASTE_FIRST = "先把聊天记录粘贴到上面的框里。"


def _unset(value: Any) -> bool:
    """A Select with nothing chosen: Textual 8 says Select.NULL (older releases said Select.BLANK)."""
    return value is None or value is getattr(Select, "NULL", None) or value.__class__.__name__ == "NoSelection"


class ImportChatScreen(ModalScreen[dict | None]):
    """Paste a chat, pick its customer (or name a new one) and outcome; returns {text, customer_id,
    outcome} or, for a new customer, {text, new_customer, outcome}; None when cancelled.
    Reopened with the same text and an `error` when the import failed: a pasted chat is never lost."""

    # the new-customer box sits beside the picker: the dialog keeps its height (fits 80x24 whole)
    DEFAULT_CSS = """
    #import-who { height: auto; }
    #import-who > * { width: 1fr; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "导入", tooltip="导入这段聊天"),
        Binding("escape", "cancel", "取消"),
    ]

    def __init__(self, customers: list[dict], staff_names: list[str] | None = None, text: str = "",
                 customer_id: str | None = None, outcome: str | None = None, error: str = "") -> None:
        super().__init__()
        self.customers = sorted(customers, key=lambda c: c.get("name") or "")
        self.staff_names = staff_names or []
        self.initial = (text, customer_id, outcome, error)
        self.suggested = ""  # the new-customer name last filled in from the chat (replaced while untouched)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-chat"):
            yield Label("导入一段真实聊天（从微信 / 企业微信复制，或聊天备份导出的文本）", classes="dialog-title")
            yield ZhTextArea(id="import-text", soft_wrap=True)
            with Horizontal(id="import-who"):
                yield Select([(c.get("name") or c["id"], c["id"]) for c in self.customers],
                             prompt="这段聊天的客户" if self.customers else "还没有客户，在右边新建", id="import-customer")
                yield Input(placeholder="或新建客户：填称呼", id="import-new-customer")
            yield Select([(o, o) for o in OUTCOMES], prompt="结果（不填就留空）", id="import-outcome")
            yield Label("", classes="error", id="import-error")
            with Horizontal(classes="buttons"):
                yield Button("导入（ctrl+s）", variant="primary", id="import-save")
                yield Button("取消（esc）", id="import-cancel")

    def on_mount(self) -> None:
        text, customer_id, outcome, error = self.initial
        if text:
            self.query_one(TextArea).text = text
        if customer_id and any(c["id"] == customer_id for c in self.customers):
            self.query_one("#import-customer", Select).value = customer_id
        if outcome in OUTCOMES:
            self.query_one("#import-outcome", Select).value = outcome
        self.query_one("#import-error", Label).update(error)
        self.query_one(TextArea).focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Pick the customer the chat names (张奶奶 10:32 → 张奶奶) unless one is already chosen; when
        no customer has that name, offer it as the new customer's (editable). 「先把聊天记录粘贴…」
        goes once there is text (it stayed under a pasted chat)."""
        error = self.query_one("#import-error", Label)
        if event.text_area.text.strip() and str(error.render()) == PASTE_FIRST:
            error.update("")
        select = self.query_one("#import-customer", Select)
        if not _unset(select.value):
            return
        name = self.sender_name(event.text_area.text)
        found = self.customer_named(name)
        if found:
            select.value = found
            return
        namesakes = [c for c in self.customers if name and same_person(name, c.get("name") or "")]
        if namesakes:  # two 王阿姨 on file: one of them, not a third, so ask rather than guess
            self.query_one("#import-error", Label).update(f"有 {len(namesakes)} 位客户叫「{name}」：请在左边选是哪一位。")
            return
        box = self.query_one("#import-new-customer", Input)
        if name and box.value in ("", self.suggested):
            box.value = self.suggested = name

    def sender_name(self, text: str) -> str:
        """The name the chat gives its customer's lines (张奶奶 10:32 → 张奶奶), "" when none."""
        names = [c.get("name") or "" for c in self.customers]
        return next((m.name for m in parse_chat(text, self.staff_names, names) if m.speaker == CUSTOMER and m.name), "")

    def customer_named(self, name: str) -> str | None:
        match = [c for c in self.customers if name and same_person(name, c.get("name") or "")]
        return match[0]["id"] if len(match) == 1 else None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "import-save" else self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        customer = self.query_one("#import-customer", Select).value
        new_name = self.query_one("#import-new-customer", Input).value.strip()
        outcome = self.query_one("#import-outcome", Select).value
        problem = (PASTE_FIRST if not text
                   else "请选这段聊天的客户，或在右边填称呼新建。" if _unset(customer) and not new_name else "")
        if problem:
            self.query_one("#import-error", Label).update(problem)
            return
        who = {"new_customer": new_name} if _unset(customer) else {"customer_id": customer}
        self.dismiss({"text": text, **who, "outcome": None if _unset(outcome) else outcome})

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_import(screen: Any) -> None:
    """Ask for the chat, import it off the event loop, say what was found, reload the table."""
    services = screen.app.services
    if services is None:
        return
    _ask(screen, {})


def _ask(screen: Any, earlier: dict, error: str = "") -> None:
    """The dialog, first empty, or again with what was pasted and chosen and why it failed."""
    from assistant.core.live.session import staff_names

    services = screen.app.services
    dialog = ImportChatScreen(services.history.list_customers(), staff_names(screen.app.staff),
                              earlier.get("text", ""), earlier.get("customer_id"), earlier.get("outcome"), error)
    screen.app.push_screen(dialog, lambda choice: _import(screen, choice) if choice else None)


def _import(screen: Any, choice: dict) -> None:
    from assistant.core.errors import CoachError
    from assistant.core.live.importer import import_chat

    app, services = screen.app, screen.app.services
    if choice.get("new_customer"):
        choice = _with_new_customer(services.history, choice)
    customer = services.history.get_customer(choice["customer_id"])
    if customer is None:
        _ask(screen, choice, "没找到这个客户，请重新选。")
        return

    def work() -> None:
        try:
            result = import_chat(choice["text"], services=services, staff=app.staff, customer=customer,
                                 outcome=choice["outcome"], today=services.clock)
        except CoachError as exc:
            app.call_from_thread(_ask, screen, choice, str(exc))
            return
        app.call_from_thread(_imported, screen, result, customer)

    screen.run_worker(work, thread=True, group="import-chat", exit_on_error=False)


def _with_new_customer(history: Any, choice: dict) -> dict:
    """The choice with the customer named in the dialog: the one customer of exactly that name when
    there is one (no twin made by a second try), else a new one. The CLI's --customer only finds
    customers; this dialog is where a first chat on a fresh install gets its customer."""
    name = choice["new_customer"]
    named = [c for c in history.list_customers() if c.get("name") == name]
    customer = named[0] if len(named) == 1 else history.add_customer(name=name)
    rest = {k: v for k, v in choice.items() if k != "new_customer"}
    return {**rest, "customer_id": customer["id"]}


def _imported(screen: Any, result: Any, customer: dict) -> None:
    from assistant.core.live.importer import stranger_warning

    if result.duplicate:
        screen.app.notify(f"这段聊天已经导入过（{customer['name']}），没有重复导入。", severity="warning")
    else:
        screen.app.notify(f"已导入和{customer['name']}的聊天：客户 {result.customer_lines} 句、我 {result.staff_lines} 句，"
                          f"合规提示 {result.flags} 条。在列表里标为「导入」。")
        warning = stranger_warning(result, customer["name"])
        if warning:  # the customer picked in the dialog is not the one in the chat
            screen.app.notify(f"{warning}选错了的话，请再导入一次并选「{result.stranger}」。", severity="warning",
                              timeout=15)
    names = getattr(screen, "names", None)
    if names is not None and customer["id"] not in names.customers:  # made in the dialog: show their name
        from assistant.ui.screens.review_rows import Names

        screen.names = Names.load(screen.app.services.history, screen.app.services.library)
    screen.reload()
