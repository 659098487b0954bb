"""复盘's export: every session under the current filter to a file (masked by default), in a worker.
Mixed into ReviewScreen."""

from __future__ import annotations

from textual import work

from assistant.core.history.filters import SessionFilter
from assistant.ui.screens.review_rows import describe_filter


class SessionExport:
    """Mixed into ReviewScreen (which owns `services`, `filter`, `names`, `total` and `visible`)."""

    def action_export(self) -> None:
        """Export the events of every session under the current filter (masked by default)."""
        from assistant.ui.screens.review_dialogs import ExportScreen

        if self.services is None:
            return
        stem = f"coach-review-{self.services.clock():%Y%m%d-%H%M}"
        folder = self.services.history.paths.home / "exports"
        title = f"{self.total:,} 个会话（{describe_filter(self.filter, self.names)}）"
        self.app.push_screen(ExportScreen(title, folder, stem), self._export_chosen)

    def _export_chosen(self, choice: dict | None) -> None:
        if choice:
            self.notify(f"正在导出到 {choice['path']} …")
            self.run_export(choice, self.visible(self.filter))

    @work(thread=True, group="review-export", exit_on_error=False)
    def run_export(self, choice: dict, f: SessionFilter) -> None:
        from assistant.core.errors import CoachError
        from assistant.core.review.export import export_sessions, steps_of, titles_of, write_file

        history, library = self.services.history, self.services.library
        titles, steps = titles_of(library), steps_of(library)
        try:
            count = write_file(choice["path"], lambda out: export_sessions(history, f, choice["fmt"], out, choice["mask"],
                                                                          titles, steps))
        except CoachError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        masked = "已隐去个人信息" if choice["mask"] else "未隐去个人信息"
        self.app.call_from_thread(self.notify, f"已导出 {count} 条记录到 {choice['path']}（{masked}）", timeout=10)
