"""演练: chat with a simulated customer, see each reply scored in a side panel (or only at the
end, in exam mode), ask for a hint, restart, end, and read the scorecard. The screen only draws;
`assistant.core.rehearse` plays and scores, and `RehearsalRecorder` writes each line as it is said."""

from __future__ import annotations

import random

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, Static

from assistant.core.labels import run_end_label
from assistant.core.rehearse.real_customer import customer_persona
from assistant.core.rehearse.recorder import RehearsalRecorder
from assistant.core.rehearse.scoring import scoring_of
from assistant.core.rehearse.drill import ANON_STAFF
from assistant.core.rehearse.sim import Rehearsal
from assistant.core.rehearse.labels import DIFFICULTIES, persona_line
from assistant.ui.screens.rehearse_picker import Choice, ScenarioPicker, surprise
from assistant.ui.screens.rehearse_resume import ResumeRuns
from assistant.ui.screens.rehearse_retry import RetryReply
from assistant.ui.screens.scorecard import DRILL, PICK, RESTART, ScorecardScreen
from assistant.ui.widgets.chat import Bubble, ChatLog
from assistant.ui.widgets.chat_input import ChatInput
from assistant.ui.widgets.feedback import FeedbackPanel, marked_reply, reply_feedback
from assistant.ui.widgets.fit import fit_parts
from assistant.ui.widgets.footer import KeyFooter
from assistant.ui.screens.rehearse_notes import customer_note

HOW = ("回复后，这里显示这句的得分：讲到了哪些要点（标出你说的原话）、漏了什么、表达和合规，"
       "以及参考说法。\n\nctrl+t 提示 · ctrl+z 重说没过关的一句 · ctrl+f 考试模式 · ctrl+r 重来 · ctrl+g 结束 · PgUp/PgDn 翻看点评"
       " · ctrl+b 收起点评栏")
EXAM = "考试模式：每句不打分，结束后看成绩单。\n\nctrl+f 切回每句点评。"


def patience(run) -> Text:
    """The customer's patience left out of a fixed maximum: ●●○ = one more poor reply costs a dot;
    none = hangs up. A good answer refills it, never past the maximum."""
    total, left = run.patience_max, run.patience_left
    style = "green" if left > 1 else "bold red"
    return Text.assemble("耐心", ("●" * left, style), ("○" * (total - left), "dim"), (f" {left}/{total}", "dim"))


