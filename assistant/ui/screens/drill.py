"""强化练习: today's due items for me, one turn each (the customer's line and the key points to
hit, my reply, its score with reasons and the model reply), rescheduled by the result; my streak;
each answer logged as a `drill` session. ctrl+l opens the PK leaderboard."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from assistant.core.errors import CoachError
from assistant.core.rehearse.drill import ANON_STAFF, TOP_BOX, due_items, make_exercise, save_result, score_exercise
from assistant.core.rehearse.scoring import scoring_of
from assistant.ui.screens.leaderboard import LeaderboardScreen
from assistant.ui.widgets.chat_input import ChatInput
from assistant.ui.widgets.feedback import marked_reply, reply_feedback
from assistant.ui.widgets.footer import KeyFooter
from assistant.ui.widgets.zhtext import ZhStatic

NOTHING_DUE = "今天没有到期的练习。去演练一场（F3），没练好的地方会自动放进来。"


def log_answer(history, staff_id: str, item: dict, exercise, reply: str, score, saved: dict) -> str:
    """One drill answer as a session of mode `drill`: the customer's line, my scored reply, the end."""
    sid = history.start_session(mode="drill", staff_id=staff_id, scenario_id=item.get("scenario_id"),
                                drill_item=item["id"], card_id=exercise.card_id)
    history.log_event(sid, "customer", exercise.customer, step=exercise.step, type="line")
    history.log_event(sid, "staff", reply, step=exercise.step, type="line", score=score.total,
                      reasons=score.reasons, flags=[f.rule_id for f in score.flags], model_reply=score.model_reply,
                      covered=[e.point_id for e in score.covered], missed=[m[0] for m in score.missed])
    history.end_session(sid, furthest_step=exercise.step, steps=[exercise.step], score=score.total, passed=score.passed,
                        cards_used=[exercise.card_id] if exercise.card_id else [],
                        box=saved.get("box"), due=saved.get("due"), streak=saved.get("streak"))
    return sid


def exercise_text(exercise, item: dict, number: int, count: int) -> Text:
    """The exercise: where it comes from, what the customer says, what to cover."""
    out = Text()
    out.append(f"第{number}/{count}题  {exercise.title}\n", style="bold")
    out.append(f"熟练度 {item.get('box', 1)}/{TOP_BOX} · 这题连对{item.get('streak', 0)}次\n\n", style="dim")  # own line: never split
    if exercise.customer_name:
        out.append(f"客户：{exercise.customer_name}\n", style="dim")
    out.append("客户说：", style="bold cyan")
    out.append(f"{exercise.customer}\n\n")
    if exercise.figures:  # the reference's figures come from these, not from nowhere
        out.append(f"按这些数答：{exercise.figures}\n\n", style="dim")
    if exercise.key_points:
        out.append("要讲到：\n", style="bold")
        for kp in exercise.key_points:
            out.append(f"  · {kp.label}\n")
    return out


