"""Home on two installations sharing a team folder: the 网点负责人's agenda holds a colleague's
follow-up under the colleague's name; the colleague's own PC shows it as theirs; a third PC's
staff do not see it."""

from __future__ import annotations

from pathlib import Path

from assistant.core import config
from assistant.core.history import History
from assistant.core.history.team import sync
from assistant.paths import Paths
from test_team_review import NOW, app_of, settle


def pc(home: Path, team: Path, name: str, role: str) -> tuple[History, dict]:
    h = History(Paths(home), clock=lambda: NOW)
    me = h.add_staff(name, role)
    h.set_current_staff(me["id"])
    config.set_value("team_dir", str(team), Paths(home))
    return h, me


async def test_the_managers_home_lists_a_colleagues_follow_up_under_their_name(tmp_path):
    team = tmp_path / "share"
    team.mkdir()
    li, me = pc(tmp_path / "pc-li", team, "李娜", "理财经理")
    aunt = li.add_customer("王阿姨")
    li.add_followup(customer_id=aunt["id"], staff_id=me["id"], due=NOW.isoformat(timespec="minutes"), title="回访王阿姨")
    sync(li)
    pc(tmp_path / "pc-boss", team, "王主任", "网点负责人")
    pc(tmp_path / "pc-wq", team, "王强", "柜员")

    async with app_of(tmp_path / "pc-boss", "home").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        items = pilot.app.screen.items
        assert [(i["title"], i["customer_name"], i.get("owner_name")) for i in items] == [("回访王阿姨", "王阿姨", "李娜")]

    async with app_of(tmp_path / "pc-li", "home").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert [(i["title"], i.get("owner_name")) for i in pilot.app.screen.items] == [("回访王阿姨", None)]

    async with app_of(tmp_path / "pc-wq", "home").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert pilot.app.screen.items == []
