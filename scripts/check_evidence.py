#!/usr/bin/env python3
"""Evidence-word audit: which key-point evidence words prove too little, which good replies miss.

For every scenario node with key points (its own, or its card's) it prints
  LOOSE  an evidence word that earns the point in a poor / off-topic / mediocre reply of that node
         (tests/data/rehearse_replies.yaml), or that the customer says themselves (topic words:
         the customer says 开卡, so 开卡 cannot prove the staff thanked them);
  MISS   a good reply or the model reply that earns no point at all for a key point.
Every hit names the phrase, how it matched (exact/fuzzy/tokens) and the quote. For cards not used
by a node (`--cards`: conversion, role, objection, segment, group_fix, activity, followup) it lists
the card's response texts that miss a key point, the evidence words an objection card's own triggers
(what customers say) already contain, and the words that earn a point in PROBES: staff lines that only
name the topic or say the opposite (承诺保本, 没有优惠, 到时候再说) and must earn nothing.
A LOOSE line is a suspect to judge by hand, not an error: a mediocre reply may really cover a point.
`--gap` prints instead the mean score per label of the labelled replies and the good − poor gaps
(run it with `--playbooks` on a copy of the old playbooks to compare before/after).

Usage: .venv/bin/python scripts/check_evidence.py [--scenario ID] [--cards [--kind KIND]] [--misses-only]
       [--gap] [--playbooks DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ruamel.yaml import YAML  # noqa: E402

from assistant.core.language.coverage import covered  # noqa: E402
from assistant.core.playbooks.loader import load_library  # noqa: E402
from assistant.core.rehearse.sim import Rehearsal  # noqa: E402
from assistant.core.rehearse.targets import node_target  # noqa: E402

DATA = REPO / "tests" / "data" / "rehearse_replies.yaml"
LOOSE_LABELS = ("poor", "off_topic", "mediocre")
#: Labels a good reply must beat (as in tests/core/rehearse/test_quality_bar.py).
POOR_LABELS = ("poor", "off_topic", "empty", "copy")
#: Card kinds audited by --cards (their key points are not scored through a scenario node).
CARD_KINDS = ("conversion", "role", "objection", "segment", "group_fix", "activity", "followup")
#: Staff lines per card that only mention the topic or say the opposite: they must earn no point.
#: (Card-level rows cannot live in tests/data/rehearse_replies.yaml, which is keyed by scenario node.)
PROBES = {
    "guarantee-demand-principal": ["这款我们承诺保本，放心买。", "您要定期吗？"],
    "guarantee-demand-return": ["参考一下别人的吧，定期也行。", "这个收益不是很确定。"],
    "rate-low-deposit-vs-wealth": ["您参考一下。", "利率低就算了，定期利息少。"],
    "other-bank-loyal": ["您参考参考我们的产品，比较划算。", "那边到期了吗？权益多我们也有活动。"],
    "no-money": ["到时候再说吧。", "什么时候方便来网点？"],
    "early-withdrawal-interest-loss": ["活期也行啊，提前支取很简单。", "那就算了吧，损失不大。"],
    "lockup-liquidity": ["封闭期多长时间我也不清楚。", "放活期吧，期限您自己定。"],
    "rate-low-yuebao": ["余额宝挺方便的，您方便的时候来一趟。"],
    "group-spam": ["您方便吗？", "每天发的都是好东西，您设免打扰就行了。"],
    "too-busy": ["您加我微信吧。", "到期了，您来一趟。"],
    "think-it-over": ["明天再说吧，下次再聊。"],
    "past-loss": ["存款也行，定期也行。"],
    "fees": ["费率是这样的，没有优惠。", "这个说明书上有。"],
    "gift-only": ["活动礼品领完了，下次吧。", "没有条件。"],
    "family-consult": ["家里人同意就行，约个时间吧。"],
    "no-wechat": ["方便您的话加一下。", "留个电话吧。"],
    "online-security": ["验证码发我一下，这个链接您点一下。"],
    "complex-product": ["这个说明书您看看，不明白就算了。"],
    "distrust-staff": ["确实，我们有考核，说明书您看。", "您到期日是哪天？"],
    "prefer-deposit": ["期限您自己选，放心吧，踏实。"],
    "segment-merchant-visit": ["您定期存款到期了吗？"],
    "group-inactive": ["您什么时间方便？"],
}


def phrase_hits(text: str, kp) -> list[tuple[str, str, str]]:
    """(phrase, how, quote) for each evidence phrase of `kp` that alone would cover it in `text`."""
    out = []
    for phrase in kp.evidence:
        cov = covered(text, [kp.model_copy(update={"evidence": [phrase]})])
        out += [(phrase, e.how, e.quote) for e in cov.covered]
    return out


def labelled() -> dict[tuple[str, str], dict[str, list[str]]]:
    rows = YAML(typ="safe").load(DATA.read_text(encoding="utf-8")) if DATA.exists() else []
    out: dict = defaultdict(lambda: defaultdict(list))
    for row in rows:
        out[(row["scenario"], row["node"])][row["label"]].append(row.get("text") or "")
    return out


def customer_lines(library, scenario, node) -> list[str]:
    """The node's customer and poor lines as every persona would say them."""
    lines = []
    for persona in scenario.personas:
        run = Rehearsal(library, scenario.id, persona.id)
        lines += [run.render(t) for t in [*node.customer, *node.poor]]
    return list(dict.fromkeys(x for x in lines if x.strip()))


