"""The real-phrasing corpus: lines copied verbatim from public sources, split by source.

Each line records where it was read (`url`), its topic code (a taxonomy topic, or "none"), and its
form (direct speech, narrated, or a question title). The split is decided by the source's URL
alone, so one page never feeds both sides and nobody chooses which lines land in the test split.
Files: tests/data/real/{dev,test}/<kind>-<collector>.yaml with kind ∈ customer | marketer | none.

Adding lines (from the repository root):
    .venv/bin/python tests/realcorpus.py add --kind customer --topic risk_fear \
        --url https://... --form direct --by a "钱放你们这儿我晚上睡不着" "……"
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent / "data" / "real"
KINDS = ("customer", "marketer", "none")
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


def source_key(url: str) -> str:
    return url.split("#", 1)[0].strip().rstrip("/")


def split_of(url: str) -> str:
    digest = hashlib.sha1(source_key(url).encode("utf-8")).hexdigest()
    return "test" if int(digest[:8], 16) % 100 < TEST_SHARE else "dev"


def load(split: str, kind: str | None = None) -> list[Line]:
    """Every line of one split (optionally one kind), in file order."""
    yaml = YAML(typ="safe")
    lines = []
    for path in sorted((ROOT / split).glob("*.yaml")):
        file_kind = path.stem.split("-", 1)[0]
        if kind and file_kind != kind:
            continue
        for row in yaml.load(path.read_text(encoding="utf-8")) or []:
            lines.append(Line(row["text"], row["topic"], row["url"], row.get("form", "direct"), file_kind, split))
    return lines


def add(kind: str, topic: str, url: str, form: str, by: str, texts: list[str]) -> Path:
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
            rows.append({"text": text, "topic": topic, "url": url, "form": form})
            seen.add((text, url))
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(rows, fh)
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="add verbatim lines to the real-phrasing corpus")
    sub = parser.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add")
    a.add_argument("--kind", choices=KINDS, required=True)
    a.add_argument("--topic", required=True)
    a.add_argument("--url", required=True)
    a.add_argument("--form", choices=FORMS, default="direct")
    a.add_argument("--by", required=True, help="collector tag, names the file (e.g. a, b)")
    a.add_argument("texts", nargs="+")
    args = parser.parse_args(argv)
    path = add(args.kind, args.topic, args.url, args.form, args.by, args.texts)
    print(f"{len(args.texts)} line(s) → {path.parent.name}/")  # never print the lines back
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
