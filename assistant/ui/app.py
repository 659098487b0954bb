"""CoachApp: the modes (home, live, rehearse, review, library, groups, drill), the services built
once in a worker, the collector held off the Live screen's Enter, and the app-wide keys (also in the
command palette). Who is using the app: app_staff.py; a live session left open: app_sessions.py.
"""

from __future__ import annotations

import gc
import importlib
import threading
from time import monotonic, sleep
from typing import Any, Callable, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.signal import Signal

from assistant.core.errors import CoachError
from assistant.ui.app_sessions import OpenSessions
from assistant.ui.app_staff import WhoIsUsing
from assistant.ui.guard import Guarded
from assistant.ui.services import Services, build_services

#: How often the collector makes a full pass (~20 ms) while the app runs.
FULL_GC_SECONDS = 30
#: Longest the warm-up waits for the ready screen's paint before it starts anyway (seconds).
READY_PAINT_WAIT = 2.0
#: Then it waits this long (seconds): the first screen's last paints are not slowed by its thread.
WARM_UP_DELAY = 1.0

#: mode → (module under assistant.ui.screens, screen class, Chinese name for keys and palette)
MODE_SCREENS: dict[str, tuple[str, str, str]] = {
    "home": ("home", "HomeScreen", "首页"),
    "live": ("live", "LiveScreen", "实战"),
    "rehearse": ("rehearse", "RehearseScreen", "演练"),
    "review": ("review", "ReviewScreen", "复盘"),
    "library": ("library", "LibraryScreen", "话术库"),
    "groups": ("groups", "GroupsScreen", "社群"),
    "drill": ("drill", "DrillScreen", "强化练习"),
}


def screen_factory(mode: str) -> Callable[[], Screen]:
    """Build the mode's screen (its module is imported on first use)."""
    module_name, class_name, _title = MODE_SCREENS[mode]

    def make() -> Screen:
        return getattr(importlib.import_module(f"assistant.ui.screens.{module_name}"), class_name)()

    return make