def audit_node(library, scenario, node, replies, misses_only: bool) -> list[str]:
    run = Rehearsal(library, scenario.id, scenario.personas[0].id)
    target = node_target(run, node)
    labels = replies.get((scenario.id, node.id), {})
    out = []
    for kp in target.key_points:
        if not misses_only:
            for label in LOOSE_LABELS:
                for text in labels.get(label, []):
                    for phrase, how, quote in phrase_hits(text, kp):
                        out.append(f"  LOOSE {kp.id:<20} {phrase!r} ({how}: {quote!r}) in {label}: {text[:50]}")
            for text in customer_lines(library, scenario, node):
                for phrase, how, quote in phrase_hits(text, kp):
                    out.append(f"  LOOSE {kp.id:<20} {phrase!r} ({how}: {quote!r}) in customer: {text[:50]}")
        goods = [("good", t) for t in labels.get("good", [])]
        if target.model_reply:
            goods.append(("model", target.model_reply))
        for label, text in goods:
            if not covered(text, [kp]).covered:
                out.append(f"  MISS  {kp.id:<20} {kp.label} — {label}: {text[:70]}")
    if out:
        src = f" (card {target.card_id})" if target.card_id else ""
        out.insert(0, f"{scenario.id} / {node.id}{src}")
    return out


def audit_cards(library, kinds=CARD_KINDS, misses_only: bool = False) -> list[str]:
    """Per card of `kinds`: responses that miss a key point; words in its triggers or PROBES (LOOSE)."""
    from assistant.core.playbooks.render import Renderer

    renderer, out = Renderer(library), []
    for card_id, ref in sorted(library.cards.items()):
        if ref.kind not in kinds or not ref.card.key_points:
            continue
        values = {k: spec.example for k, spec in library.variables.items()}
        values.update({k: spec.example for k, spec in library.file_variables.get(ref.file_id, {}).items()})
        texts = [(r.label, renderer.render(r.text, values).text) for r in ref.card.responses]
        # A how-to card's triggers are staff questions that name the method; only customers' count.
        loose = [("customer", t) for t in ref.card.triggers] if ref.kind == "objection" else []
        loose += [("probe", t) for t in PROBES.get(card_id, [])]
        loose = [] if misses_only else loose
        for kp in ref.card.key_points:
            for label, text in texts:
                if not covered(text, [kp]).covered:
                    out.append(f"  MISS  {card_id} / {kp.id}: {kp.label} — {label}: {text.strip()[:60]}")
            for label, text in loose:
                for phrase, how, quote in phrase_hits(text, kp):
                    out.append(f"  LOOSE {card_id} / {kp.id} {phrase!r} ({how}: {quote!r}) in {label}: {text[:40]}")
    return out


def gaps(library) -> list[str]:
    """Mean total per label, mean good − poor and the nodes with the smallest min(good) − max(poor)."""
    from statistics import mean

    from assistant.core.rehearse.scoring import score_reply

    totals: dict = defaultdict(list)
    per_node: dict = defaultdict(lambda: defaultdict(list))
    for (sid, nid), labels in labelled().items():
        run = Rehearsal(library, sid, library.scenario(sid).personas[0].id)
        node = run.nodes[nid]
        target = node_target(run, node)
        for label, texts in labels.items():
            for text in texts:
                s = score_reply(text, target.key_points, library, customer_line=run.render(node.customer[0]),
                                customer_name=run.customer_name, model_reply=target.model_reply)
                totals[label].append(s.total)
                per_node[(sid, nid)][label].append(s.total)
    poor = [t for label in POOR_LABELS for t in totals.get(label, [])]
    margins = sorted((min(ls["good"]) - max(bad), f"{sid}/{nid}") for (sid, nid), ls in per_node.items()
                     if ls.get("good") and (bad := [t for label in POOR_LABELS for t in ls.get(label, [])]))
    return [
        "mean total per label: " + ", ".join(f"{k} {mean(v):.1f}" for k, v in sorted(totals.items())),
        f"mean good − poor: {mean(totals['good']) - mean(poor):.1f}; good − mediocre: "
        f"{mean(totals['good']) - mean(totals.get('mediocre') or [0]):.1f}",
        "smallest min(good) − max(poor): " + ", ".join(f"{node} {m}" for m, node in margins[:3]),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", help="only this scenario id")
    ap.add_argument("--cards", action="store_true",
                    help="also audit cards not used by a node: their responses, customer triggers and PROBES")
    ap.add_argument("--kind", action="append", choices=CARD_KINDS, help="with --cards: only these kinds")
    ap.add_argument("--misses-only", action="store_true", help="only good/model replies that miss a point")
    ap.add_argument("--gap", action="store_true", help="print score gaps of the labelled replies instead")
    ap.add_argument("--playbooks", help="a playbooks folder other than the built-in one")
    args = ap.parse_args(argv)
    library = load_library([args.playbooks], use_cache=False) if args.playbooks else load_library()
    if args.gap:
        print("\n".join(gaps(library)))
        return 0
    replies = labelled()
    lines = []
    for sid, scenario in sorted(library.scenarios.items()):
        if args.scenario and sid != args.scenario:
            continue
        for node in scenario.nodes:
            if not node.end:
                lines += audit_node(library, scenario, node, replies, args.misses_only)
    if args.cards:
        lines += audit_cards(library, tuple(args.kind or CARD_KINDS), args.misses_only)
    print("\n".join(lines) if lines else "no suspects")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
