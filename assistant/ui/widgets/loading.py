"""The line above the footer while the services load: what is being done, for how long, and how to
quit. The first start builds the caches (~10 s on a slow PC); a blank 「正在加载…」 looked stuck."""

from __future__ import annotations

from time import monotonic

from textual.widgets import Static


class LoadingLine(Static):
    """Mounted by the app on the screen shown while loading; removes itself once the services are
    ready (or failed: the error screen says why)."""

    DEFAULT_CSS = """
    LoadingLine {
        dock: bottom;
        height: 1;
        margin-bottom: 1;
        padding: 0 1;
        background: $primary 20%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    #: How often the step and the seconds are redrawn.
    TICK = 0.5

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(self.TICK, self.tick)
        self.app.when_ready(self, lambda _services: self.done())

    def done(self) -> None:
        """Gone, and the footer of its screen shows the keys that work now."""
        if self.is_attached:
            screen = self.screen
            self.remove()
            screen.refresh_bindings()

    def tick(self) -> None:
        app = self.app
        if app.services is not None or app.startup_error:
            self.done()
            return
        seconds = int(monotonic() - app.loading_since)
        self.update(f"正在准备：{app.loading_step}… {seconds} 秒 · ctrl+q 退出")
