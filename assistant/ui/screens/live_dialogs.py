"""Small dialogs of live mode: edit a reply before use, a compliance warning, the outcome."""

from __future__ import annotations

import re
from typing import Any, Callable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from assistant.core.live.session import OUTCOMES
from assistant.ui.widgets.zhtext import ZhLabel, ZhStatic, ZhTextArea


#: A value still to fill in a rendered reply: 【金额】, 【利息差：先填金额…】.
PLACEHOLDER = re.compile(r"【[^】\n]*】")


def _location(text: str, index: int) -> tuple[int, int]:
    """(row, column) of a character index, as TextArea counts them."""
    before = text[:index]
    return before.count("\n"), index - (before.rfind("\n") + 1)


class EditReplyScreen(ModalScreen[str | None]):
    """Edit a suggested reply; returns the edited text (ctrl+s) or None (escape)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "使用", tooltip="复制改好的话术并记为已修改后使用"),
        Binding("escape", "cancel", "取消", tooltip="不使用"),
    ]

    def __init__(self, title: str, text: str, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        #: Why the dialog opened by itself (e.g. placeholders still to fill), shown under the title.
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="edit-reply"):
            yield ZhLabel(f"修改后使用：{self.title_text}（ctrl+s 使用，esc 取消）", classes="dialog-title")
            if self.hint:
                yield ZhLabel(self.hint, classes="dialog-hint", id="edit-hint")
            yield ZhTextArea(self.text, soft_wrap=True, id="edit-text")
            with Horizontal(classes="buttons"):
                yield Button("使用（ctrl+s）", variant="primary", id="edit-save")
                yield Button("取消", id="edit-cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        placeholder = PLACEHOLDER.search(self.text)
        if placeholder:  # select the first 【…】 so typing replaces it
            area.selection = Selection(_location(self.text, placeholder.start()), _location(self.text, placeholder.end()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "edit-save" else self.action_cancel()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


def describe_flags(text: str, flags) -> Text:
    """Each broken rule: the words that broke it, why, and a safer way to say it."""
    out = Text()
    for flag in flags:
        out.append("✗ ", style="bold red")
        out.append(f"「{getattr(flag, 'quote', '')}」", style="bold")
        out.append(f" {flag.message}\n")
        out.append("  可以这样说：", style="green")
        out.append(f"{flag.safer}\n")
    return out


class ComplianceScreen(ModalScreen[str]):
    """Shown before a line is logged as sent. Returns "edit" or "send"."""

    BINDINGS = [
        Binding("escape", "edit", "回去改", tooltip="把这句放回输入框修改"),
        Binding("ctrl+s", "send", "仍然发送", tooltip="照原样记录（会标记违规）"),
    ]

    def __init__(self, text: str, flags) -> None:
        super().__init__()
        self.text = text
        self.flags = flags

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -warning", id="compliance"):
            yield ZhLabel("⚠ 这句话不合规，发出去之前请改一改", classes="dialog-title")
            yield ZhStatic(Text(self.text, style="italic"), classes="quote")
            with VerticalScroll(id="flags-box"):
                yield ZhStatic(describe_flags(self.text, self.flags), id="flags")
            with Horizontal(classes="buttons"):
                yield Button("回去改（esc）", variant="primary", id="c-edit")
                yield Button("仍然发送（ctrl+s）", variant="error", id="c-send")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_send() if event.button.id == "c-send" else self.action_edit()

    def action_edit(self) -> None:
        self.dismiss("edit")

    def action_send(self) -> None:
        self.dismiss("send")


class OutcomeScreen(ModalScreen[str | None]):
    """Ask how the conversation ended; returns 成交/未成交/待跟进 or None."""

    BINDINGS = [
        Binding("1", "pick('成交')", "成交"),
        Binding("2", "pick('未成交')", "未成交"),
        Binding("3", "pick('待跟进')", "待跟进"),
        Binding("escape", "pick('')", "继续聊", tooltip="不结束"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="outcome"):
            yield ZhLabel("这次沟通的结果？（未成交、待跟进会自动安排 24 小时 / 72 小时跟进）", classes="dialog-title")
            with Horizontal(classes="buttons"):
                for i, outcome in enumerate(OUTCOMES, 1):
                    yield Button(f"{i} {outcome}", id=f"o-{i}", name=outcome)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_pick(event.button.name or "")

    def action_pick(self, outcome: str) -> None:
        self.dismiss(outcome or None)


class QuitScreen(ModalScreen[str | None]):
    """Quitting with a live conversation open: returns "end", "later" or None (stay)."""

    BINDINGS = [
        Binding("1", "pick('end')", "结束并记录结果"),
        Binding("2", "pick('later')", "稍后继续"),
        Binding("escape", "pick('')", "取消", tooltip="不退出"),
    ]

    def __init__(self, summary: str) -> None:
        super().__init__()
        #: What is open, e.g. 和王阿姨的实战（5 句）.
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="quit"):
            yield ZhLabel(f"{self.summary}还没结束。退出前怎么处理？", classes="dialog-title")
            yield ZhLabel("稍后继续：下次打开时会问你要不要接着聊。", classes="quote")
            with Horizontal(classes="buttons"):
                yield Button("1 结束并记录结果", variant="primary", id="q-end", name="end")
                yield Button("2 稍后继续", id="q-later", name="later")
                yield Button("取消（esc）", id="q-cancel", name="")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_pick(event.button.name or "")

    def action_pick(self, choice: str) -> None:
        self.dismiss(choice or None)


class ResumeScreen(ModalScreen[str | None]):
    """On start: live sessions of mine were left open. Returns "resume", "end", None (not now) or
    "aside" (someone was typing: the dialog stepped aside and the keys went to the screen under it);
    `picked` is the session chosen (with several open, the one highlighted in the list)."""

    BINDINGS = [
        Binding("1", "pick('resume')", "接着聊"),
        Binding("2", "pick('end')", "结束并记录结果"),
        Binding("escape", "pick('')", "先不管", tooltip="以后可以在首页的最近会话或复盘里接着聊或结束"),
    ]

    def __init__(self, record: dict, customer: dict | None, count: int = 1,
                 open_ones: list[tuple[dict, dict | None]] | None = None) -> None:
        super().__init__()
        self.record, self.customer, self.count = record, customer, count
        #: Every open session offered, newest first, with its customer (or None).
        self.open_ones = open_ones or [(record, customer)]
        #: The session the answer is about.
        self.picked = record
        #: The screen under this dialog, where typed keys go once it steps aside (set on the first one).
        self._below: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="resume"):
            if len(self.open_ones) == 1:
                yield ZhLabel(f"上次{_with(self.customer)}的实战（{_started(self.record)} 开始）没有结束。",
                              classes="dialog-title")
            else:
                yield ZhLabel(f"有 {len(self.open_ones)} 个实战没有结束：↑↓ 选一个，1 接着聊，2 结束并记录结果。",
                              classes="dialog-title")
                yield OptionList(*(Option(_open_row(r, c), id=r["id"]) for r, c in self.open_ones), id="resume-list")
            with Horizontal(classes="buttons"):
                yield Button("1 接着聊", variant="primary", id="r-resume", name="resume")
                yield Button("2 结束并记录结果", id="r-end", name="end")
                yield Button("先不管（esc）", id="r-later", name="")

    def on_mount(self) -> None:
        for listing in self.query("#resume-list").results(OptionList):
            listing.highlighted = 0
            listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick("resume")  # Enter on a session carries it on

    def on_key(self, event: events.Key) -> None:
        """A character that is none of the dialog's keys: the marketer was typing a line when the
        dialog came up (it takes focus from the input). It steps aside and hands the key on."""
        own = {binding.key for binding in self.BINDINGS if isinstance(binding, Binding)}
        if event.character and event.is_printable and not event.character.isspace() and event.key not in own:
            event.stop()
            event.prevent_default()
            self._hand_down(events.Key(event.key, event.character))

    def on_paste(self, event: events.Paste) -> None:
        """A chat pasted while the dialog came up goes where it was meant to go, too."""
        event.stop()
        self._hand_down(events.Paste(event.text))

    def _hand_down(self, event: events.Event) -> None:
        """Post `event` to the focused widget of the screen under this one (in the order typed: keys
        already queued here follow the first), and leave on the first."""
        if self._below is None:
            stack = self.app.screen_stack
            self._below = stack[-2] if len(stack) > 1 and stack[-1] is self else self.app.screen
            self.dismiss("aside")
        (self._below.focused or self._below).post_message(event)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_pick(event.button.name or "")

    def action_pick(self, choice: str) -> None:
        for listing in self.query("#resume-list").results(OptionList):
            if listing.highlighted is not None:
                self.picked = self.open_ones[listing.highlighted][0]
        self.dismiss(choice or None)


def left_open_note(open_ones: list[tuple[dict, dict | None]]) -> str:
    """The start-up offer said in a toast: what was left open and where to carry it on or end it."""
    what = (f"上次{_with(open_ones[0][1])}的实战（{_started(open_ones[0][0])} 开始）" if len(open_ones) == 1
            else f"有 {len(open_ones)} 个实战")
    return f"{what}没有结束。要接着聊或结束：ctrl+p 选「接着未结束的实战」，或在首页最近会话里回车。"


def _open_row(record: dict, customer: dict | None) -> Text:
    """When, with whom, and the customer's last line (`last_line`, when the offer read it)."""
    row = Text(f"{_started(record)}  {_with(customer)}")
    if record.get("last_line"):
        row.append(f"  「{record['last_line']}」", style="dim")
    row.truncate(60, overflow="ellipsis")
    return row


