#!/usr/bin/env python3
"""Write playbooks/triggers/real-phrasing.yaml: the DEV half of the real-phrasing corpus
(tests/data/real/dev, lines copied verbatim from public pages) as extra triggers, each on the
card of its topic that fits it best. Real customers' wording teaches the matcher more than our
own paraphrases; the TEST half is never read here, so it still measures lines never seen.

scripts/eval_match.py reports the dev half cross-validated by source (each fold matched by a
matcher built without that fold's lines), so dev figures stay honest too.

Usage: .venv/bin/python scripts/real_examples.py [--check]   (--check: exit 1 when the file is stale)
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


def card_for(line, library, matcher) -> str | None:
    """The card of the line's topic that fits it best (the topic's first card when none fits)."""
    cards = [ref for ref in library.matchable_cards() if ref.card.topic == line.topic]
    if not cards:
        return None
    ids = {ref.id for ref in cards}
    for m in matcher.search(line.text, top=50):
        if m.card_id in ids:
            return m.card_id
    return cards[0].id


def build() -> dict:
    import realcorpus

    from assistant.core.language.matcher import Matcher, library_entries
    from assistant.core.language.concepts import ConceptIndex, named_concepts
    from assistant.core.playbooks.loader import load_library

    library = load_library()
    # Cards chosen by the playbooks' own triggers only (not by a previous run of this file).
    own = [e for e in library_entries(library) if e.card_id in library.cards and e.trigger in library.cards[e.card_id].card.triggers]
    matcher = Matcher(own, 0.0, concepts=ConceptIndex.from_library(library), named=named_concepts(library))
    triggers: dict[str, list[str]] = {}
    seen: set[str] = set()
    for line in realcorpus.load("dev"):
        if line.kind == "none" or line.topic == "none" or line.text in seen:
            continue
        card = card_for(line, library, matcher)
        if card is not None:
            triggers.setdefault(card, []).append(line.text)
            seen.add(line.text)
    n = sum(map(len, triggers.values()))
    return {"version": 1, "kind": "triggers", "id": FILE_ID, "title": "真实客户说法（公开来源，dev 一半）",
            "summary": f"{n} 句，逐字摘自公开网页（新闻、投诉、问答、培训文章），由 scripts/real_examples.py 从 "
                       "tests/data/real/dev 生成，请勿手改；test 一半从不收入。", "triggers": dict(sorted(triggers.items()))}


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
    args = parser.parse_args()
    text = render(build())
    if args.check:
        same = OUT.is_file() and OUT.read_text(encoding="utf-8") == text
        print("最新" if same else f"{OUT} 过期：重新运行 scripts/real_examples.py")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"写入 {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
