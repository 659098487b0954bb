"""One conversation as it happened: who said what, the cards suggested (with scores), the one
used or edited, step changes, compliance flags, rehearsal scores and their reasons, and the
comments reviewers left. Move between moments with ↑/↓, comment on one with c; open its card
(k) or rehearse the same scenario again (r). A staff member who opens their own session sees new
comments once, and they are then marked seen.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Static

from assistant.core.labels import abandoned, outcome_label, session_mode_label
from assistant.core.review.numbers import so_far
from assistant.ui.guard import Guarded
from assistant.ui.screens.review_rows import HIGHLIGHT, Names, when
from assistant.ui.widgets.chat import Bubble, ChatLog
from assistant.ui.widgets.footer import KeyFooter

#: Event types drawn as a centred system line rather than a bubble.
SYSTEM_TYPES = ("step", "end", "note")


class TranscriptLog(ChatLog):
    """The chat log keeping every line: a review reads the whole conversation, not the last rows."""

    MAX_ROWS = 100_000

    def fill(self, bubbles: list[Bubble]) -> AwaitMount:
        """Mount all the bubbles at once (no scrolling to the end: a review starts where it wants)."""
        return self.mount_all([Horizontal(b, classes=f"bubble-row {b.css_class}") for b in bubbles])


class TranscriptScreen(Guarded, Screen):
    """The transcript of one session, with a moment cursor for comments and jumps."""

    DEFAULT_CSS = """
    TranscriptScreen #transcript-head { height: auto; padding: 0 1; background: $primary 20%; }
    TranscriptScreen #transcript { height: 1fr; padding: 0 1; }
    TranscriptScreen Bubble.-cursor { background: $accent 30%; }
    TranscriptScreen Bubble.-flagged { border-left: thick $warning; }
    TranscriptScreen Bubble.-hit { text-style: bold; }
    """

    BINDINGS = [
        Binding("escape", "back", "返回", tooltip="回到会话列表"),
        Binding("up,k", "move(-1)", "上一句", show=False, tooltip="光标移到上一句"),
        Binding("down,j", "move(1)", "下一句", show=False, tooltip="光标移到下一句"),
        Binding("c", "comment", "批注", tooltip="给光标所在的这一句加批注（对方下次打开时会看到）"),
        Binding("enter", "open_card", "看卡片", tooltip="在话术库打开这一句用到或建议的卡片"),
        Binding("r", "rehearse", "再练一次", tooltip="在演练模式重新练这个场景"),
    ]

    def __init__(self, session_id: str, names: Names, seq: int | None = None, words: list[str] | None = None) -> None:
        super().__init__()
        self.session_id = session_id
        self.names = names
        #: The event to put the cursor on first (a search hit), and the searched words to light.
        self.start_seq = seq
        self.words = words or []
        self.session: dict = {}
        self.events: list[dict] = []
        #: Comments on this session: seq → list of flag records.
        self.flags: dict[int | None, list[dict]] = {}
        #: Comments new to the current user when the screen opened (then marked seen).
        self.unseen: list[dict] = []
        #: Index into `events` of the moment under the cursor, and the bubbles in event order.
        self.cursor = 0
        self.bubbles: list[Bubble] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="transcript-head")
        yield TranscriptLog(id="transcript")
        yield KeyFooter()

    class Loaded(Message):
        """The session record, its events and its comments, read by the loading worker."""

        def __init__(self, session: dict, events: list[dict], flags: list[dict]) -> None:
            super().__init__()
            self.session, self.events, self.flags = session, events, flags

    def on_mount(self) -> None:
        self.query_one("#transcript-head", Static).update("正在读取这次对话…")
        self.load()

    def show_problem(self, text: str) -> None:
        """The session could not be read: say why where 「正在读取」 stood, not only in a toast."""
        if not self.events:
            self.query_one("#transcript-head", Static).update(Text(f"读不出这次对话：{text}", style="bold red"))
        super().show_problem(text)

    @work(thread=True, exclusive=True, group="transcript", exit_on_error=False)
    def load(self) -> None:
        """Read the session off the event loop: the first transcript of a month indexes that month."""
        history = self.app.services.history
        session = history.session(self.session_id) or {"id": self.session_id}
        events = history.events(self.session_id)
        flags = history.flags_for(self.session_id)
        self.post_message(self.Loaded(so_far(history, session, events), events, flags))

    async def on_transcript_screen_loaded(self, message: Loaded) -> None:
        self.session, self.events = message.session, message.events
        self._take_flags(message.flags)
        self.query_one("#transcript-head", Static).update(self._head())
        await self._draw()
        self._show_unseen()

    def _take_flags(self, flags: list[dict]) -> None:
        self.flags = {}
        for flag in flags:
            self.flags.setdefault(flag.get("seq"), []).append(flag)
        me = (self.app.staff or {}).get("id")
        mine = me and self.session.get("staff_id") == me
        self.unseen = [f for f in flags if mine and me not in (f.get("seen_by") or [])]

    def _show_unseen(self) -> None:
        """Tell the session's own staff member about comments left since, then mark them seen."""
        if not self.unseen:
            return
        names = "、".join(dict.fromkeys(self.names.staff.get(f.get("staff_id"), "同事") for f in self.unseen))
        self.notify(f"{names} 给这次对话留了 {len(self.unseen)} 条新批注（黄色竖线标出）。", title="新批注", timeout=10)
        self.app.services.history.mark_flags_seen(self.session_id, self.app.staff["id"])

    # ------------------------------------------------------------ drawing

    def _head(self) -> Text:
        s, n = self.session, self.names
        parts = [when(s.get("started")), session_mode_label(s),
                 n.staff.get(s.get("staff_id"), s.get("staff_id") or ""), n.who(s),
                 f"结果：{outcome_label(s)}", _reached(s, n)]
        if abandoned(s):
            parts.append("不计分")  # each reply's own score is still in the transcript below
        elif s.get("score") is not None:
            parts.append(f"得分 {s['score']:g}")
        head = Text(" · ".join(p for p in parts if p), style="bold")
        head.append("\n↑↓ 选一句 · c 批注 · 回车 看卡片 · r 再练一次 · Esc 返回", style="dim")
        return head

    async def _draw(self) -> None:
        """Every event as a bubble, then the cursor on the search hit, the first comment, or the start."""
        log = self.query_one(TranscriptLog)
        self.bubbles = [self._bubble(e) for e in self.events]
        if not self.bubbles:
            log.add("system", "这次会话没有记录到对话内容。")
            return
        await log.fill(self.bubbles)
        start = next((i for i, e in enumerate(self.events) if e.get("seq") == self.start_seq), None)
        first_flag = next((i for i, e in enumerate(self.events) if e.get("seq") in self.flags), None)
        self.cursor = start if start is not None else first_flag if first_flag is not None else 0
        self.call_after_refresh(self._place_cursor)

    def _bubble(self, e: dict) -> Bubble:
        speaker = self._speaker(e)
        bubble = Bubble(speaker, "")
        bubble.update(self._content(e, speaker))
        bubble.set_class(e.get("seq") in self.flags, "-flagged")
        return bubble

    def _content(self, e: dict, speaker: str) -> Text:
        who = {"customer": "客户", "staff": "员工", "coach": "教练", "ask": "员工问教练"}.get(speaker, "")
        text = Text(f"{who} {(e.get('said') or e.get('time') or '')[11:16]}".strip() + "\n", style="dim") if speaker != "system" else Text()
        body = self._body(e)
        if self.words:
            from assistant.core.review.search import highlight_spans

            shown = Text(body)
            for start, end in highlight_spans(body, self.words) or []:
                shown.stylize(HIGHLIGHT, start, end)
            text.append_text(shown)
        else:
            text.append(body)
        for note, style in self._notes(e):
            text.append("\n" + note, style=style)
        return text

    def _notes(self, e: dict) -> list[tuple[str, str]]:
        """What the coach knew at this moment, one line each."""
        n, notes = self.names, []
        matches = [m for m in e.get("matches") or () if isinstance(m, dict) and m.get("card_id")]
        if matches:
            notes.append(("建议：" + "；".join(n.card(m["card_id"]) + _fit(m.get("score")) for m in matches), "italic cyan"))
        if e.get("type") == "suggestion" and e.get("card_id"):
            notes.append((f"来自卡片「{n.card(e['card_id'])}」", "italic cyan"))
        if e.get("used_card") and e.get("type") == "use":
            notes.append((f"用了「{n.card(e['used_card'])}」" + ("（改过再用）" if e.get("edited") else ""), "green"))
        if e.get("flags"):
            notes.append(("⚠ 合规提醒：" + n.rules(e["flags"]), "bold red"))  # titles, not ids
        if e.get("type") == "score" and e.get("score") is not None:
            reasons = "；".join(map(str, e.get("reasons") or ()))
            notes.append((f"得分 {e['score']}" + (f"：{reasons}" if reasons else ""), "bold"))
        elif e.get("speaker") == "staff" and e.get("score") is not None:  # a rehearsal or drill reply, scored
            notes.append((f"得分 {e['score']}", "bold"))
            notes.extend((str(r), "green" if str(r).startswith("✓") else "yellow") for r in e.get("reasons") or ())
        for flag in self.flags.get(e.get("seq"), []):
            author = n.staff.get(flag.get("staff_id"), "同事")
            notes.append((f"✎ {author} 批注：{flag.get('comment', '')}", "bold yellow"))
        return notes

    def _place_cursor(self) -> None:
        for i, bubble in enumerate(self.bubbles):
            bubble.set_class(i == self.cursor, "-cursor")
        logs = self.query(TranscriptLog)  # empty when the screen was closed before this ran
        if self.bubbles and logs:
            logs.first().scroll_to_center(self.bubbles[self.cursor], animate=False)

    # ------------------------------------------------------------ actions

    @property
    def moment(self) -> dict | None:
        """The event under the cursor."""
        return self.events[self.cursor] if self.events else None

    def action_move(self, step: int) -> None:
        if self.events:
            self.cursor = min(max(0, self.cursor + step), len(self.events) - 1)
            self._place_cursor()

    def action_comment(self) -> None:
        """Comment on the moment under the cursor (stored; the staff member sees it next time)."""
        from assistant.ui.screens.review_dialogs import CommentScreen

        if self.moment is not None:
            self.app.push_screen(CommentScreen(str(self.moment.get("text") or "")[:60]), self.add_comment)

    def add_comment(self, comment: str | None) -> None:
        if not comment or self.moment is None:
            return
        history = self.app.services.history
        history.add_flag(self.session_id, self.moment.get("seq"), (self.app.staff or {}).get("id"), comment)
        from assistant.core.history.team import publish_later

        publish_later(history)  # a colleague's session: they see the comment after their next sync
        flags = history.flags_for(self.session_id)
        self._take_flags(flags)
        self.unseen = []
        self.bubbles[self.cursor].update(self._content(self.moment, self._speaker(self.moment)))
        self.bubbles[self.cursor].set_class(True, "-flagged")
        self.notify("批注已保存；对方下次打开这次对话时会看到。")

    @staticmethod
    def _speaker(e: dict) -> str:
        if e.get("type") == "ask":  # typed into Live's 客户说 box, read as the staff's own question
            return "ask"
        return "system" if e.get("type") in SYSTEM_TYPES else e.get("speaker") or "system"

    @staticmethod
    def _body(e: dict) -> str:
        """What the line says; my /note reads as a note (in the middle), not as said to the customer."""
        text = str(e.get("text") or "")
        return f"备注：{text}" if e.get("type") == "note" and e.get("speaker") == "staff" else text

    def _card_of(self, e: dict) -> str | None:
        matches = [m.get("card_id") for m in e.get("matches") or () if isinstance(m, dict)]
        return e.get("used_card") or e.get("card_id") or next(filter(None, matches), None)

    def action_open_card(self) -> None:
        """Open the card used or suggested at this moment (or the nearest one before it)."""
        for e in reversed(self.events[: self.cursor + 1]):
            card = self._card_of(e)
            if card:
                self.app.open_card(card)
                return
        self.notify("这一句之前没有用到或建议过卡片。", severity="warning")

    def action_rehearse(self) -> None:
        """Rehearse the same scenario again (a drill from a card has none: its next go is scheduled)."""
        scenario = self.session.get("scenario_id")
        if not scenario and self.session.get("mode") == "drill":
            self.notify("这是强化练习的一题，已按熟练度排好下次练的日子；今天到期的题在首页「练习」（6）。"
                        "可以按回车打开这张卡片。", severity="warning")
            return
        if not scenario:
            self.notify("这是实战会话，没有演练场景。可以按回车打开用到的卡片。", severity="warning")
            return
        self.app.open_scenario(scenario)

    def action_back(self) -> None:
        self.app.pop_screen()


def _fit(score) -> str:
    """A suggestion's score as Live shows it (匹配度88), not a bare 88.2 staff cannot place."""
    return f"（匹配度{score:.0f}）" if isinstance(score, (int, float)) else ""


def _reached(s: dict, n) -> str:
    """How far the conversation got; a drill practised one step of none (see `Names.reached`)."""
    if s.get("mode") == "drill":
        return f"练的步骤：{n.step(s.get('furthest_step'))}" if s.get("furthest_step") else ""
    return f"到达：{n.reached(s) or '—'}"
