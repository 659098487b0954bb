"""The Live screen's /commands (/help, /note, /step, /var, /card, /undo, /end…) and what the input
completes; `assistant.core.live.commands` parses them, this mixin acts on them on screen."""

from __future__ import annotations

from assistant.core.live.session import COMMANDS, Command
from assistant.ui.widgets.commands_help import with_commands


def completions() -> list[str]:
    """What the input completes: every /command, plus /step and /end with their arguments."""
    steps = ["/step 主动关怀", "/step 提问及解析", "/step 问题总结与引导改善", "/step 引入方案",
             "/step 推荐产品", "/step 回应异议", "/step 成交", "/step 未成交沉淀"]
    ends = ["/end 成交", "/end 未成交", "/end 待跟进"]
    takes_arg = {name for name, (usage, _) in COMMANDS.items() if " " in usage}
    return [*(f"/{name}{' ' if name in takes_arg else ''}" for name in COMMANDS), *steps, *ends]


#: A paste of more messages is not the conversation at hand (a whole day's chat, or 10 000 lines):
#: Live reads its last ones, so the cards come in a second or two, not after matching every line.
PASTE_MESSAGES = 100


class LiveCommands:
    """Mixed into LiveScreen (which owns `session`, `services`, `chat`, `me` and the line handlers)."""

    def _cmd_say(self, command: Command) -> None:
        if self.me:
            self._own_line(command.arg)
            return
        messages = self.session.read_chat(command.arg)
        if len(messages) == 1 and not messages[0].name:
            self._customer_line(messages[0].text)
        elif messages:
            self._chat_paste(messages[-PASTE_MESSAGES:])
        if len(messages) > PASTE_MESSAGES:  # said under the messages: the chat keeps only its last rows
            self.chat.add("system", f"这段聊天有 {len(messages)} 条消息，实战只读最后 {PASTE_MESSAGES} 条。"
                                    "整段留档请到 复盘 按 i 导入聊天。")

    def _cmd_me(self, command: Command) -> None:
        self._own_line(command.arg)

    def _cmd_error(self, command: Command) -> None:
        self.chat.add("system", with_commands(command.error or ""))

    def _cmd_undo(self, command: Command) -> None:
        from assistant.core.live.closing import undo_resolved

        count = undo_resolved(self.services.history, self.settled)
        self.settled = []
        self.chat.add("system", f"已撤销：{count} 个跟进恢复为未完成。" if count else "没有可以撤销的跟进。")

    def _cmd_help(self, command: Command) -> None:
        from assistant.ui.screens.live_help import HelpScreen

        self.app.push_screen(HelpScreen())  # its own dialog: in the chat, cards left it 3 rows

    def _cmd_customer(self, command: Command) -> None:
        self.action_pick_customer()

    def _cmd_next(self, command: Command) -> None:
        self.action_next_step()

    def _cmd_end(self, command: Command) -> None:
        self.finish(command.value) if command.value else self.action_end()  # bare /end: ask, like ctrl+g

    def _cmd_note(self, command: Command) -> None:
        self.session.note(command.arg)
        self.chat.add("system", f"备注：{command.arg}", self._now())

    def _cmd_step(self, command: Command) -> None:
        try:
            self.session.set_step(command.arg)
        except ValueError as exc:
            self.chat.add("system", str(exc))
        self._refresh_steps()

    def _cmd_var(self, command: Command) -> None:
        name, value = command.value
        try:
            key = self.session.set_var(name, value)
        except ValueError as exc:
            self.chat.add("system", str(exc))
            return
        self.chat.add("system", f"已设置 {self.services.library.variable_label(key)} = {value}")
        self._rerender()

    def _cmd_card(self, command: Command) -> None:
        found = self.session.search_cards(command.arg)
        self._note_searched(found)
        self._show_suggestions(found, empty=f"话术库里没有和「{command.arg}」相近的卡片。按 F5 打开话术库浏览。")
