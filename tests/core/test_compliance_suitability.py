"""Suitability in the playbooks: no product but deposits is named before a 风险测评 key point."""

from __future__ import annotations

from types import SimpleNamespace as NS

from assistant.core.compliance.suitability import PRODUCT, card_gaps, scenario_gaps
from assistant.core.playbooks.models import KeyPoint

TEST = KeyPoint(id="suit", label="先测评", evidence=["风险测评"])
OTHER = KeyPoint(id="ask", label="问用钱时间", evidence=["多久不用"])


def _node(id, reply, points=(), next=None, step="probe", card=None, end=None):
    return NS(id=id, model_reply=reply, key_points=list(points), next=next, step=step, card=card, end=end)


def _lib(*nodes, cards=None):
    scenario = NS(id="s", start=nodes[0].id, nodes=list(nodes))
    return NS(files={"s": NS(kind="scenario", model=scenario)}, cards=cards or {})


def test_product_words_exclude_people_events_and_deposit_insurance() -> None:
    assert PRODUCT.search("有款稳健理财") and PRODUCT.search("{{ offer }}的基准") and PRODUCT.search("这份保险")
    assert not any(PRODUCT.search(t) for t in ("我是理财经理小李", "周六有理财沙龙", "存款保险保50万"))


def test_a_product_named_before_any_assessment_is_a_gap() -> None:
    lib = _lib(_node("a", "您这笔钱多久不用？", [OTHER], next="b"), _node("b", "有款理财挺稳的", [OTHER]))
    [(ref, loc, message)] = scenario_gaps(lib)
    assert loc == ("nodes", 1, "model_reply") and "`b`" in message and "风险测评" in message


def test_an_earlier_or_same_node_assessment_clears_it() -> None:
    earlier = _lib(_node("a", "先做个风险测评", [TEST], next="b"), _node("b", "有款理财", [OTHER]))
    same = _lib(_node("a", "先测评，再看理财", [TEST, OTHER]))
    assert list(scenario_gaps(earlier)) == [] and list(scenario_gaps(same)) == []


def test_key_points_borrowed_from_a_card_count() -> None:
    card = NS(card=NS(key_points=[TEST]))
    lib = _lib(_node("a", "有款理财", card="c"), cards={"c": card})
    assert list(scenario_gaps(lib)) == []


def test_recommend_cards_naming_a_product_need_the_point() -> None:
    def card(step, text, points):
        return NS(id="c", step=step, responses=[NS(text=text)], key_points=points)

    files = {"f": NS(kind="objection", model=NS(cards=[card("recommend", "这款理财适合您", [OTHER]),
                                                      card("recommend", "定期三年利率高一点", [OTHER]),
                                                      card("propose", "理财也可以看看", [OTHER]),
                                                      card("recommend", "先做测评再看理财", [TEST])]))}
    gaps = list(card_gaps(NS(files=files)))
    assert [loc for _, loc, _ in gaps] == [("cards", 0, "id")]


def test_shipped_playbooks_have_no_gap() -> None:
    from assistant.core.playbooks.loader import load_library
    from assistant.paths import BUILTIN_PLAYBOOKS

    lib = load_library([BUILTIN_PLAYBOOKS], use_cache=False)
    assert [(m) for _, _, m in (*card_gaps(lib), *scenario_gaps(lib))] == []
