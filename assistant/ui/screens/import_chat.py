"""复盘's import of a real conversation: a pasted chat becomes a session (导入聊天). The review
screen calls `open_import`; the work is core's (`core/live/importer.py`). Ending a session left
open is review_outcome.py's."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, TextArea

from assistant.core.live.chat import CUSTOMER, parse_chat, same_person
from assistant.core.live.commands import OUTCOMES


def _unset(value: Any) -> bool:
    """A Select with nothing chosen: Textual 8 says Select.NULL (older releases said Select.BLANK)."""
    return value is None or value is getattr(Select, "NULL", None) or value.__class__.__name__ == "NoSelection"


class ImportChatScreen(ModalScreen[dict | None]):
    """Paste a chat, pick its customer and outcome; returns {text, customer_id, outcome} or None.
    Reopened with the same text and an `error` when the import failed: a pasted chat is never lost."""

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

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-chat"):
            yield Label("导入一段真实聊天（从微信 / 企业微信复制，或聊天备份导出的文本）", classes="dialog-title")
            yield TextArea(id="import-text", soft_wrap=True)
            yield Select([(c.get("name") or c["id"], c["id"]) for c in self.customers], prompt="这段聊天的客户",
                         id="import-customer")
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
        """Pick the customer the chat names (张奶奶 10:32 → 张奶奶) unless one is already chosen."""
        select = self.query_one("#import-customer", Select)
        if not _unset(select.value):
            return
        found = self.customer_named_in(event.text_area.text)
        if found:
            select.value = found

    def customer_named_in(self, text: str) -> str | None:
        names = [c.get("name") or "" for c in self.customers]
        for message in parse_chat(text, self.staff_names, names):
            if message.speaker == CUSTOMER and message.name:
                match = [c for c in self.customers if same_person(message.name, c.get("name") or "")]
                return match[0]["id"] if len(match) == 1 else None
        return None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "import-save" else self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        customer = self.query_one("#import-customer", Select).value
        outcome = self.query_one("#import-outcome", Select).value
        problem = "先把聊天记录粘贴到上面的框里。" if not text else "请选这段聊天的客户。" if _unset(customer) else ""
        if problem:
            self.query_one("#import-error", Label).update(problem)
            return
        self.dismiss({"text": text, "customer_id": customer, "outcome": None if _unset(outcome) else outcome})

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


def _imported(screen: Any, result: Any, customer: dict) -> None:
    if result.duplicate:
        screen.app.notify(f"这段聊天已经导入过（{customer['name']}），没有重复导入。", severity="warning")
    else:
        screen.app.notify(f"已导入和{customer['name']}的聊天：客户 {result.customer_lines} 句、我 {result.staff_lines} 句，"
                          f"合规提示 {result.flags} 条。在列表里标为「导入」。")
    screen.reload()
