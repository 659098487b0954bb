"""Suitability in the playbooks: a product that is not a deposit is never named before a key point
asks for the customer's 风险测评 (适当性: 《理财公司理财产品销售管理暂行办法》第二十五条第（一）项).

Checked by `coach validate`: every recommend-step card whose replies name such a product has a
key point with 测评 in its evidence, and in every scenario (walked from `start` along `next`) the
first model reply that names one comes at or after a node with such a key point.
"""

from __future__ import annotations

import re
from typing import Iterator

#: A non-deposit product named in a reply: 理财, 基金, 保险 (not 存款保险), a template's offer.
#: 理财经理 / 理财沙龙 name a person or an event, not a product.
PRODUCT = re.compile(r"(?:理财|基金|(?<!存款)保险|分红险|万能险|年金|增额寿|净值型?产品|\{\{ ?offer)(?!经理|师|沙龙|课|顾问|规划|小课堂|讲座)")
SUITABILITY_WORDS = ("测评", "风险评估", "适当性")


def asks_for_assessment(key_points) -> bool:
    """A key point whose evidence shows the risk assessment (风险测评, 测评一下, 风险评估)."""
    return any(any(w in e for w in SUITABILITY_WORDS) for kp in key_points for e in kp.evidence)


def card_gaps(lib) -> Iterator[tuple[object, tuple, str]]:
    """(file ref, location, message) for recommend cards naming a product without the key point."""
    for ref in lib.files.values():
        for i, card in enumerate(getattr(ref.model, "cards", ()) or ()):
            if card.step != "recommend" or not any(PRODUCT.search(r.text) for r in card.responses):
                continue
            if not asks_for_assessment(card.key_points):
                yield ref, ("cards", i, "id"), (
                    f"卡片 `{card.id}` 在推荐步骤里提到理财、基金或保险，但没有“先做风险测评、看是否适合”的要点："
                    "加一个 key_points（evidence 里有“风险测评”或“测评”）")


def scenario_gaps(lib) -> Iterator[tuple[object, tuple, str]]:
    """(file ref, location, message) for scenarios that name a product before any 测评 key point."""
    for ref in lib.files.values():
        if ref.kind != "scenario":
            continue
        m = ref.model
        index = {n.id: i for i, n in enumerate(m.nodes)}
        node_id, seen, assessed = m.start, set(), False
        while node_id in index and node_id not in seen:
            seen.add(node_id)
            i = index[node_id]
            node = m.nodes[i]
            assessed = assessed or asks_for_assessment(_node_points(lib, node))
            if node.model_reply and PRODUCT.search(node.model_reply) and not assessed and not node.end:
                yield ref, ("nodes", i, "model_reply"), (
                    f"场景 `{m.id}` 的节点 `{node.id}` 在示范回复里提到理财、基金或保险，但此前（含本节点）没有"
                    "“先做风险测评、看是否适合”的要点：在这一步或之前加一个（evidence 里有“风险测评”或“测评”）")
                break
            node_id = node.next


def _node_points(lib, node) -> list:
    """A node's key points, or its card's when it borrows them."""
    if node.key_points:
        return list(node.key_points)
    ref = lib.cards.get(node.card) if node.card else None
    return list(ref.card.key_points) if ref else []
