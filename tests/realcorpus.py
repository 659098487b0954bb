"""The real-phrasing corpus: lines copied verbatim from public sources, split by source.

Each line records where it was read (`url`), its topic code (a taxonomy topic, or "none"), and its
form (direct speech, narrated, or a question title). The split is decided by the source's URL
alone, so one page never feeds both sides and nobody chooses which lines land in the test split.
Files: tests/data/real/{dev,test}/<kind>-<collector>.yaml with kind ∈ customer | marketer | none | staff.

`staff` rows are sales lines staff were quoted saying (news, complaints, penalty notices, training
articles), labelled `flag` (a violation) or `pass` (honest, even if it shares a violation's words),
with a short rule family. They measure the compliance check and are never matcher input: `load()`
leaves them out unless asked for by kind.

Adding lines (from the repository root):
    .venv/bin/python tests/realcorpus.py add --kind customer --topic risk_fear \
        --url https://... --form direct --by a "钱放你们这儿我晚上睡不着" "……"
    .venv/bin/python tests/realcorpus.py add --kind staff --label flag --rule guarantee \
        --url https://... --by d "这款产品保本保收益"
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent / "data" / "real"
KINDS = ("customer", "marketer", "none", "staff")
MATCH_KINDS = ("customer", "marketer", "none")  # what the matcher is measured (and trained) on
LABELS = ("flag", "pass")
FORMS = ("direct", "narrated", "title")
TEST_SHARE = 40  # percent of sources


@dataclass(frozen=True)
class Line:
    text: str
    topic: str
    url: str
    form: str
    kind: str
    split: str
    label: str = ""  # staff rows only: flag | pass
    rule: str = ""  # staff rows only: the rule family (guarantee, deposit_like …)


def source_key(url: str) -> str:
    return url.split("#", 1)[0].strip().rstrip("/")


def split_of(url: str) -> str:
    digest = hashlib.sha1(source_key(url).encode("utf-8")).hexdigest()
    return "test" if int(digest[:8], 16) % 100 < TEST_SHARE else "dev"


def load(split: str, kind: str | None = None) -> list[Line]:
    """The lines of one split in file order: one kind, or (kind None) the matcher's kinds only."""
    return [line for line in load_all(split) if (line.kind == kind if kind else line.kind in MATCH_KINDS)]


def load_all(split: str) -> list[Line]:
    """Every line of one split, staff rows included (for the corpus's own checks)."""
    yaml = YAML(typ="safe")
    lines = []
    for path in sorted((ROOT / split).glob("*.yaml")):
        file_kind = path.stem.split("-", 1)[0]
        for row in yaml.load(path.read_text(encoding="utf-8")) or []:
            lines.append(Line(row["text"], row.get("topic", ""), row["url"], row.get("form", "direct"), file_kind,
                              split, row.get("label", ""), row.get("rule", "")))
    return lines


#: Lines teammates wrote blind in customers' personas (not real): `customers-*.yaml` are match
#: examples (scripts/real_examples.py --own-voice), `heldout-*.yaml` are frozen and only measured.
OWN_VOICE = Path(__file__).resolve().parent / "data" / "own_voice"


def load_own_voice(pattern: str) -> list[Line]:
    """The customer, marketer and none lines of the own-voice files matching `pattern`, as Lines
    (url: the file's name; topic "none" for none lines)."""
    yaml = YAML(typ="safe")
    lines = []
    for path in sorted(OWN_VOICE.glob(pattern)):
        doc = yaml.load(path.read_text(encoding="utf-8")) or {}
        lines += [Line(str(r["text"]), str(r["topic"]), path.name, "direct", kind, "own-voice")
                  for kind in ("customer", "marketer") for r in doc.get(kind) or []]
        lines += [Line(str(t), "none", path.name, "direct", "none", "own-voice") for t in doc.get("none") or []]
    return lines


def _row(kind: str, text: str, topic: str, url: str, form: str, label: str, rule: str) -> dict:
    if kind == "staff":
        return {"text": text, "label": label, "rule": rule, "url": url, "form": form}
    return {"text": text, "topic": topic, "url": url, "form": form}


def add(kind: str, topic: str, url: str, form: str, by: str, texts: list[str], label: str = "", rule: str = "") -> Path:
    split = split_of(url)
    path = ROOT / split / f"{kind}-{by}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    yaml = YAML()
    yaml.width = 4096
    rows = (yaml.load(path.read_text(encoding="utf-8")) if path.exists() else None) or []
    seen = {(r["text"], r["url"]) for r in rows}
    for text in texts:
        text = text.strip()
        if text and (text, url) not in seen:
            rows.append(_row(kind, text, topic, url, form, label, rule))
            seen.add((text, url))
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(rows, fh)
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="add verbatim lines to the real-phrasing corpus")
    sub = parser.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add")
    a.add_argument("--kind", choices=KINDS, required=True)
    a.add_argument("--topic", help="taxonomy topic or none (customer/marketer/none)")
    a.add_argument("--label", choices=LABELS, help="staff only: flag (a violation) or pass")
    a.add_argument("--rule", help="staff only: rule family, e.g. guarantee, deposit_like, gift_inducement")
    a.add_argument("--url", required=True)
    a.add_argument("--form", choices=FORMS, default="direct")
    a.add_argument("--by", required=True, help="collector tag, names the file (e.g. a, b)")
    a.add_argument("texts", nargs="+")
    args = parser.parse_args(argv)
    if args.kind == "staff" and not (args.label and args.rule):
        parser.error("staff lines need --label and --rule")
    if args.kind != "staff" and not args.topic:
        parser.error(f"{args.kind} lines need --topic")
    path = add(args.kind, args.topic, args.url, args.form, args.by, args.texts, args.label or "", args.rule or "")
    print(f"{len(args.texts)} line(s) → {path.parent.name}/")  # never print the lines back
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
