"""A history file that cannot be read or written while the app runs (a folder where the month's
journal should be, no permission, a full disk) becomes a message naming the file and what to do.

Textual stops a screen's message loop for good on an exception in one of its handlers, so the
screen would go deaf; `Guarded` catches the errors a user can act on before that happens and
hands them to the app, which shows them and remembers them for the exit code.
"""

from __future__ import annotations

from textual._callback import invoke
from textual.message import Message
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from assistant.core.errors import CoachError


def problem_text(exc: BaseException) -> str | None:
    """What to tell the user about `exc`, or None when it is a bug (which still stops the app)."""
    if isinstance(exc, CoachError):
        return str(exc)
    if isinstance(exc, OSError):
        from assistant.core.platform import describe_os_error

        return describe_os_error(exc)
    return None


class Guarded:
    """Mix into a Screen or the App, before Textual's class: handlers and thread workers that fail
    on a file say so (`show_problem`) and the screen keeps answering."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except (OSError, CoachError) as exc:
            if isinstance(message, Input.Submitted) and not message.input.value:
                message.input.value = message.value  # what was typed is not lost: fix the file, Enter again
            self.show_problem(problem_text(exc) or str(exc))

    async def _flush_next_callbacks(self) -> None:
        """Textual's loop over `call_next` callbacks (a dialog's answer, e.g. 结束并记录结果 on quit),
        each guarded like a handler (Textual 8.2's own version hands any error to the app, which exits)."""
        callbacks = self._next_callbacks.copy()  # type: ignore[attr-defined]
        self._next_callbacks.clear()  # type: ignore[attr-defined]
        for callback in callbacks:
            try:
                with self.prevent(*callback._prevent):  # type: ignore[attr-defined]
                    await invoke(callback.callback)
            except (OSError, CoachError) as exc:
                self.show_problem(problem_text(exc) or str(exc))
            except Exception as error:
                self.app._handle_exception(error)  # type: ignore[attr-defined]
                break

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error if event.state == WorkerState.ERROR else None
        text = problem_text(error) if error is not None else None
        if text:
            self.show_problem(text)

    def show_problem(self, text: str) -> None:
        """Tell the user; screens that wait on a worker also replace their 「正在…」 line."""
        self.app.report_problem(text)  # type: ignore[attr-defined]