class CoachApp(Guarded, WhoIsUsing, OpenSessions, App):
    """网点营销教练."""

    CSS_PATH = "coach.tcss"
    TITLE = "网点营销教练"
    MODES = {mode: screen_factory(mode) for mode in MODE_SCREENS}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("f1", "go('home')", "首页", tooltip="回到首页：今日跟进、最近会话"),
        Binding("f2", "go('live')", "实战", show=False, tooltip="实战：边聊边给话术"),
        Binding("f3", "go('rehearse')", "演练", show=False, tooltip="和模拟客户演练"),
        Binding("f4", "go('review')", "复盘", show=False, tooltip="复盘历史会话"),
        Binding("f5", "go('library')", "话术库", show=False, tooltip="浏览和搜索话术库"),
        Binding("f6", "go('groups')", "社群", show=False, tooltip="微信群体检"),
        Binding("f7", "go('drill')", "练习", show=False, tooltip="今日到期的强化练习"),
        Binding("f9", "switch_staff", "切换身份", show=False, tooltip="换一个人使用"),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True, tooltip="打开命令面板：搜索要做的事"),
        # one of the two is active (check_action): quit_loading while loading, quit once loaded; every
        # screen's footer shows it (KeyFooter keeps it when other keys do not fit)
        Binding("ctrl+q", "quit_loading", "退出", priority=True, tooltip="还在准备，也可以先退出"),
        Binding("ctrl+q", "quit", "退出", priority=True, tooltip="退出程序（进行中的实战会先问怎么处理）"),
    ]

    class Loading(Message):
        """The loading worker started a step (`step`: its words from services.STEPS)."""

        def __init__(self, step: str) -> None:
            super().__init__()
            self.step = step

    class ServicesReady(Message):
        """The worker finished building the services (or failed: `error` says why)."""

        def __init__(self, services: Services | None, error: str | None = None) -> None:
            super().__init__()
            self.services = services
            self.error = error

    def __init__(self, mode: str | None = None, build: Callable[[], Services] | None = None) -> None:
        super().__init__()
        self.start_mode = mode or "home"
        self._build = build or (lambda: build_services(progress=self.report_loading))
        #: What the services are being built for now (the loading line shows it), and since when.
        self.loading_step = "启动"
        self.loading_since = monotonic()
        #: Library, matcher, renderer, history once loaded (None while loading or after a failure).
        self.services: Services | None = None
        #: Who is using the app: {id, name, role} (remembered in the history's settings).
        self.staff: dict | None = None
        #: Published once with the Services when they are ready.
        self.services_signal: Signal[Services] = Signal(self, "services")
        #: Why the services could not start (None when they did or are still loading).
        self.startup_error: str | None = None
        #: Full collector passes run by the timer so far.
        self.full_collections = 0
        self._last_full_collection = monotonic()
        #: The live screen once made (it registers itself), asked about an open session on quit.
        self.live_screen: Any = None
        #: Files that could not be read or written while running (shown at once; the exit code says so).
        self.problems: list[str] = []
        #: Set once the screen is painted with the services ready (the warm-up starts after it).
        self._ready_painted = threading.Event()

    def on_mount(self) -> None:
        self.switch_mode(self.start_mode)
        self.call_after_refresh(self.show_loading)
        self.load_services()

    def report_loading(self, step: str) -> None:
        """Called by the loading thread as each step starts (thread-safe: posts a message)."""
        self.post_message(self.Loading(step))

    def on_coach_app_loading(self, message: Loading) -> None:
        self.loading_step = message.step

    def show_loading(self) -> None:
        """While loading, the screen shown says what is being done (it goes once ready)."""
        from assistant.ui.widgets.loading import LoadingLine

        if self.services is None and not self.startup_error and not self.screen.query(LoadingLine):
            self.screen.mount(LoadingLine())

    @work(thread=True, exit_on_error=False, group="services")
    def load_services(self) -> None:
        """Load the playbooks off the event loop so the first screen paints at once."""
        try:
            services = self._build()
        except CoachError as exc:  # says which file and what to do
            self.post_message(self.ServicesReady(None, str(exc)))
            return
        except OSError as exc:  # a data file that is a folder, unreadable, a full disk: name it
            from assistant.core.platform import describe_os_error

            self.post_message(self.ServicesReady(None, describe_os_error(exc)))
            return
        except Exception as exc:  # a bug: still a message, never a traceback
            self.post_message(self.ServicesReady(None, f"意外错误（{type(exc).__name__}: {exc}）。请把这句话发给维护的同事。"))
            return
        self.post_message(self.ServicesReady(services))
        self._warm_up(services)

    def _warm_up(self, services: Services) -> None:
        """Still in the loading worker (so whoever waits for the app's workers waits for this too),
        once the ready screen is painted: the first Enter's cold start is paid here (see warmup.py)."""
        from textual.worker import get_current_worker

        from assistant.ui.warmup import warm_up, warmable

        if not warmable(services):
            return
        self._ready_painted.wait(READY_PAINT_WAIT)
        worker = get_current_worker()
        for _ in range(10):  # in steps: an app closed meanwhile cancels this worker
            if worker.is_cancelled:
                return
            sleep(WARM_UP_DELAY / 10)
        try:
            warm_up(services, lambda: worker.is_cancelled)
        except Exception:  # a warm-up that fails leaves the first Enter slower; the Enter says what is wrong
            pass

    def on_coach_app_services_ready(self, message: ServicesReady) -> None:
        if message.error:
            from assistant.ui.screens.startup_error import StartupErrorScreen

            self.startup_error = message.error
            self.push_screen(StartupErrorScreen(message.error))
            return
        self.services = message.services
        # The library, indexes and widgets made so far live as long as the app: keep them out of
        # the collector's full passes, which otherwise pause the UI ~100 ms every so often. Full
        # passes then run on a timer, not in the middle of drawing suggestions (p99 ~60 → ~40 ms).
        gc.freeze()
        gc.set_threshold(5000, 20, 1000)
        self.set_interval(FULL_GC_SECONDS, self.collect_garbage, name="full-gc")
        self.staff = self.services.history.current_staff()
        if self.staff is None:
            self.action_switch_staff()
        elif self.start_mode in ("home", "live"):  # `coach rehearse`/`review`…: that mode's own screen, not a live dialog over it
            self.offer_resume(at_start=True)
        for problem in self.services.problems:
            self.notify(f"跳过了有问题的话术文件：{problem}", title="话术库", severity="warning", timeout=15)
        self.services_signal.publish(self.services)
        self.call_after_refresh(self._ready_painted.set)

    def _handle_exception(self, error: Exception) -> None:
        """A file error no guard caught (in a widget's own handler): the app has to stop, but it
        says which file and what to do (run_app prints it, exit code 1), never a traceback."""
        from assistant.ui.guard import problem_text

        text = problem_text(error)
        if text is None:
            super()._handle_exception(error)
            return
        self.problems.append(text)
        self.exit(return_code=1)

    def report_problem(self, text: str) -> None:
        """A file the app could not read or write: say which and what to do; the app carries on."""
        self.problems.append(text)
        self.notify(text, title="读写出错，这一步没有完成", severity="error", timeout=30)

    def collect_garbage(self) -> None:
        """A full collector pass, on a timer (automatic ones are held back while the app runs),
        unless one ran lately after a paint (`collect_after_paint`)."""
        if monotonic() - self._last_full_collection >= FULL_GC_SECONDS * 0.9:
            self._collect_all()

    def collect_after_paint(self) -> None:
        """Called once an answer is on screen, while it is read: the collector's young pass (a full
        one when due) runs now, so its pause (up to ~25 ms, ~1 Enter in 50) is not in the next
        Enter's wait."""
        if monotonic() - self._last_full_collection >= FULL_GC_SECONDS:
            self._collect_all()
        else:
            gc.collect(1)

    def _collect_all(self) -> None:
        self.full_collections += 1
        self._last_full_collection = monotonic()
        gc.collect()

    def when_ready(self, node: Any, callback: Callable[[Services], None]) -> None:
        """Call back now if the services are ready, else once they are (for screens)."""
        if self.services is not None:
            callback(self.services)
        else:
            self.services_signal.subscribe(node, callback)

    # ------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Nowhere to go when the services could not start: the error screen stays. While loading
        there is nobody to switch to yet (the welcome dialog asks once ready) and the footer says
        how to quit."""
        if action == "quit_loading":
            return self.services is None and not self.startup_error
        if action == "quit":  # while loading, quit_loading answers ctrl+q (and the footer shows one 退出)
            return self.services is not None or bool(self.startup_error)
        if action == "switch_staff" and self.services is None:
            return False
        return not (self.startup_error and action in ("go", "switch_staff"))

    def action_go(self, mode: str) -> None:
        """Switch to a mode (each keeps its own screen stack)."""
        self.switch_mode(mode)
        self.call_after_refresh(self.show_loading)

    def action_quit_loading(self) -> None:
        """ctrl+q before anything is open: nothing to ask about."""
        self.exit()

    def open_drill(self, first: list[str]) -> None:
        """强化练习 with the items `first` (just queued by a rehearsal's scorecard) at the front."""
        self.switch_mode("drill")
        self.call_after_refresh(lambda: getattr(self.screen, "practise_first", lambda _ids: None)(first))

    def open_card(self, card_id: str) -> None:
        """Show a card in 话术库."""
        self.switch_mode("library")
        self.call_after_refresh(lambda: getattr(self.screen, "preview_card", lambda _id: None)(card_id))

    def open_library_search(self, text: str) -> None:
        """Open 话术库 with `text` in its search box."""
        self.switch_mode("library")
        self.call_after_refresh(lambda: getattr(self.screen, "search_for", lambda _text: None)(text))

    def open_scenario(self, scenario_id: str, customer_id: str | None = None) -> None:
        """Open a scenario in 演练 (the rehearse screen offers `start_scenario`); with `customer_id`
        the simulated customer is that real customer (profile, products, past objections)."""
        self.switch_mode("rehearse")
        start = getattr(self.screen, "start_scenario", None)
        if start is None:
            self.notify(f"演练模式建设中，场景 {scenario_id} 暂时打不开。", severity="warning")
            return
        self.call_after_refresh(start, scenario_id, customer_id)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Every dialog shows its own keys, not the footer of the screen behind it."""
        from assistant.ui.widgets.dialog_keys import give_keys

        give_keys(screen)
        return super().push_screen(screen, *args, **kwargs)

    def action_help_quit(self) -> None:
        """ctrl+c copies in an input; say in Chinese how to quit."""
        self.notify("按 ctrl+q 退出（ctrl+c 在输入框里是复制）。", title="要退出吗？")

    def action_command_palette(self) -> None:
        """The command palette, in Chinese."""
        from assistant.ui.palette import ChinesePalette

        if self.use_command_palette and not ChinesePalette.is_open(self):
            self.push_screen(ChinesePalette(id="--command-palette"))

    def action_show_help_panel(self) -> None:
        """The palette's 按键说明: the keys of this screen, in Chinese (Textual's panel is English)."""
        from textual.widgets import HelpPanel

        from assistant.ui.widgets.keys_panel import ChineseHelpPanel

        if not self.screen.query(HelpPanel):
            self.screen.mount(ChineseHelpPanel())

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from assistant.ui.palette import ChinesePalette

        self.push_screen(ChinesePalette(providers=[ThemeProvider], placeholder="输入主题名…"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from assistant.ui.palette import chinese

        yield from chinese(super().get_system_commands(screen))
        for mode, (_, _, title) in MODE_SCREENS.items():
            yield SystemCommand(f"打开{title}", f"切换到{title}模式", lambda m=mode: self.action_go(m))
        yield SystemCommand("切换身份", "换一个人使用（姓名、岗位）", self.action_switch_staff)
        yield SystemCommand("接着未结束的实战", "列出我没有结束的实战，选一个接着聊或结束",
                            lambda: self.offer_resume(say_none=True))
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description and not binding.action.startswith("app."):
                yield SystemCommand(binding.description, binding.tooltip or binding.description,
                                    lambda a=binding.action, s=screen: s.run_action(a))