def _with(customer: dict | None) -> str:
    name = (customer or {}).get("name")
    return f"和{name}" if name else "（没选客户）"


def _started(record: dict) -> str:
    started = str(record.get("started") or "")
    return f"{int(started[5:7])}月{int(started[8:10])}日 {started[11:16]}" if len(started) >= 16 else started


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; returns True only for the explicit yes."""

    BINDINGS = [Binding("ctrl+s", "answer(True)", "确定"), Binding("escape", "answer(False)", "取消")]

    def __init__(self, question: str, yes: str) -> None:
        super().__init__()
        self.question, self.yes = question, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm"):
            yield ZhLabel(self.question, classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes}（ctrl+s）", variant="warning", id="confirm-yes")
                yield Button("取消（esc）", variant="primary", id="confirm-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class SettledScreen(ModalScreen[bool]):
    """After ending a session outside Live (start-up offer, quitting): lists the earlier follow-ups
    the outcome closed; returns True when staff undo it (they are reopened), False to keep it."""

    BINDINGS = [
        Binding("enter", "answer(False)", "好的"),
        Binding("escape", "answer(False)", "好的", show=False),
        Binding("u", "answer(True)", "撤销", tooltip="把这些跟进恢复为未完成"),
    ]

    def __init__(self, end: Any, done: str = "好的") -> None:
        super().__init__()
        #: What ending did (core/live/stored.py StoredEnd): outcome, follow-ups made, earlier ones closed.
        self.end = end
        #: What Enter does here: 好的, or 退出 when quitting.
        self.done = done

    def compose(self) -> ComposeResult:
        from assistant.core.live.stored import ended_note

        with Vertical(classes="dialog", id="settled"):
            yield ZhStatic(ended_note(self.end), classes="dialog-title", id="settled-note")  # the buttons say how to undo
            with Horizontal(classes="buttons"):
                yield Button(f"{self.done}（回车）", variant="primary", id="settled-keep")
                yield Button("u 撤销，恢复为未完成", id="settled-undo")

    def on_mount(self) -> None:
        self.query_one("#settled-keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "settled-undo")

    def action_answer(self, undo: bool) -> None:
        self.dismiss(undo)


def ask_undo_settled(app: Any, end: Any, then: Callable[[], None], done: str = "好的") -> None:
    """Show what ending a session (a core StoredEnd) closed among the customer's earlier
    follow-ups, with u to reopen them (closing.undo_resolved); then call `then`."""
    from assistant.core.live.closing import undo_resolved

    def answered(undo: bool | None) -> None:
        if undo:
            count = undo_resolved(app.services.history, end.resolved)
            app.notify(f"已撤销：{count} 个跟进恢复为未完成，首页的跟进里能看到。")
        then()

    app.push_screen(SettledScreen(end, done), answered)