class RehearseScreen(RetryReply, ResumeRuns, Screen):
    """One run at a time; `run` is None until a scenario is picked."""

    DEFAULT_CSS = """
    RehearseScreen #rh-head { height: auto; max-height: 2; padding: 0 1; background: $primary 15%; }
    RehearseScreen #rh-body { height: 1fr; }
    RehearseScreen #rh-feedback { width: 42%; min-width: 30; padding: 0 1; border-left: solid $primary 50%; }
    RehearseScreen #rh-feedback.-passed { border-left: thick $success; }
    RehearseScreen #rh-feedback.-failed { border-left: thick $warning; }
    RehearseScreen.-hide-feedback #rh-feedback { display: none; }
    """

    BINDINGS = [
        # first: in the footer only right after a reply that did not pass (check_action)
        Binding("ctrl+z", "retry", "重说", tooltip="收回没过关的上一句，客户回到刚才那句，再说一次"),
        Binding("ctrl+o", "pick", "选场景", tooltip="选场景和客户，或「给我来个惊喜」"),
        Binding("ctrl+t", "hint", "提示", tooltip="这一步该讲的要点和参考说法"),
        Binding("ctrl+f", "exam(True)", "考试模式", tooltip="考试模式：每句不打分，只在最后看成绩单"),
        Binding("ctrl+f", "exam(False)", "每句点评", tooltip="每句点评：回复后马上看评分"),
        Binding("ctrl+r", "restart", "重来", tooltip="同一场景和客户，换个种子重新开始"),
        Binding("ctrl+g", "end", "结束", tooltip="结束这场演练，看成绩单"),
        # Shown (a walk found ctrl+b nowhere on screen); one of the two is active, as with ctrl+f.
        Binding("ctrl+b", "feedback(False)", "收起点评", tooltip="收起右边的点评栏，对话更宽"),
        Binding("ctrl+b", "feedback(True)", "显示点评", tooltip="显示右边的点评栏"),
        Binding("pageup", "scroll_feedback(-1)", "点评上翻", show=False, tooltip="点评栏向上翻"),
        Binding("pagedown", "scroll_feedback(1)", "点评下翻", show=False, tooltip="点评栏向下翻"),
    ]
    #: Left out of a narrow footer first (still in ctrl+p), before 提示, 结束 and 重说.
    FOOTER_SPARE = ("feedback(False)", "feedback(True)", "restart")

    class Replied(Message):
        """The scoring worker's answer for `run` (ignored when the run was replaced meanwhile)."""

        def __init__(self, run, text: str, result=None, error: str | None = None) -> None:
            super().__init__()
            self.run, self.text, self.result, self.error = run, text, result, error

    def __init__(self) -> None:
        super().__init__()
        self.services = None
        #: The current run and its mirror in the history (None before the first pick).
        self.run: Rehearsal | None = None
        self.recorder: RehearsalRecorder | None = None
        #: Exam mode: no per-reply feedback, only the scorecard at the end.
        self.exam = False
        #: A reply is being scored (the input waits).
        self.busy = False
        #: The scorecard of the run that ended last, and how many drill items it queued.
        self.card = None
        self.queued: list[dict] = []
        #: A scenario (and real customer) asked for (app.open_scenario) before the services were ready.
        self.pending: str | None = None
        self.pending_customer: str | None = None
        #: An open rehearsal to carry on (home's recent list) asked for before the services were ready.
        self.pending_resume: str | None = None
        self.rng = random.Random()
        self._my_bubble: Bubble | None = None

    def compose(self) -> ComposeResult:
        yield Static("演练：选一个场景开始（ctrl+o）", id="rh-head")
        with Horizontal(id="rh-body"):
            yield ChatLog(id="chat")
            yield FeedbackPanel(id="rh-feedback")
        with Horizontal(id="input-row", classes="-me"):
            yield Label("我说▸", id="speaker")
            yield ChatInput([], free_keys="", placeholder="输入你对客户说的话，回车发送", id="say")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.feedback.show_note(self._how())
        self.query_one(ChatInput).focus()
        self.app.when_ready(self, self._ready)

    def _ready(self, services) -> None:
        self.services = services
        if not services.library.scenarios:
            self.chat.add("system", "话术库里还没有演练场景。")
            return
        self.warm_up(services.library)
        if self.pending:
            self.start_scenario(self.pending, self.pending_customer)
        elif self.pending_resume:
            self.resume_session(self.pending_resume)
        else:
            self.call_after_refresh(self._pick_if_idle)

    @work(thread=True, group="rehearse-warm", exit_on_error=False)
    def warm_up(self, library) -> None:
        """Score one throwaway reply so the first real one does not wait for the word splitter."""
        scenario = next(iter(library.scenarios.values()))
        run = Rehearsal(library, scenario.id, scenario.personas[0].id)
        run.start()
        run.reply("您好，我是支行的理财经理，耽误您一分钟可以吗？")

    def _pick_if_idle(self) -> None:
        if self.run is None and self.pending is None and not self.busy and self.app.screen is self:
            self.action_pick()

    # ------------------------------------------------------------ parts

    @property
    def chat(self) -> ChatLog:
        return self.query_one(ChatLog)

    @property
    def feedback(self) -> FeedbackPanel:
        return self.query_one(FeedbackPanel)

    @property
    def staff_id(self) -> str:
        return (self.app.staff or {}).get("id") or ANON_STAFF

    def _today(self):
        return self.services.clock().date()

    def _head(self) -> None:
        run = self.run
        if run is None:
            return
        mode = "考试模式" if self.exam else "每句点评"
        replies = sum(1 for t in run.transcript if t.reply is not None)
        state = f"已结束：{run.outcome}" if run.finished else f"第{replies + 1}句"
        where = [Text(f"{mode} · {state}", style="bold"), *([] if self.exam else [patience(run)])]
        what = [Text(run.scenario.title), Text(run.persona.title),
                Text(f"难度{DIFFICULTIES.get(run.persona.difficulty, '')} · 种子 {run.seed}", style="dim")]
        head = self.query_one("#rh-head", Static)
        width = (head.content_size.width or self.app.size.width - 2)
        head.update(fit_parts([where, what], width))  # one line, or two cut between parts

    def on_resize(self) -> None:
        self.call_after_refresh(self._head)  # once the header has its new width

    # ------------------------------------------------------------ starting

    def start_scenario(self, scenario_id: str, customer_id: str | None = None) -> None:
        """Start `scenario_id` with its first persona, or as the real customer `customer_id` (their
        profile, products and past objections) when given (called by `app.open_scenario`)."""
        if self.services is None:
            self.pending = scenario_id
            self.pending_customer = customer_id
            return
        self.pending = None
        if isinstance(self.app.screen, ScenarioPicker):  # it opened by itself a moment earlier
            self.app.screen.dismiss(None)
        scenario = self.services.library.scenarios.get(scenario_id)
        if scenario is None:
            self.notify(f"话术库里没有演练场景 {scenario_id}。按 ctrl+o 选一个。", severity="warning")
            return
        customer = self.services.history.get_customer(customer_id) if customer_id else None
        if customer_id and customer is None:
            self.notify("找不到这位客户的资料，先用场景里的客户角色演练。", severity="warning")
        if customer is None:
            self.start(Choice(scenario_id, scenario.personas[0].id))
            return
        persona, _ = customer_persona(self.services.library, scenario, customer, self.services.history, self._today())
        # her profile is the persona's description, shown just above the why: not said twice
        self.start(Choice(scenario_id, persona.id, why="按这位客户的资料演练"), persona=persona, customer_id=customer["id"])

    def start(self, choice: Choice, persona=None, customer_id: str | None = None) -> None:
        """Close the current run (if any) and start `choice` (or carry on the rehearsal it names)."""
        if self.busy:  # the worker is still scoring the last reply of the current run
            self.notify("正在评分，稍等一下再换。", severity="warning")
            return
        if choice.resume:
            self.resume(choice.resume)
            return
        self._close()
        seed = choice.seed if choice.seed is not None else self.rng.randrange(10000)
        s = self.services
        me = self._staff_variables()
        if persona is None and self.run is not None and self.run.own_persona and choice.persona_id == self.run.persona.id:
            persona, customer_id = self.run.persona, self.run.customer_id  # ctrl+r: the same real customer again
        self.run = Rehearsal(s.library, choice.scenario_id, choice.persona_id, seed=seed, variables=me,
                             feedback=not self.exam, persona=persona, customer_id=customer_id)
        self.recorder = RehearsalRecorder(s.history, self.run, self.staff_id)
        self.card, self.queued, self.busy, self._my_bubble = None, [], False, None
        self.chat.remove_children()
        self.chat.add("coach", self._brief(choice.why))
        first = self.run.start()
        self.recorder.sync()
        self.chat.add("customer", first.text)
        self.feedback.show_note(self._how())
        self._head()
        self.query_one(ChatInput).focus()

    def _staff_variables(self) -> dict:
        """Who is practising, for the lines that name the caller."""
        return {"staff_name": self.app.staff["name"]} if (self.app.staff or {}).get("name") else {}

    def _how(self) -> str:
        return EXAM if self.exam else HOW

    def _brief(self, why: str) -> str:
        run = self.run
        lines = [f"演练：{run.scenario.title}", f"客户：{persona_line(run.persona)}"]
        if run.persona.description:
            lines.append(run.persona.description)
        if why:
            lines.append(f"为什么挑这个：{why}")
        return "\n".join(lines)

    def _close(self) -> None:
        """Close the session of a run that is being replaced (it is kept in the history)."""
        if self.recorder is not None and not self.recorder.closed:
            self.recorder.finish(self._today())

    # ------------------------------------------------------------ replying

    def on_input_submitted(self, event: ChatInput.Submitted) -> None:
        event.stop()
        box = self.query_one(ChatInput)
        text = box.text
        if not text or self.busy:
            return
        if self.run is None:
            self.notify("先选一个场景：ctrl+o。", severity="warning")
            return
        if self.run.finished or self.recorder.closed:  # ended by the customer, or by me (ctrl+g)
            self.notify("这场已经结束了：ctrl+r 再来一次，ctrl+o 换场景。", severity="warning")
            return
        box.value = ""
        self.busy = True
        self._my_bubble = self.chat.add("staff", text, note="评分中…" if not self.exam else "")
        self.keep_for_retry()
        self.score(self.run, text)

    @work(thread=True, exclusive=True, group="rehearse", exit_on_error=False)
    def score(self, run: Rehearsal, text: str) -> None:
        """Score off the event loop (the first reply loads the word splitter). Only posts."""
        try:
            self.post_message(self.Replied(run, text, run.reply(text)))
        except Exception as exc:  # a message, never a traceback
            self.post_message(self.Replied(run, text, error=f"{type(exc).__name__}: {exc}"))

    def on_rehearse_screen_replied(self, message: Replied) -> None:
        if message.run is not self.run:
            return  # restarted while scoring: that run is closed already
        self.busy = False
        if message.error:
            self.notify(f"这句没评上分：{message.error}", severity="error")
            return
        self.recorder.sync()
        with self.app.batch_update():  # one repaint for the bubble, the answer and the panel
            self._show_result(message.text, message.result)
            self.offer_retry(message.result)
        if self.run.finished:
            self._finish(message.result)

    def _show_result(self, text: str, result) -> None:
        score, customer = result.score, result.customer
        self._mark_my_bubble(text, score)
        note = self._customer_note(customer) if not self.exam or customer.ended else ""
        self.chat.add("customer", customer.text, note=note)
        if not self.exam:
            self._note_step(customer)
        replies = sum(1 for t in self.run.transcript if t.reply is not None)
        if self.exam:
            self.feedback.show_note(EXAM + f"\n\n已答 {replies} 句。")
        else:
            self.feedback.show_reply(score, replies, customer.why, result.reactions)
        self._head()

    def _customer_note(self, customer) -> str:
        return customer_note(self.run, self.services.library, customer)

    def _note_step(self, customer) -> None:
        """Say when the conversation moved on to another of the eight steps (progress you can see)."""
        turns = self.run.transcript
        if len(turns) >= 2 and customer.kind in ("line", "end") and customer.step != turns[-2].customer.step:
            self.chat.add("system", f"→ 进入下一步：{self.services.library.step_label(customer.step)}")

    def _mark_my_bubble(self, text: str, score) -> None:
        """My words that earned points in green, red-line words in red, and the score under it."""
        if self._my_bubble is None:
            return
        content = Text("我\n", style="dim")
        if self.exam:
            content.append(text)
        else:
            content.append_text(marked_reply(text, score))
            verdict = f"\n{score.total}分 " + ("✓ 过关" if score.passed else "✗ 未过关")
            content.append(verdict + (" · 触犯合规" if score.failed_compliance else ""), style="italic")
        self._my_bubble.update(content)

    # ------------------------------------------------------------ the end

    def _finish(self, last=None) -> None:
        """The scorecard; the panel keeps the last reply's feedback (why the call ended) under the total."""
        self.card, self.queued = self.recorder.finish(self._today())
        self._head()
        if not self.card.replies:
            self.chat.add("coach", "还没回复就结束了，这场不计分。ctrl+r 重来，ctrl+o 换场景。")
            return
        self.chat.add("coach", f"演练结束：{run_end_label(self.run.outcome, self.run.finished)}，总分 {self.card.total}。"
                               "ctrl+r 再来一次，ctrl+o 换场景。")
        note = Text(f"总分 {self.card.total}。成绩单里有每一步、每项能力和下次重点练什么。\n\nctrl+g 再看成绩单。\n\n")
        if last is not None and last.score is not None:
            note.append_text(reply_feedback(last.score, f"第{self.card.replies}句", last.customer.why, last.reactions))
        self.feedback.show_note(note)
        self.show_scorecard()

    def show_scorecard(self) -> None:
        """Open the scorecard of the run that ended last."""
        if self.card is None:
            return
        pass_mark = scoring_of(self.services.library).pass_mark
        screen = ScorecardScreen(self.card, self.services.library, len(self.queued), pass_mark)
        self.app.push_screen(screen, self._after_scorecard)

    def _after_scorecard(self, what: str | None) -> None:
        if what == DRILL:  # 「按 d 现在去练」 these: the ones this run queued come first
            self.app.open_drill([q["id"] for q in self.queued])
        elif what == RESTART:
            self.action_restart()
        elif what == PICK:
            self.action_pick()

    # ------------------------------------------------------------ actions

    def action_pick(self) -> None:
        """Pick a scenario and persona (or a surprise from my weak spots)."""
        if self.services is None:
            self.notify("话术库还在加载，请稍等。", severity="warning")
            return
        pick = lambda: surprise(self.services.library, self.services.history, self.staff_id, self.rng)  # noqa: E731
        self.app.push_screen(ScenarioPicker(self.services.library, pick, self.unfinished()), self._picked)

    def _picked(self, choice: Choice | None) -> None:
        if choice is not None:
            self.start(choice)

    def action_hint(self) -> None:
        """Show the next key point and the model reply (counted in the transcript)."""
        if not self._playing():
            return
        self.chat.add("coach", "提示：" + self.run.hint().replace("。参考说法：", "。\n参考说法："))

    def _playing(self) -> bool:
        if self.run is None or self.run.finished:
            self.notify("现在没有进行中的演练：ctrl+o 选场景。", severity="warning")
            return False
        return not self.busy

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Only one of the two ctrl+f bindings is active (the footer names what it switches to)."""
        if action == "exam":
            return parameters[0] != self.exam
        if action == "feedback":
            return parameters[0] == self.has_class("-hide-feedback")
        if action == "retry":
            return self.can_retry()
        return True

    def action_exam(self, on: bool) -> None:
        """Exam mode on (no per-reply feedback, only the scorecard) or off (feedback after each reply)."""
        self.exam = on
        if self.run is not None:
            self.run.feedback = not on
            self._head()
        self.feedback.show_note(EXAM if on else HOW)
        self.refresh_bindings()
        self.notify("考试模式：结束后才看评分。" if on else "每句点评：回复后马上看评分。")

    def action_restart(self) -> None:
        """The same scenario and persona again with a new seed."""
        if self.run is None:
            self.action_pick()
            return
        run = self.run
        seed = (run.seed + 1 + self.rng.randrange(9999)) % 10000
        self.start(Choice(run.scenario.id, run.persona.id, seed))
        self.notify(f"重新开始，种子 {seed}。")

    def action_end(self) -> None:
        """End the rehearsal now (nothing asked) and show the scorecard."""
        if self.run is None or self.busy:
            return
        if self.recorder.closed:
            self.show_scorecard()
            return
        self._finish()

    def action_scroll_feedback(self, pages: int) -> None:
        """Page the feedback panel (it can be longer than the screen)."""
        panel = self.feedback
        panel.scroll_to(y=panel.scroll_y + pages * max(1, panel.size.height - 2), animate=False)

    def action_feedback(self, show: bool) -> None:
        """Show or hide the feedback panel (more room for the chat on a small terminal)."""
        self.set_class(not show, "-hide-feedback")
        self.refresh_bindings()
