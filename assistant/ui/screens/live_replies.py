"""My own lines on the Live screen: typed ones (compliance-checked first) and the cards I use,
as they are or edited (1⏎ 2⏎ 3⏎ copy, e⏎ edits)."""

from __future__ import annotations

from assistant.core.live.session import STAFF_TIP, Suggestion
from rich.text import Text

from assistant.ui.screens.live_dialogs import PLACEHOLDER, ComplianceScreen, EditReplyScreen, describe_flags
from assistant.ui.widgets.chat_input import BREAK, ChatInput

#: The mark on a bubble of mine that broke a sales rule.
FLAGGED = "⚠ 含不合规表述"
CLIPBOARD_NOTE = "已复制（若终端不支持剪贴板，请手动选中复制）"


class OwnLines:
    """Mixed into LiveScreen (which owns `session`, `chat`, `shown`, `selected`, `me`)."""

    def _own_line(self, text: str) -> None:
        flags = self.session.check_line(text)
        if flags:
            self.app.push_screen(ComplianceScreen(text, flags), lambda choice: self._after_warning(choice, text, flags))
            return
        self._send_own(text, flags)

    def _after_warning(self, choice: str, text: str, flags: tuple) -> None:
        if choice == "send":
            self._send_own(text, flags)
        else:
            box = self.query_one(ChatInput)
            box.value = (("/me " if not self.me else "") + text).replace("\n", BREAK)
            box.cursor_position = len(box.value)  # typing (or a paste) goes on after it, not before
            box.focus()

    def _send_own(self, text: str, flags: tuple) -> None:
        line = self.session.staff_said(text, flags)  # checked once, before the dialog
        self.chat.add("staff", text, self._now(), FLAGGED if line.flags else "")
        self._refresh_steps()

    def _flagged_note(self, text: str, flags: tuple) -> Text | str:
        """A pasted line of mine that broke a rule (`flags`): marked in place, with each rule and the
        safer wording the compliance dialog shows for a typed line (a paste has no dialog to show it)."""
        if not flags:
            return ""
        note = Text(FLAGGED + "\n", style="italic").append_text(describe_flags(text, flags))
        note.rstrip()
        return note

    def action_use(self, number: int) -> None:
        """Copy suggestion `number` and log it as used."""
        if not 1 <= number <= len(self.shown):
            self.notify(f"没有第{number}条话术。" if self.shown else "现在没有话术。先输入客户说的话。", severity="warning")
            return
        suggestion = self.shown[number - 1]
        if not suggestion.for_customer:
            self.notify(STAFF_TIP, severity="warning")
            return
        if suggestion.missing:  # never paste 【金额】 to a customer: fill it in first
            how = "ctrl+o 选客户，或 /var 名称=值" if self.session.customer is None else "/var 名称=值"
            self._edit(suggestion, f"还有待填：{'、'.join(suggestion.missing)}。改好再用（也可以先 {how}）。")
            return
        self._use(suggestion, None)

    def _use(self, suggestion: Suggestion, edited: str | None, flags: tuple | None = None) -> None:
        line = self.session.use(suggestion, edited, flags)
        self.app.copy_to_clipboard(line.text)
        label = "已修改后使用" if line.edited else "已使用"
        self.chat.add("staff", line.text, self._now(), f"{label}「{suggestion.title}」· 已复制")
        self.notify(f"{label}「{suggestion.title}」，{CLIPBOARD_NOTE}")
        if suggestion.follow_up:
            self.chat.add("coach", f"接着问：{suggestion.follow_up}")
        self._refresh_steps()
        self._offer_remember(suggestion)

    def action_edit(self) -> None:
        """Edit the selected suggestion before using it (logged as edited)."""
        if not self.shown:
            self.notify("现在没有可修改的话术。", severity="warning")
            return
        suggestion = self.shown[min(self.selected, len(self.shown) - 1)]
        if not suggestion.for_customer:
            self.notify(STAFF_TIP, severity="warning")
            return
        self._edit(suggestion)

    def _edit(self, suggestion: Suggestion, hint: str = "", text: str | None = None) -> None:
        self.app.push_screen(EditReplyScreen(suggestion.title, text or suggestion.reply, hint),
                             lambda edited: self._edited(suggestion, edited))

    def _edited(self, suggestion: Suggestion, text: str | None) -> None:
        if not text:
            return
        left = PLACEHOLDER.findall(text)
        if left:
            self._edit(suggestion, f"还有没填的{'、'.join(dict.fromkeys(left))}，改掉再用。", text)
            return
        flags = self.session.check_line(text)
        if flags:
            self.app.push_screen(ComplianceScreen(text, flags),
                                 lambda choice: self._use(suggestion, text, flags) if choice == "send" else None)
            return
        self._use(suggestion, text, flags)
