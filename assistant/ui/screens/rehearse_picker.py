"""Pick what to rehearse: every scenario with its personas (difficulty, temperament), or
"给我来个惊喜", which picks from my weak spots; an optional seed makes the run repeatable."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from assistant.core.labels import counted_score
from assistant.core.rehearse.labels import CHANNELS, persona_line
from assistant.ui.widgets.footer import KeyFooter
from assistant.ui.widgets.zhtext import ZhStatic

SURPRISE = "surprise"
#: Option ids of unfinished rehearsals start with this (then the session id).
RESUME = "resume:"


@dataclass(frozen=True)
class Choice:
    """What to rehearse; `seed` None = a new random one; `why` says why it was picked."""

    scenario_id: str
    persona_id: str
    seed: int | None = None
    why: str = ""
    #: The id of an unfinished rehearsal session of mine to carry on (resume.py), instead of a new run.
    resume: str | None = None


def surprise(library, history, staff_id: str, rng: random.Random) -> Choice:
    """From my weak spots: a drill item of mine with a scenario, else my lowest-scoring scenario,
    else any scenario at random. The persona is chosen at random (seeded)."""
    scenarios = library.scenarios
    items = [d for d in _drill(history, staff_id) if d.get("scenario_id") in scenarios]
    if items:
        item = min(items, key=lambda d: (d.get("box", 1), d.get("due") or "", d.get("id", "")))
        sid, why = item["scenario_id"], f"练习队列里还有「{item.get('label') or item['scenario_id']}」没练好"
    elif (weakest := _weakest(history, staff_id, scenarios)) is not None:
        sid, avg = weakest
        why = f"这是你演练平均分最低的场景（{avg}分）"
    else:
        sid, why = rng.choice(sorted(scenarios)), "还没有你的演练记录，随机挑了一个"
    persona = rng.choice(scenarios[sid].personas)
    return Choice(sid, persona.id, None, why)


def _drill(history, staff_id: str) -> list[dict]:
    lister = getattr(history, "list_drill", None)
    return list(lister(staff_id)) if lister else []


def _weakest(history, staff_id: str, scenarios) -> tuple[str, int] | None:
    scores: dict[str, list[float]] = defaultdict(list)
    for s in getattr(history, "iter_sessions", lambda: [])():
        score = counted_score(s)  # a run given up (未完成) is not scored
        if s.get("mode") == "rehearse" and s.get("staff_id") == staff_id and score is not None \
                and s.get("scenario_id") in scenarios:
            scores[s["scenario_id"]].append(score)
    if not scores:
        return None
    sid = min(scores, key=lambda k: (sum(scores[k]) / len(scores[k]), k))
    return sid, round(sum(scores[sid]) / len(scores[sid]))


class ScenarioPicker(ModalScreen[Choice | None]):
    """Enter picks the highlighted persona (or the surprise); escape keeps what was there."""

    DEFAULT_CSS = """
    ScenarioPicker #rh-picker { width: 84; height: 90%; max-height: 40; }
    ScenarioPicker #rh-options { height: 1fr; min-height: 7; }
    ScenarioPicker #rh-about { height: auto; max-height: 4; }
    ScenarioPicker #rh-seed-row { height: 3; }
    ScenarioPicker #rh-seed-label { padding: 1 1 0 0; color: $text-muted; }
    ScenarioPicker #rh-seed { width: 16; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "取消", tooltip="不换场景"),
        Binding("ctrl+s", "surprise", "惊喜", tooltip="从我的薄弱点挑一个场景"),
        Binding("down", "move(1)", "下一个", show=False, tooltip="在筛选框里也能上下选"),
        Binding("up", "move(-1)", "上一个", show=False, tooltip="在筛选框里也能上下选"),
    ]

    def __init__(self, library, pick_surprise, unfinished: list[dict] | None = None) -> None:
        super().__init__()
        self.library = library
        #: Called for "给我来个惊喜" (the screen knows the history and who I am).
        self.pick_surprise = pick_surprise
        #: My rehearsals left open (the app was closed mid-way), newest first: offered first.
        self.unfinished = list(unfinished or ())[:3]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="rh-picker"):
            yield Label("选一个场景和客户（↑↓ 选择，回车开始，esc 取消）", classes="dialog-title")
            yield Input(placeholder="筛选：输入场景、客户或难度（如 到期、阿姨、易）", id="rh-filter")
            yield OptionList(*self._options(), id="rh-options")
            yield ZhStatic("", id="rh-about")
            with Horizontal(id="rh-seed-row"):
                yield Label("种子（可不填，同一种子同样的对话）", id="rh-seed-label")
                yield Input(placeholder="随机", type="integer", id="rh-seed")
        yield KeyFooter()

    def _options(self, query: str = "") -> list:
        """The surprise, then each scenario (a heading) with its personas that match `query`."""
        out: list = [Option(self._resume_line(r), id=RESUME + r["id"]) for r in self.unfinished if not query]
        out += [Option(Text("🎲 给我来个惊喜（从我的薄弱点挑）", style="bold"), id=SURPRISE), None]
        for scenario in self.library.scenarios.values():
            heading = scenario.title + CHANNELS.get(scenario.channel, "")
            personas = [p for p in scenario.personas
                        if query in f"{heading}{scenario.summary or ''}{persona_line(p)}{p.description or ''}"]
            if personas:
                out.append(Option(Text(heading, style="bold"), disabled=True))
                out += [Option(f"   {persona_line(p)}", id=f"{scenario.id}|{p.id}") for p in personas]
        return out

    def _resume_line(self, record: dict) -> Text:
        """↩ 接着练: when it was and how far it got; under it the customer and the scenario."""
        scenario = self.library.scenarios[record["scenario_id"]]
        persona = next((p for p in scenario.personas if p.id == record.get("persona_id")), None)
        when = (record.get("started") or "")[5:16].replace("T", " ")
        text = Text(f"↩ 接着练上次没练完的（{when}，已答{record.get('replies_so_far', 0)}句）\n", style="bold")
        short = scenario.title.split("（")[0]  # its long (…) stays for the line under the list
        text.append(f"   {persona.title if persona else '客户'} · {short}")
        return text

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self.query_one("#rh-filter", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "rh-filter":
            return
        options = self.query_one(OptionList)
        query = event.value.strip()
        options.set_options(self._options(query))
        personas = [i for i in range(options.option_count) if "|" in (options.get_option_at_index(i).id or "")]
        options.highlighted = personas[0] if query and personas else 0  # the first match, else the first line (an unfinished run, or the surprise)

    def action_move(self, step: int) -> None:
        """Move the highlight while typing in the filter or seed box."""
        options = self.query_one(OptionList)
        options.action_cursor_down() if step > 0 else options.action_cursor_up()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#rh-about", Static).update(self._about(event.option.id))

    def _about(self, option_id: str | None) -> Text:
        if option_id and option_id.startswith(RESUME):
            record = next((r for r in self.unfinished if RESUME + r["id"] == option_id), {})
            title = self.library.scenarios[record["scenario_id"]].title if record else ""
            return Text(f"{title}\n上次关掉程序时这场还没练完：回车从停下的地方接着练，前面的回复和得分都在。", style="dim")
        if option_id == SURPRISE or not option_id:
            return Text("挑你练习队列里的场景；没有就挑你平均分最低的；再没有就随机。", style="dim")
        sid, pid = option_id.split("|")
        scenario = self.library.scenarios[sid]
        persona = next(p for p in scenario.personas if p.id == pid)
        text = Text(f"客户：{persona.description}\n" if persona.description else "")
        text.append(scenario.summary or "", style="dim")
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == SURPRISE:
            self.action_surprise()
            return
        if event.option.id.startswith(RESUME):
            record = next(r for r in self.unfinished if RESUME + r["id"] == event.option.id)
            self.dismiss(Choice(record["scenario_id"], record.get("persona_id") or "", record.get("seed"),
                                resume=record["id"]))
            return
        sid, pid = event.option.id.split("|")
        self.dismiss(Choice(sid, pid, self.seed()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(OptionList).action_select()

    def seed(self) -> int | None:
        """The seed typed in, or None for a random one."""
        value = self.query_one("#rh-seed", Input).value.strip()
        return int(value) if value.lstrip("-").isdigit() else None

    def action_surprise(self) -> None:
        """Pick from my weak spots and start."""
        choice = self.pick_surprise()
        self.dismiss(Choice(choice.scenario_id, choice.persona_id, self.seed(), choice.why))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def start_scenario(self, scenario_id: str, customer_id: str | None = None) -> None:
        """`app.open_scenario` while the picker is open: close it and start that scenario (as the
        real customer `customer_id` when given: the rehearse screen under it builds that persona)."""
        if customer_id:
            self.dismiss(None)
            self.app.call_after_refresh(lambda: self.app.screen.start_scenario(scenario_id, customer_id))
            return
        scenario = self.library.scenarios.get(scenario_id)
        if scenario is not None:
            self.dismiss(Choice(scenario_id, scenario.personas[0].id, self.seed()))
