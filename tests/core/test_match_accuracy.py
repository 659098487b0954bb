"""The matcher on the shipped playbooks against the labelled set (tests/data/utterances.yaml).

Same numbers as `scripts/eval_match.py` (run it to see every miss). A failure names the topics
under target; those usually need more varied triggers on their card, not a change to the set.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

ENOUGH_CONTENT = True  # the shipped triggers reach the targets (set False only while content is rebuilt)


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_match", REPO / "scripts" / "eval_match.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_match", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shipped():
    ev = _eval_module()
    return ev, ev.build_matcher(None, None)


@pytest.fixture(scope="module")
def report(shipped):
    ev, matcher = shipped
    return ev, ev.evaluate(matcher, ev.load_utterances())


def _weak(ev, r) -> str:
    rows = [f"{t}: top-1 {r.per_topic[t][1]}/{r.per_topic[t][0]}, top-3 {r.per_topic[t][2]}/{r.per_topic[t][0]}"
            for t in r.weak_topics()]
    return "topics under target:\n  " + "\n  ".join(rows)


def test_labelled_set_covers_every_topic() -> None:
    ev = _eval_module()
    from assistant.core.playbooks.loader import load_library

    topics = set(load_library().taxonomy.topics)
    items = ev.load_utterances()
    counts = {t: sum(1 for i in items if i["topic"] == t) for t in topics}
    assert not [t for t, n in counts.items() if n < 5], counts
    assert {i["topic"] for i in items} - {None} <= topics
    assert sum(1 for i in items if i["topic"] is None) >= 20


def test_off_topic_lines_match_nothing(report) -> None:
    ev, r = report
    fps = [m["text"] for m in r.misses if m["expected"] is None]
    assert r.fp_rate <= 0.10, f"off-topic lines matched: {fps}"


#: Lines this short have room for a topic word or for none: acknowledgements (好的, 嗯, OK) must
#: show no card at all, short objections (太低了, 没钱) must still find theirs.
SHORT = 4


def _short(item: dict) -> bool:
    from assistant.core.language.textnorm import normalize

    return len(normalize(item["text"])) <= SHORT


def test_short_off_topic_lines_match_nothing(report) -> None:
    ev, r = report
    fps = [m["text"] for m in r.misses if m["expected"] is None and _short(m)]
    assert not fps, f"short lines without a topic matched a card: {fps}"


def test_short_objections_find_their_topic(report) -> None:
    ev, r = report
    assert [i for i in ev.load_utterances() if i["topic"] and _short(i)], "the labelled set has short objections"
    lost = [(m["text"], m["expected"], [g["topic"] for g in m["got"]]) for m in r.misses if m["expected"] and _short(m)]
    assert not [x for x in lost if x[1] not in x[2]], f"short objections not in the top 3: {lost}"


@pytest.mark.parametrize("text", ["太低了", "没钱", "不需要", "再考虑", "有风险吗", "利息多少", "不放心"])
def test_short_real_objections_show_a_card(shipped, text: str) -> None:
    """Not all have one obvious topic (不放心: the phone? the lock-up?), but none is small talk."""
    _, matcher = shipped
    assert matcher.search(text), text


def _check(ev, r, name: str, rate: float, target: float) -> None:
    """Fail naming the weak topics; while content is landing, report it as an expected failure."""
    if rate >= target:
        return
    message = f"{name} {rate:.1%} < {target:.0%}; {_weak(ev, r)}"
    if not ENOUGH_CONTENT:
        pytest.xfail(message)
    pytest.fail(message)


def test_top1_accuracy(report) -> None:
    ev, r = report
    _check(ev, r, "top-1", r.top1_rate, ev.TARGET_TOP1)


def test_top3_accuracy(report) -> None:
    ev, r = report
    _check(ev, r, "top-3", r.top3_rate, ev.TARGET_TOP3)


# ------------------------------------------------------------------ the real-phrasing corpus

#: Floors under the figures claimed for the dev half (scripts/eval_match.py, cross-validated by
#: source: its lines ship as triggers, each fold is matched without its own), with a margin: the
#: dev half keeps growing and its new lines were never tuned for. Raise them as the layer improves.
DEV_FLOORS = {"customer_top1": 0.62, "customer_top3": 0.78, "marketer_top3": 0.65, "sure_precision": 0.85}
DEV_CEILINGS = {"none_sure": 0.05}


@pytest.fixture(scope="module")
def real(shipped):
    ev, matcher = shipped
    return ev, ev.side_by_side(matcher)


def test_labelled_set_read_as_the_corpus_keeps_its_figures(real) -> None:
    labelled = real[1][0]
    r = labelled.rates()
    assert r["customer_top3"] >= 0.95 and r["marketer_top3"] >= 0.95, r
    assert r["sure_precision"] >= 0.95 and r["none_sure"] <= 0.05, r


def test_dev_half_figures(real) -> None:
    dev = real[1][1]
    r = dev.rates()
    assert r["customer_n"] >= 100, "the dev half should hold real customer lines"
    low = {k: round(r[k], 3) for k, floor in DEV_FLOORS.items() if r[k] < floor}
    high = {k: round(r[k], 3) for k, ceiling in DEV_CEILINGS.items() if r[k] > ceiling}
    assert not low and not high, f"dev figures out of bounds: {low or high}; all: {r}"


def test_test_half_figures_are_produced_and_its_misses_never_kept(real) -> None:
    """The test half and the held-out own-voice sets are measured, never tuned on: numbers only,
    no per-line misses."""
    reports = {r.name: r for r in real[1]}
    assert set(reports) >= {"真实·test", "盲写·留出"}
    for name in ("真实·test", "盲写·留出"):
        r = reports[name].rates()
        assert r["customer_n"] > 0 and r["none_n"] > 0, name
        assert all(0.0 <= v <= 1.0 for k, v in r.items() if not k.endswith("_n")), name
        assert reports[name].misses == [], name


def test_plain_acknowledgements_get_nothing_and_a_paraphrase_finds_its_topic(shipped) -> None:
    _, matcher = shipped
    for text in ("好的", "嗯嗯", "谢谢您", "知道了"):
        assert matcher.search(text) == [], text
    found = matcher.search("存折拿在手里才踏实")  # the corpus files such lines under both topics
    assert found and found[0].topic in ("prefer_deposit", "online_security")
