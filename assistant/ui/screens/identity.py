"""Who is using the app: name and role, asked at first start and from F9 (or u on the home screen)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

ROLES = ("柜员", "大堂经理", "理财经理", "客户经理", "网点负责人")


class IdentityScreen(ModalScreen[dict | None]):
    """Returns {name, role, branch} (plus the old id when the same person), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "取消", tooltip="不修改，关闭")]

    def __init__(self, staff: dict | None = None, branch: str | None = None, known: list[dict] | None = None) -> None:
        super().__init__()
        self.staff = staff
        #: Everyone this PC knows: a colleague's name typed in brings their role along.
        self.known = {s.get("name"): s for s in known or ()}
        #: The branch name setting as it is now (templates say it where 【网点名称】 would show).
        self.branch = branch or ""

    def compose(self) -> ComposeResult:
        staff = self.staff or {}
        with Vertical(id="identity", classes="dialog"):
            yield Label("欢迎使用网点营销教练！请问您是？" if not self.staff else "切换使用人", classes="dialog-title")
            yield Input(staff.get("name", ""), placeholder="您的姓名，例如 李敏", id="staff-name")
            yield Select([(r, r) for r in ROLES], value=staff.get("role", "理财经理"), allow_blank=False, id="staff-role")
            yield Input(self.branch, placeholder="例如 幸福路支行", id="branch-name")
            yield Label("", id="identity-error", classes="error")
            yield Button("开始使用", variant="primary", id="identity-ok")

    def on_mount(self) -> None:
        # a filled box no longer shows its placeholder: the border says what it is
        self.query_one("#staff-name", Input).border_title = "姓名"
        self.query_one("#branch-name", Input).border_title = "网点名称（话术里用，可不填）"

    def on_input_changed(self, event: Input.Changed) -> None:
        colleague = self.known.get(event.value.strip()) if event.input.id == "staff-name" else None
        if colleague is not None and colleague.get("role") in ROLES:
            self.query_one("#staff-role", Select).value = colleague["role"]

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Keep the name and role; an empty name is refused with a hint."""
        name = self.query_one("#staff-name", Input).value.strip()
        if not name:
            self.query_one("#identity-error", Label).update("请填写姓名（记录和复盘要用）")
            return
        role = self.query_one("#staff-role", Select).value
        same = self.staff if self.staff and self.staff.get("name") == name else self.known.get(name)
        branch = self.query_one("#branch-name", Input).value.strip()
        # a colleague who has used this PC stays one person: their sessions and drills stay theirs
        self.dismiss({"id": same.get("id") if same else None, "name": name, "role": role, "branch": branch})

    def action_cancel(self) -> None:
        self.dismiss(None)