class DrillScreen(Screen):
    """Items are answered in order; Enter on an empty input (or ctrl+n) goes to the next one."""

    DEFAULT_CSS = """
    DrillScreen #drill-head { height: 1; padding: 0 1; background: $primary 15%; }
    DrillScreen #drill-body { height: 1fr; padding: 0 1; }
    DrillScreen #drill-exercise { margin-bottom: 1; }
    DrillScreen #drill-result { border-left: thick $primary 50%; padding: 0 1; }
    DrillScreen #drill-result.-passed { border-left: thick $success; }
    DrillScreen #drill-result.-failed { border-left: thick $warning; }
    """

    BINDINGS = [
        Binding("ctrl+n", "next", "下一题", tooltip="跳到下一题（这题不算）"),
        Binding("ctrl+t", "hint", "参考说法", tooltip="先看看参考说法（这题照样要答）"),
        Binding("ctrl+l", "leaderboard", "PK榜", tooltip="网点 PK 竞赛：演练分数和练习连对"),
        Binding("ctrl+r", "reload", "刷新", show=False, tooltip="重新读取今天到期的练习"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.services = None
        #: Today's due items (as they were when loaded) and which one is shown.
        self.items: list[dict] = []
        self.index = 0
        #: The exercise on screen, and whether it has been answered.
        self.exercise = None
        self.answered = False
        #: Answers given on this screen today, and how many passed.
        self.done = 0
        self.passed = 0

    def compose(self) -> ComposeResult:
        yield Static("强化练习", id="drill-head")
        with VerticalScroll(id="drill-body"):
            yield ZhStatic("正在加载…", id="drill-exercise")
            yield ZhStatic("", id="drill-result")
        with Horizontal(id="input-row", classes="-me"):
            yield Label("我答▸", id="speaker")
            yield ChatInput([], free_keys="", placeholder="输入你的回答，回车评分", id="say")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#drill-result").display = False
        self.query_one(ChatInput).focus()
        self.app.when_ready(self, self._ready)

    def on_screen_resume(self) -> None:
        if self.services is not None and (self.exercise is None or self.answered):
            self.action_reload()

    def _ready(self, services) -> None:
        self.services = services
        self.action_reload()

    @property
    def staff_id(self) -> str:
        return (self.app.staff or {}).get("id") or ANON_STAFF

    def _today(self):
        return self.services.clock().date()

    # ------------------------------------------------------------ showing

    def action_reload(self) -> None:
        """Read today's due items again and show the first."""
        lister = getattr(self.services.history, "list_drill", None)
        self.items = due_items(self.services.history, self.staff_id, self._today()) if lister else []
        self.index = 0
        self._show()

    def practise_first(self, ids: list[str]) -> None:
        """Today's items again with `ids` first (from a scorecard's d: what that run just queued,
        not an older item, is what staff expect to practise)."""
        if self.services is None:
            return
        self.action_reload()
        self.items.sort(key=lambda item: item.get("id") not in ids)  # stable: due order otherwise
        self._show()

    def _show(self) -> None:
        self.answered = False
        self.query_one("#drill-result").display = False
        while self.index < len(self.items):
            try:
                self.exercise = make_exercise(self.items[self.index], self.services.library)
                break
            except CoachError as exc:  # the card left the library: say so and go on
                self.notify(str(exc), severity="warning")
                self.index += 1
        else:
            self.exercise = None
        self._head()
        body = self.query_one("#drill-exercise", Static)
        if self.exercise is None:
            body.update(self._all_done())
            return
        body.update(exercise_text(self.exercise, self.items[self.index], self.index + 1, len(self.items)))
        self.query_one(ChatInput).focus()

    def _all_done(self) -> Text:
        if not self.items:
            return Text(NOTHING_DUE)
        return Text(f"今天的 {len(self.items)} 题做完了：答了 {self.done} 题，过关 {self.passed} 题。"
                    "\n没过的明天再来；ctrl+l 看 PK 榜。", style="bold")

    def _head(self) -> None:
        mine = getattr(self.services.history, "list_drill", lambda _s: [])(self.staff_id)
        best = max((d.get("streak", 0) for d in mine), default=0)
        left = max(0, len(self.items) - self.index - (1 if self.answered else 0))
        self.query_one("#drill-head", Static).update(Text.assemble(
            ("强化练习", "bold"), f" · 今天还剩 {left} 题 · 已答 {self.done} 题（过关 {self.passed}）",
            (f" · 最长连对 {best} 次", "bold green" if best else "")))

    # ------------------------------------------------------------ answering

    def on_input_submitted(self, event: ChatInput.Submitted) -> None:
        event.stop()
        box = self.query_one(ChatInput)
        text = box.text
        if self.exercise is None:
            return
        if self.answered:
            self.action_next()
            return
        if not text:
            self.notify("先写下你的回答再回车；ctrl+n 跳过这题，ctrl+t 看参考说法。")
            return
        box.value = ""
        self._answer(text)

    def _answer(self, text: str) -> None:
        s, item = self.services, self.items[self.index]
        score = score_exercise(self.exercise, text, s.library)
        saved = save_result(s.history, item, score.total, self._today(), scoring_of(s.library).pass_mark)
        log_answer(s.history, self.staff_id, item, self.exercise, text, score, saved)
        self.items[self.index] = saved
        self.query_one("#drill-exercise", Static).update(
            exercise_text(self.exercise, saved, self.index + 1, len(self.items)))  # the new box and streak
        self.answered, self.done, self.passed = True, self.done + 1, self.passed + score.passed
        self._show_result(text, score, saved)
        self._head()

    def _show_result(self, text: str, score, saved: dict) -> None:
        result = self.query_one("#drill-result", Static)
        due = saved["due"]
        when = "明天再练" if not score.passed else f"{int(due[5:7])}月{int(due[8:10])}日再练（熟练度 {saved['box']}/{TOP_BOX}）"
        content = Text(f"{when} · 这题连对 {saved['streak']} 次 · 回车下一题\n", style="bold")
        content.append("我答：", style="dim")
        content.append_text(marked_reply(text, score))
        content.append("\n\n")
        content.append_text(reply_feedback(score, "本题"))
        result.update(content)
        result.set_class(score.passed, "-passed")
        result.set_class(not score.passed, "-failed")
        result.display = True
        self.call_after_refresh(self.query_one("#drill-body", VerticalScroll).scroll_to_widget, result, top=True)

    # ------------------------------------------------------------ actions

    def action_next(self) -> None:
        """The next exercise (an unanswered one stays due)."""
        if self.exercise is None:
            return
        self.index += 1
        self._show()

    def action_hint(self) -> None:
        """Show the model reply before answering."""
        if self.exercise is None:
            return
        self.notify(self.exercise.model_reply or "这题没有参考说法。", title="参考说法", timeout=12)

    def action_leaderboard(self) -> None:
        """The branch PK leaderboard."""
        if self.services is not None:
            self.app.push_screen(LeaderboardScreen(self.services.history, self._today(), self.staff_id))
