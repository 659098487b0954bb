"""A pasted chat whose customer is not the one this conversation is with (the ⚠ over the cards):
ctrl+y asks whether to start a new conversation with that customer, keeping this one open for
later, or to stay. It never moves a conversation that had lines of its own to someone else."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from assistant.core.live.chat import same_person
from assistant.ui.widgets.customer import CustomerPanel
from assistant.ui.widgets.zhtext import ZhLabel


class SwitchCustomerScreen(ModalScreen[bool]):
    """Returns True to start a new conversation with the chat's customer, False to stay."""

    BINDINGS = [
        Binding("1", "answer(True)", "新开一次实战"),
        Binding("escape", "answer(False)", "留在这次", tooltip="什么都不改"),
    ]

    def __init__(self, named: str, current: str) -> None:
        super().__init__()
        #: The chat's customer, and the customer this conversation is with.
        self.named, self.current = named, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="switch-customer"):
            yield ZhLabel(f"这段聊天是「{self.named}」的，这次实战是和「{self.current}」的。", classes="dialog-title")
            yield ZhLabel(f"新开：和「{self.named}」开始新的一次，这段聊天记在新的一次里；和「{self.current}」的"
                          "这次不结束、不改动，下次打开应用时可以接着聊。", classes="quote")
            with Horizontal(classes="buttons"):
                yield Button(f"1 为{self.named[:6]}新开", variant="primary", id="switch-new")
                yield Button(f"留在{self.current[:6]}这次（esc）", id="switch-stay")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "switch-new")

    def action_answer(self, new: bool) -> None:
        self.dismiss(new)


class StrangerChat:
    """Mixed into LiveScreen (which owns `session`, `services`, `chat`, `named`, `pasted`,
    `logged_before_paste` and the drawing helpers of the other mixins)."""

    def _stranger_notice(self, name: str) -> str:
        """Said once, over the cards of the chat (a chat with a customer line always shows them),
        where the replies greet the selected customer; a copy in the chat log only repeated it."""
        current = (self.session.customer or {}).get("name")  # one line at 80 columns: the cards need the room
        if not current:
            return f"⚠ 这段聊天的客户是「{name}」，还没有选客户。ctrl+y 选「{name}」"
        return f"⚠ 这段聊天的客户是「{name}」，话术按「{current}」写的。ctrl+y 换成「{name}」"

    def action_adopt_named(self) -> None:
        """The chat's customer: chosen outright when nobody was, or when this conversation is only
        that chat; else asked (a new conversation with them, or stay)."""
        if not self.named or self.session is None:
            self.notify("没有要换的客户。ctrl+o 可以选择或新建客户。", severity="warning")
            return
        current = (self.session.customer or {}).get("name")
        if current and self.logged_before_paste and self.pasted and not same_person(self.named, current):
            self.app.push_screen(SwitchCustomerScreen(self.named, current), self._switch_answered)
            return
        self._customer_picked(self._named_customer())

    def _named_customer(self) -> dict:
        """The customer on record going by the chat's name, or a new one to create."""
        history = self.services.history
        found = next((c for c in history.list_customers() if same_person(c.get("name", ""), self.named)), None)
        return found or {"name": self.named}

    def _switch_answered(self, new: bool | None) -> None:
        if new and self.named and self.pasted:
            self._start_for_named()

    def _start_for_named(self) -> None:
        """A new conversation with the chat's customer holding the pasted chat (logged again there,
        matched cards drawn for them); the earlier one stays open, with a note of where it went."""
        customer = self._named_customer()
        if not customer.get("id"):
            customer = self.services.history.add_customer(**customer)
        earlier, (pairs, flags) = self.session, self.pasted
        was = (earlier.customer or {}).get("name") or "客户"
        earlier.note(f"这段聊天是「{customer['name']}」的，已另开一次实战记下。")
        self.session, self.named, self.pasted = self._new_session(customer), None, None
        self.chat.clear()
        self._draw_chat([m for m, _found in pairs], flags or [() for _ in pairs])
        found, _mine = self.session.record_chat(pairs, flags)
        self.chat.add("system", f"已为「{customer['name']}」新开一次实战。和「{was}」的那次没有结束，"
                                "下次打开应用时可以接着聊。")
        self.query_one(CustomerPanel).show(customer, self.services.library.segment_label, self.services.clock().date())
        self._show_speaker()
        if found is not None:
            self.last_customer_line = found.query
            self._show_suggestions(found, empty="")
            self._rerender()  # the cards were written for the earlier customer
        else:
            self.suggestions.display = False
            self.shown = ()
        self._refresh_steps()
