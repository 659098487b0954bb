"""Who is using the app: the identity dialog, the branch name kept in the settings, and the team
folder read again for a new user. Mixed into CoachApp."""

from __future__ import annotations

from textual import work

from assistant.core.errors import CoachError


class WhoIsUsing:
    """Mixed into CoachApp (which owns `services`, `staff`, `offer_resume` and `screen_stack`)."""

    def action_switch_staff(self) -> None:
        """Ask who is using the app and remember it."""
        from assistant.ui.screens.identity import IdentityScreen

        if self.services is None:
            self.notify("还在加载，请稍候再切换身份。", severity="warning")
            return
        known = self.services.history.list_staff()
        self.push_screen(IdentityScreen(self.staff, self._branch_setting(), known), self._staff_chosen)

    def _staff_chosen(self, staff: dict | None) -> None:
        if not staff:
            return
        if self.services is None:
            return
        self._keep_branch(staff.get("branch") or "")
        history = self.services.history
        if staff.get("id"):
            staff = history.update_staff(staff["id"], name=staff["name"], role=staff["role"])
        else:
            staff = history.add_staff(name=staff["name"], role=staff["role"])
        history.set_current_staff(staff["id"])
        self.staff = staff
        self.notify(f"你好，{staff['name']}（{staff['role']}）")
        self.offer_resume()
        self.team_follows_staff()

    @work(thread=True, exit_on_error=False, group="team-sync")
    def team_follows_staff(self) -> None:
        """Read the team folder again for the new user (a 网点负责人 sees everyone's conversations)."""
        from assistant.ui.services import resync_team

        report = resync_team(self.services)
        if report is not None and report.imported:
            self.call_from_thread(self._team_synced)

    def _team_synced(self) -> None:
        for screen in self.screen_stack:  # the others refresh when shown (on_screen_resume)
            refresh = getattr(screen, "team_synced", None) or getattr(screen, "refresh_data", None)
            if refresh:
                refresh()

    def _branch_setting(self) -> str | None:
        from assistant.core import config

        try:
            return config.load().get("branch_name")
        except CoachError as exc:  # an unreadable settings file: say which, carry on without
            self.notify(str(exc), severity="error", timeout=15)
            return None

    def _keep_branch(self, branch: str) -> None:
        """Store the branch name when it changed; the running renderer says it from now on."""
        from assistant.core import config

        if branch == (self._branch_setting() or ""):
            return
        try:
            config.set_value("branch_name", branch)
        except CoachError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return
        defaults = getattr(self.services.renderer, "defaults", None)
        if isinstance(defaults, dict) and branch:
            defaults["branch"] = branch
        elif isinstance(defaults, dict):  # cleared: the library's default (网点) again, never 【网点名称】
            spec = getattr(self.services.renderer, "specs", {}).get("branch")
            defaults.pop("branch", None)
            if spec is not None and spec.default is not None:
                defaults["branch"] = spec.default
