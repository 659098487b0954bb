#!/usr/bin/env python3
"""Write playbooks/triggers/real-phrasing.yaml: the DEV half of the real-phrasing corpus
(tests/data/real/dev, lines copied verbatim from public pages) as extra triggers, each on the
card of its topic that fits it best. Real customers' wording teaches the matcher more than our
own paraphrases; the TEST half is never read here, so it still measures lines never seen.

scripts/eval_match.py reports the dev half cross-validated by source (each fold matched by a
matcher built without that fold's lines), so dev figures stay honest too.

With --own-voice it writes playbooks/triggers/own-voice.yaml instead: the customer and marketer lines
of tests/data/own_voice/customers-*.yaml, written blind by teammates in customers' personas (not
real lines, not read from any page), each on the best card of its topic the same way.

Usage: .venv/bin/python scripts/real_examples.py [--own-voice] [--check]   (--check: exit 1 when the file is stale)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
OUT = REPO / "playbooks" / "triggers" / "real-phrasing.yaml"
FILE_ID = "real-phrasing"
OWN_OUT = REPO / "playbooks" / "triggers" / "own-voice.yaml"
OWN_ID = "own-voice"
from realcorpus import OWN_VOICE as OWN_DIR  # noqa: E402  (tests/ is on the path only from here)


def card_for(text: str, topic: str, library, matcher) -> str | None:
    """The card of `topic` that fits `text` best (the topic's first card when none fits)."""
    cards = [ref for ref in library.matchable_cards() if ref.card.topic == topic]
    if not cards:
        return None
    ids = {ref.id for ref in cards}
    for m in matcher.search(text, top=50):
        if m.card_id in ids:
            return m.card_id
    return cards[0].id


def _own_matcher(library):
    """A matcher over the playbooks' own triggers only (not over a previous run of either file)."""
    from assistant.core.language.matcher import Matcher, library_entries
    from assistant.core.language.concepts import ConceptIndex, named_concepts

    own = [e for e in library_entries(library) if e.card_id in library.cards and e.trigger in library.cards[e.card_id].card.triggers]
    return Matcher(own, 0.0, concepts=ConceptIndex.from_library(library), named=named_concepts(library))


def own_voice_lines() -> list[tuple[str, str]]:
    """(text, topic) of every customer and marketer line of the own-voice sets, file by file."""
    import realcorpus
    from assistant.core.language.textnorm import normalize

    # A line two writers happened to both write stays with the held-out set it measures.
    held = {normalize(line.text) for line in realcorpus.load_own_voice("heldout-*.yaml")}
    return [(line.text, line.topic) for line in realcorpus.load_own_voice("customers-*.yaml")
            if line.kind != "none" and normalize(line.text) not in held]


def placed(lines) -> dict[str, list[str]]:
    """Each (text, topic) line once, on the best card of its topic (`card_for`), by card id. Cards
    are chosen by the playbooks' own triggers only, not by a previous run of either file."""
    from assistant.core.playbooks.loader import load_library

    library = load_library()
    matcher = _own_matcher(library)
    triggers: dict[str, list[str]] = {}
    seen: set[str] = set()
    for text, topic in lines:
        if topic == "none" or text in seen:
            continue
        card = card_for(text, topic, library, matcher)
        if card is not None:
            triggers.setdefault(card, []).append(text)
            seen.add(text)
    return dict(sorted(triggers.items()))


def _doc(file_id: str, title: str, summary: str, triggers: dict[str, list[str]]) -> dict:
    n = sum(map(len, triggers.values()))
    return {"version": 1, "kind": "triggers", "id": file_id, "title": title, "summary": f"{n} 句，{summary}", "triggers": triggers}


def build_own() -> dict:
    return _doc(OWN_ID, "客户说法（同事按客户口吻盲写，非真实）",
                "同事按不同客户口吻和文体（退休江浙沪客户的语音输入、城市 30–40 岁的网络用语、问答帖、投诉帖、新闻引语、"
                "广东客户的粤语普通话、东北华北的电话录音、小红书微博帖子）盲写，写时没看过我们的触发句、概念和语料；不是真实客户原话。"
                "由 scripts/real_examples.py --own-voice 从 tests/data/own_voice/customers-*.yaml 生成，请勿手改。",
                placed(own_voice_lines()))


def build() -> dict:
    import realcorpus

    return _doc(FILE_ID, "真实客户说法（公开来源，dev 一半）",
                "逐字摘自公开网页（新闻、投诉、问答、培训文章），由 scripts/real_examples.py 从 "
                "tests/data/real/dev 生成，请勿手改；test 一半从不收入。",
                placed((line.text, line.topic) for line in realcorpus.load("dev") if line.kind != "none"))


def render(doc: dict) -> str:
    import io

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description="把真实语料 dev 一半写成 triggers 文件")
    parser.add_argument("--check", action="store_true", help="只检查文件是否最新")
    parser.add_argument("--own-voice", action="store_true", help="改写 own-voice.yaml（同事盲写的客户说法）")
    args = parser.parse_args()
    out = OWN_OUT if args.own_voice else OUT
    text = render(build_own() if args.own_voice else build())
    if args.check:
        same = out.is_file() and out.read_text(encoding="utf-8") == text
        flag = " --own-voice" if args.own_voice else ""
        print("最新" if same else f"{out} 过期：重新运行 scripts/real_examples.py{flag}")
        return 0 if same else 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"写入 {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
