"""The shipped group-doctor and follow-up rules carry the seeds' numbers and give the right findings.

A table of group situations run through the real `group_fix` rules (not hand-made ones), so a
change to a threshold in the YAML shows up here.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.core.groups import check_groups
from assistant.core.playbooks.loader import load_library
from assistant.core.playbooks.render import Renderer
from assistant.paths import BUILTIN_PLAYBOOKS

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def lib():
    return load_library([BUILTIN_PLAYBOOKS], use_cache=False)


def _find(lib, group, events=()):
    renderer = Renderer(lib)
    found = check_groups([group], list(events), lib.group_rules, TODAY, lib.assist_steps,
                         render=lambda t, v: renderer.render(t, v).text)
    return {f.rule_id: f for f in found}


HEALTHY_ELITE = {"id": "e", "name": "稳健小群", "tier": "精英", "role": "主管群", "members": 9,
                 "created": "2026-11-23", "last_activity": "2026-11-25", "last_deal": "2026-11-24"}

CASES = [
    ("healthy elite group", HEALTHY_ELITE, [], set()),
    ("elite with 11 is fine", {**HEALTHY_ELITE, "members": 11}, [], set()),
    ("elite with 12 is split", {**HEALTHY_ELITE, "members": 12}, [], {"elite-over-size"}),
    ("elite 3 days since the last deal", {**HEALTHY_ELITE, "last_deal": "2026-11-22"}, [], {"elite-no-deal-3d"}),
    ("elite never dealt, created 3 days ago", {**HEALTHY_ELITE, "last_deal": None, "created": "2026-11-22"}, [],
     {"elite-no-deal-3d"}),
    ("potential promoted 13 days ago", {"id": "p", "name": "潜在群", "tier": "潜在", "role": "主管群", "members": 45,
     "created": "2026-10-01", "last_activity": "2026-11-24", "last_promotion": "2026-11-12"}, [], set()),
    ("potential 14 days without a promotion", {"id": "p", "name": "潜在群", "tier": "潜在", "role": "主管群",
     "members": 45, "created": "2026-10-01", "last_activity": "2026-11-24", "last_promotion": "2026-11-11"}, [],
     {"potential-no-promotion-14d"}),
    ("potential far above tens of people", {"id": "p", "name": "潜在群", "tier": "潜在", "role": "主管群",
     "members": 130, "created": "2026-11-20", "last_activity": "2026-11-24", "last_promotion": "2026-11-20"}, [],
     {"potential-over-size"}),
    ("main mass group of 200 is fine", {"id": "m", "name": "缴费群", "tier": "大众", "role": "主管群", "members": 200,
     "created": "2026-10-01", "last_activity": "2026-11-24"}, [], set()),
    ("main mass group of 201 is split", {"id": "m", "name": "缴费群", "tier": "大众", "role": "主管群", "members": 201,
     "created": "2026-10-01", "last_activity": "2026-11-24"}, [], {"main-group-over-200"}),
    ("product question in a mass group", {"id": "m", "name": "缴费群", "tier": "大众", "role": "主管群", "members": 180,
     "created": "2026-10-01", "last_activity": "2026-11-24"},
     [{"group_id": "m", "type": "product_question", "time": "2026-11-24T10:00", "who": "张姐", "text": "这个怎么买"}],
     {"mass-product-question"}),
    ("silent for 7 days", {"id": "m", "name": "缴费群", "tier": "大众", "role": "主管群", "members": 180,
     "created": "2026-10-01", "last_activity": "2026-11-18"}, [], {"inactive-7d"}),
    ("assist group not started", {"id": "a", "name": "商户会员群", "tier": "大众", "role": "辅管群", "members": 300,
     "created": "2026-11-01", "last_activity": "2026-11-24"}, [], {"assist-stage"}),
]


@pytest.mark.parametrize(("case", "group", "events", "expected"), CASES, ids=[c[0] for c in CASES])
def test_shipped_group_rules(lib, case, group, events, expected):
    assert set(_find(lib, group, events)) == expected


def test_findings_say_what_to_send_with_the_group_name_filled_in(lib):
    group = {**HEALTHY_ELITE, "members": 14}
    finding = _find(lib, group)["elite-over-size"]
    assert "稳健小群" in finding.message and "【" not in finding.message
    assert finding.card and finding.followup_days is not None


def test_inactive_message_follows_the_group_tag(lib):
    base = {"id": "m", "name": "群", "tier": "大众", "role": "主管群", "members": 80, "created": "2026-10-01",
            "last_activity": "2026-11-01"}
    paying = _find(lib, {**base, "tag": "物业缴费"})["inactive-7d"].message
    parents = _find(lib, {**base, "tag": "学费家长"})["inactive-7d"].message
    plain = _find(lib, base)["inactive-7d"].message
    assert "物业费" in paying and "家长" in parents and "步数" in plain


def test_assist_group_gets_the_next_of_the_five_steps(lib):
    assert [s.label for s in lib.assist_steps] == ["了解群用户", "引起注意", "获得好感", "建立信任", "客户引流"]
    group = {"id": "a", "name": "商户会员群", "tier": "大众", "role": "辅管群", "members": 300,
             "created": "2026-11-01", "last_activity": "2026-11-24", "assist_stage": "win-favour"}
    finding = _find(lib, group)["assist-stage"]
    assert "建立信任" in finding.evidence and finding.message


def test_tiers_carry_their_sizes(lib):
    tiers = {t.id: t for t in lib.group_tiers}
    assert (tiers["大众"].size_min, tiers["大众"].size_max) == (400, 500)
    assert tiers["精英"].size_max == 11


def test_followup_rules_carry_the_seed_timings(lib):
    rules = {r.id: r for r in lib.followup_rules}
    assert (rules["first-contact-24h"].after, rules["first-contact-24h"].hours) == ("event", 24)
    assert (rules["result-72h"].after, rules["result-72h"].hours) == ("event", 72)
    assert (rules["maturity-t7"].after, rules["maturity-t7"].days) == ("maturity", -7)
    assert (rules["elite-group-3d"].after, rules["elite-group-3d"].days) == ("group_elite", 3)
    assert (rules["potential-group-2w"].after, rules["potential-group-2w"].days) == ("group_potential", 14)
    assert {o for r in rules.values() if r.after == "session_end" for o in r.outcomes} >= {"待跟进", "未成交"}
    for rule_id in ("birthday", "holiday", "new-contact-care", "adopt-call-rounds", "post-event-survey"):
        assert rules[rule_id].message
