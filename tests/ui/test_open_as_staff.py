"""`coach drill --staff X` and `coach rehearse --staff X` (no other flags) open the screen as X.

X (an id or a unique name) becomes the current user before the app starts, so the drill screen
shows and logs X's items; an unknown X is refused with the list of staff, and nothing opens."""

from __future__ import annotations

from rehearse_helpers import services, settle

from assistant import cli
from assistant.core.history import History
from assistant.paths import get_paths
from assistant.ui.app import CoachApp
from assistant.ui.screens.drill import DrillScreen
from assistant.ui.services import remember_staff


def two_staff() -> tuple[dict, dict]:
    wang = remember_staff({"name": "小王", "role": "理财经理"})  # the current user
    li = History(get_paths()).add_staff(name="李敏", role="客户经理")
    return wang, li


def opened_modes(monkeypatch) -> list[tuple[str, str | None]]:
    """Instead of running the app: record its mode and who is the current user at that moment."""
    opened = []
    monkeypatch.setattr("assistant.commands.tui.has_terminal", lambda: True)
    monkeypatch.setattr(CoachApp, "run", lambda self: opened.append(
        (self.start_mode, (History(get_paths()).current_staff() or {}).get("id"))))
    return opened


def test_drill_with_only_staff_opens_the_drill_screen_as_that_person(monkeypatch):
    _, li = two_staff()
    opened = opened_modes(monkeypatch)
    assert cli.main(["drill", "--staff", li["id"]]) == 0
    assert opened == [("drill", li["id"])]


def test_rehearse_with_only_staff_accepts_a_name(monkeypatch):
    _, li = two_staff()
    opened = opened_modes(monkeypatch)
    assert cli.main(["rehearse", "--staff", "李敏"]) == 0
    assert opened == [("rehearse", li["id"])]


def test_unknown_staff_is_refused_with_who_exists(monkeypatch, capsys):
    wang, _ = two_staff()
    opened = opened_modes(monkeypatch)
    assert cli.main(["drill", "--staff", "张三"]) == 2
    err = capsys.readouterr().err
    assert "没有编号或姓名为「张三」的员工" in err and "小王" in err and "李敏" in err
    assert opened == [] and History(get_paths()).current_staff()["id"] == wang["id"]


async def test_the_drill_screen_then_belongs_to_that_person():
    _, li = two_staff()
    from assistant.commands.rehearse import use_staff

    use_staff(li["id"])
    built = services()
    app = CoachApp(mode="drill", build=lambda: built)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DrillScreen) and app.screen.staff_id == li["id"]
