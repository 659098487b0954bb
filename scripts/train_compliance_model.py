#!/usr/bin/env python3
"""Train the compliance check's learned second opinion (assistant/core/compliance/learned.py).

Training rows: every labelled staff line we tune on — tests/data/compliance_table.yaml (flag and
pass; not its warn rows), the own-voice sets under `own_voice:` in tests/data/compliance_heldout.yaml,
the everyday honest lines in tests/data/compliance_everyday.yaml, honest allocation talk and tie-ins
(tests/data/compliance_allocation.yaml: 定期一份，理财一份 against 得搭配一份), the rehearsal reply labels' dev half
(tests/data/rehearse_labelled.yaml: paraphrases and conservative answers, breaches), the real dev staff lines
(tests/data/real/dev/staff-*.yaml), and as honest lines the small talk
(none lines) and staff's questions about their work (marketer lines) of the real dev half and the
own-voice customer sets, and every sentence staff say in the built-in playbooks. Never the frozen sets
(compliance_heldout.yaml's top-level held-out rows, compliance_unseen*.yaml, compliance_everyday_unseen.yaml,
rehearse_heldout.yaml, the real test half): a training line that is also one of theirs is left out.
Each line is folded like `check()` folds it; the per-rule centroids come from what the rules alone
flag on the training violations. The fit is deterministic (AdaGrad logistic regression, fixed order),
so the same rows always give the same file; tests/core/test_learned_compliance.py checks that the
shipped model was trained on today's rows.

Usage:
  .venv/bin/python scripts/train_compliance_model.py          # writes playbooks/compliance/learned-model.json
  .venv/bin/python scripts/train_compliance_model.py --cv     # real dev, by source: how the model does on sources it did not see
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from assistant.core.compliance.learned import model_path, ngrams, tfidf  # noqa: E402

DATA = REPO / "tests" / "data"
#: A gram seen in fewer training lines than this is noise, not evidence.
MIN_DF = 2
EPOCHS = 12
RATE = 0.5
#: Session 13, scripts/cv_compliance_model.py (own-voice and everyday sets held out by set): L2 1e-4 with particles kept
#: caught 90.7 % / flagged 168 of 7,946 honest lines at 0.92/0.02 (this: 87.4 % / 195), but its scores are more
#: extreme and the criteria below then set 0.97/0.005 (a rehearsal good reply 0.966, 您那笔保本的快到期了 0.0087),
#: where it gives 87.7 % / 192: not shipped. Session 14: L2 1e-4 / 3e-4 (with or without MIN_DF 3) at the FLAG_AT where
#: they flag no more held-out playbook sentences and rehearsal replies than this does at 0.92 (cv_compliance_model.py
#: --staff-out) catch 87.1-87.9 % against 87.5 %, with 13-23 fewer false flags: the gain is not in catching.
#: Session 15, after 600 honest pitches in chat and spoken voice (everyday sets 13-14) and the allocation rows joined:
#: L2 1e-3 with particles out catches 88.3 % of sets 19+ (177 of 8,546 honest lines flagged, 1 held-out honest staff
#: line beside the rules at 0.92); at the FLAG_AT where each flags no more held-out staff lines, L2 1e-4 89.3 % (158),
#: L2 3e-4 89.6 % (168), L2 1e-4 + MIN_DF 3 86.9 % (147), particles kept + L2 1e-4 90.1 % (146) at 0.95: shipped.
L2 = 1e-4
#: Particles and pronouns count as grams (learned.ngrams): the honest pitches are as casual as the violations now.
KEEP_FUNCTION = True
#: L2 and FLAG_AT were chosen on lines the model never saw. FLAG_AT is the lowest threshold (0.01 steps) at which
#: the model, beside the rules, flags no honest line of the real dev half held out by source (--cv), no playbook
#: sentence held out by file, and no normal-talk test line or golden rehearsal reply. Session 10 (11,435 rows): 0.96
#: (a retrain put 买这个理财的话，起购金额是1万 at 0.956). Session 11 (14,034 rows): 0.94 (that line at 0.93).
#: Session 12 (16,644 rows, five more blind sets and three everyday sets): --cv flags no honest line down to 0.85 and
#: that line scores 0.80, but a golden rehearsal reply (我们新出了一款理财，给您推荐一下？) scores 0.906 and a test
#: line (这款理财很适合您这种稳健型的客户。) 0.915, so 0.92. Session 15 (particles kept, L2 1e-4): 0.95, the lowest at which
#: cv_compliance_model.py --staff-out flags no more held-out playbook sentences and rehearsal replies than the
#: session-14 settings do at 0.92 (one, 0.954). Raised to 0.97 after the merge: retrained with C11's rows, two golden
#: rehearsal replies (tests/data/rehearse_replies.yaml, never trained on) scored 0.962 and 0.954 and failed the quality bar;
#: the next honest one scores 0.924.
FLAG_AT = 0.97
#: A rule's hit whose every sentence scores below this (and holds no figure) is dropped (check() docstring). Session
#: 12, chosen on lines the model never saw: on four blind sets at first look (W25-W27 and everyday E7: 358 violations
#: the rules caught, 54 honest lines they flagged) 0.02 cleared 11 false flags and no caught violation, 0.05 cleared
#: 21 and none, 0.1 cleared 30 and lost 1; W28-W29 and E8-E9 (before they were trained on) confirmed it (0.02: 6 of
#: 60 cleared, none of 247 lost; 0.05: 18 cleared, 1 lost). But the real dev half held out by source (--cv) loses 2
#: of 311 caught violations at 0.02 and 7 at 0.05, and two violations written for our tests score 0.02-0.05 (您那笔保本的
#: 快到期了 inside a routine reminder: 0.047): 0.02, the side that keeps violations. Session 15 (particles kept, L2 1e-4:
#: scores more extreme): at 0.02 --cv loses 8 of 311 caught real dev violations and 这款不保本，但那款保本 (0.016) is cleared;
#: at 0.01 3 and kept: 0.01 (cv_compliance_model.py: 13 more held-out honest lines stay flagged than at 0.02).
CLEAR_BELOW = 0.01
CENTROID_GRAMS = 300


def _texts(rows) -> list[str]:
    return [str(r["text"] if isinstance(r, dict) else r) for r in rows or []]


def _labelled(node, out: list[tuple[str, int, str]], where: str) -> None:
    """flag/pass lists anywhere under `node` (a list, or a dict of lists by group)."""
    for label, value in (node or {}).items():
        if label not in ("flag", "pass"):
            if isinstance(value, dict):
                _labelled(value, out, f"{where}/{label}")
            continue
        groups = value.values() if isinstance(value, dict) else [value]
        for rows in groups:
            out += [(text, int(label == "flag"), where) for text in _texts(rows)]


def training_rows() -> list[tuple[str, int, str]]:
    """(text, 1 for a violation / 0 for an honest line, where it comes from), in a fixed order."""
    from ruamel.yaml import YAML

    import realcorpus

    yaml = YAML(typ="safe")
    rows: list[tuple[str, int, str]] = []
    table = yaml.load((DATA / "compliance_table.yaml").read_text(encoding="utf-8"))
    _labelled({k: table.get(k) for k in ("flag", "pass")}, rows, "table")
    heldout = yaml.load((DATA / "compliance_heldout.yaml").read_text(encoding="utf-8"))
    _labelled(heldout.get("own_voice"), rows, "own_voice")
    _labelled(yaml.load((DATA / "compliance_everyday.yaml").read_text(encoding="utf-8")), rows, "everyday")
    _labelled(yaml.load((DATA / "compliance_allocation.yaml").read_text(encoding="utf-8")), rows, "allocation")
    # the rehearsal reply labels' dev half (its held-out half stays unseen): honest replies and breaches
    for row in yaml.load((DATA / "rehearse_labelled.yaml").read_text(encoding="utf-8")):
        if row["label"] in ("paraphrase", "conservative", "violation"):
            rows.append((row["text"], int(row["label"] == "violation"), "rehearse-dev"))
    rows += [(line.text, int(line.label == "flag"), "real-dev:" + realcorpus.source_key(line.url))
             for line in realcorpus.load_all("dev") if line.kind == "staff"]
    rows += [(line.text, 0, f"{line.kind}:" + realcorpus.source_key(line.url))
             for line in realcorpus.load_all("dev") if line.kind in ("none", "marketer")]
    for path in sorted(realcorpus.OWN_VOICE.glob("customers-*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        rows += [(text, 0, f"none:{path.name}") for text in _texts(data.get("none"))]
        rows += [(text, 0, f"marketer:{path.name}") for text in _texts(data.get("marketer"))]
    rows += playbook_sentences()
    frozen = frozen_texts()
    return [row for row in rows if row[0] not in frozen]


def frozen_texts() -> set[str]:
    """Every line of the frozen sets, read only to leave them out: independent writers and sources
    sometimes write the same short line (验证码发我一下), and a frozen line must stay unseen."""
    from ruamel.yaml import YAML

    import realcorpus

    yaml = YAML(typ="safe")
    texts: set[str] = set()
    for path in [*DATA.glob("compliance_unseen*.yaml"), DATA / "compliance_everyday_unseen.yaml"]:
        for section in yaml.load(path.read_text(encoding="utf-8")).values():
            texts.update(_texts(section["pass"] if isinstance(section, dict) else section))
    texts.update(row["text"] for row in yaml.load((DATA / "rehearse_heldout.yaml").read_text(encoding="utf-8")))
    texts.update(line.text for line in realcorpus.load_all("test") if line.kind == "staff")
    return texts


@lru_cache(maxsize=1)
def builtin_library():
    """The built-in playbooks, read once: their staff sentences are training rows, their rules label
    the centroids."""
    from assistant.core.playbooks.loader import load_library
    from assistant.paths import BUILTIN_PLAYBOOKS

    return load_library([BUILTIN_PLAYBOOKS], use_cache=False)


def playbook_sentences() -> list[tuple[str, int, str]]:
    """Every sentence staff say in the built-in playbooks (replies, follow-ups, messages, model replies),
    rendered with the declared examples: honest everyday talk, which the sets above hold little of
    (half their rows are violations). `coach validate` keeps these free of rule errors."""
    from assistant.core.compliance.learned import sentence_spans
    from assistant.core.playbooks.render import Renderer
    from assistant.core.playbooks.templates_lint import _declared, templates_of

    lib = builtin_library()
    renderer = Renderer(lib, strict=True)
    global_vars = {k for f in lib.files_of("variables") for k in f.model.variables}
    seen: dict[str, str] = {}
    for ref in sorted(lib.files.values(), key=lambda r: str(r.path)):
        _, examples = _declared(lib, ref, global_vars)
        for _, template, staff in templates_of(lib, ref):
            if not staff:
                continue
            try:
                text = renderer.render_raw(template, examples).text
            except Exception:  # validate reports it; nothing to learn from
                continue
            for a, b in sentence_spans(text):
                seen.setdefault(text[a:b].strip(), f"playbook:{Path(ref.path).name}")
    return [(text, 0, where) for text, where in seen.items() if len(text) >= 4]


def fingerprint(rows, folded: list[str]) -> str:
    """What the model was trained on: the folded lines, their labels and the training settings."""
    digest = hashlib.sha256(json.dumps([MIN_DF, EPOCHS, RATE, L2, FLAG_AT, CLEAR_BELOW, CENTROID_GRAMS, KEEP_FUNCTION]).encode())
    for (_, label, _), text in zip(rows, folded):
        digest.update(f"{label}\t{text}\n".encode("utf-8"))
    return digest.hexdigest()


def fit(vectors: list[dict[str, float]], labels: list[int], epochs: int | None = None, l2: float | None = None,
        weights: list[float] | None = None) -> tuple[dict[str, float], float]:
    """Logistic regression by AdaGrad, in a fixed shuffled order: deterministic. `epochs`, `l2` (default: the
    module's) and per-row `weights` (default 1) are there for scripts/cv_compliance_model.py's variants."""
    epochs = EPOCHS if epochs is None else epochs
    l2 = L2 if l2 is None else l2
    w: dict[str, float] = defaultdict(float)
    g2: dict[str, float] = defaultdict(lambda: 1e-8)
    bias, bias_g2 = 0.0, 1e-8
    order = list(range(len(vectors)))
    random.Random(20261207).shuffle(order)
    for _ in range(epochs):
        for i in order:
            x, y = vectors[i], labels[i]
            z = bias + sum(v * w[g] for g, v in x.items())
            p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
            err = (p - y) * (weights[i] if weights else 1.0)
            for g, v in x.items():
                grad = err * v + l2 * w[g]
                g2[g] += grad * grad
                w[g] -= RATE * grad / math.sqrt(g2[g])
            bias_g2 += err * err
            bias -= RATE * err / math.sqrt(bias_g2)
    return dict(w), bias


def idf_of(grams: list[Counter], min_df: int = MIN_DF) -> dict[str, float]:
    """Smoothed IDF of each gram seen in at least `min_df` lines (scripts/train_topic_model.py uses it too)."""
    df: Counter = Counter()
    for g in grams:
        df.update(g.keys())
    n = len(grams)
    return {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items() if d >= min_df}


def train(folded: list[str], labels: list[int], grams: list[Counter] | None = None, min_df: int = MIN_DF, **fit_args):
    """`grams`: the lines' features when not learned.ngrams' (scripts/cv_compliance_model.py tries others)."""
    grams = [ngrams(t, KEEP_FUNCTION) for t in folded] if grams is None else grams
    idf = idf_of(grams, min_df)
    vectors = [tfidf(g, idf) for g in grams]
    coef, bias = fit(vectors, labels, **fit_args)
    return idf, coef, bias, vectors


def centroids(vectors, rule_ids: list[str | None]) -> dict[str, dict[str, float]]:
    """Per rule: the mean vector of the training violations the rules flag under it, its top grams."""
    sums: dict[str, Counter] = defaultdict(Counter)
    for vec, rid in zip(vectors, rule_ids):
        if rid:
            sums[rid].update(vec)
    out = {}
    for rid, total in sorted(sums.items()):
        norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
        out[rid] = {g: round(v / norm, 5) for g, v in total.most_common(CENTROID_GRAMS)}
    return out


def _rule_of(text: str, library) -> str | None:
    from assistant.core.compliance import check

    errors = [f for f in check(text, library, learned=False) if f.severity == "error"]
    return errors[0].rule_id if errors else None


def build() -> dict:
    from assistant.core.compliance.text import fold

    rows = training_rows()
    folded = [fold(text) for text, _, _ in rows]
    labels = [label for _, label, _ in rows]
    idf, coef, bias, vectors = train(folded, labels)
    library = builtin_library()
    rule_ids = [_rule_of(text, library) if label else None for (text, label, _) in rows]
    grams = {g: [round(idf[g], 5), round(coef.get(g, 0.0), 5)] for g in sorted(idf)}
    return {"about": "scripts/train_compliance_model.py 生成，勿手改：合规检查的学习模型（字 1–3 元组 TF-IDF + 逻辑回归）",
            "trained_on": {"rows": len(rows), "violations": sum(labels), "fingerprint": fingerprint(rows, folded)},
            "flag_at": FLAG_AT, "clear_below": CLEAR_BELOW, "keep_function": KEEP_FUNCTION, "bias": round(bias, 5),
            "centroids": centroids(vectors, rule_ids), "grams": grams}


def cross_validate(folds: int = 5) -> None:
    """Real dev lines by source and playbook sentences by file: train on everything else, score the held out."""
    from assistant.core.compliance.learned import model_from_json, sentence_spans
    from assistant.core.compliance.text import fold

    rows = training_rows()
    folded = [fold(text) for text, _, _ in rows]
    held = ("real-dev:", "playbook:")  # by source page / by playbook file: a branch's own file reads like this
    fold_of = [int(hashlib.md5(src.encode()).hexdigest(), 16) % folds if src.startswith(held) else -1
               for _, _, src in rows]
    probs: dict[int, float] = {}
    sentences: dict[int, list[tuple[int, int, float]]] = {}
    for k in range(folds):
        keep = [i for i, f in enumerate(fold_of) if f != k]
        idf, coef, bias, _ = train([folded[i] for i in keep], [rows[i][1] for i in keep])
        model = model_from_json({"grams": {g: [v, coef.get(g, 0.0)] for g, v in idf.items()}, "bias": bias,
                                 "flag_at": FLAG_AT, "centroids": {}, "keep_function": KEEP_FUNCTION})
        for i, f in enumerate(fold_of):
            if f == k:
                sentences[i] = [(a, b, model.probability(model.vector(folded[i][a:b]))) for a, b in sentence_spans(folded[i])]
                probs[i] = max((p for _, _, p in sentences[i]), default=0.0)
    real = [i for i in probs if rows[i][2].startswith("real-dev:")]
    ruled = _rules_spoke([rows[i][0] for i in real])
    flags = [(probs[i], r) for i, r in zip(real, ruled) if rows[i][1]]
    passes = [(probs[i], r) for i, r in zip(real, ruled) if not rows[i][1]]
    ours = [p for i, p in probs.items() if rows[i][2].startswith("playbook:")]
    print(f"真实 dev 员工话术按来源 {folds} 折（模型没见过该来源）：违规 {len(flags)} 句，合规 {len(passes)} 句；"
          "“规则之外”：规则没判出的句子里模型再判出的（规则是在 dev 上调过的，只有这一项是没见过的数字）")
    for t in (0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97):
        print(f"  p ≥ {t}: 单独 违规判出 {sum(p >= t for p, _ in flags) / len(flags):.1%}，合规误判 {sum(p >= t for p, _ in passes) / len(passes):.1%}；"
              f"规则之外 多判出 {sum(p >= t and not r for p, r in flags)} 句违规，多误判 {sum(p >= t and not r for p, r in passes)} 句合规")
    beside = sorted((p for p, r in passes if not r), reverse=True)[:3]
    print("  规则之外 合规句的最高分（FLAG_AT 要高于它）：" + "、".join(f"{p:.3f}" for p in beside))
    _print_clearing(rows, folded, real, sentences)
    print(f"话术库里员工说的句子按文件 {folds} 折（模型没见过该文件）：{len(ours)} 句，"
          + "，".join(f"p ≥ {t} 误判 {sum(p >= t for p in ours) / len(ours):.1%}" for t in (0.9, 0.95)))


def _print_clearing(rows, folded: list[str], real: list[int], sentences: dict[int, list[tuple[int, int, float]]]) -> None:
    """What dropping a rule's hit below each threshold costs (violations lost) and gains (false flags cleared)."""
    from assistant.core.compliance import check, hit_doubt

    library = builtin_library()
    forbidden = {r.id for r in library.compliance.forbidden}
    hit_p = {}  # held-out line flagged by the rules -> below what threshold check() would clear every hit
    for i in real:
        spans = [f.span for f in check(rows[i][0], library, learned=False) if f.rule_id in forbidden]
        if spans:
            hit_p[i] = max(hit_doubt(folded[i], span, sentences[i]) for span in spans)
    caught = [i for i in hit_p if rows[i][1]]
    print(f"  去掉规则命中（命中所在句 p 都低于阈值时）：规则判出的违规 {len(caught)} 句、误判合规 {len(hit_p) - len(caught)} 句；"
          + "，".join(f"p < {t} 丢掉违规 {sum(hit_p[i] < t for i in caught)} 句、去掉误判 {sum(hit_p[i] < t for i in hit_p if not rows[i][1])} 句"
                     for t in (0.005, 0.01, 0.02, 0.05, 0.1)))


def _rules_spoke(texts: list[str]) -> list[bool]:
    """Whether a forbidden-behaviour rule flags each line (the model speaks only where none did)."""
    from assistant.core.compliance import check

    library = builtin_library()
    forbidden = {r.id for r in library.compliance.forbidden}
    out = []
    for text in texts:
        ids = {f.rule_id for f in check(text, library, learned=False)}
        out.append(bool(ids & forbidden))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv", action="store_true", help="真实 dev 按来源交叉验证，不写文件")
    parser.add_argument("--out", type=Path, default=model_path(), help="写到这里（默认：内置话术库里的模型文件）")
    args = parser.parse_args()
    if args.cv:
        cross_validate()
        return 0
    doc = build()
    args.out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    t = doc["trained_on"]
    print(f"{args.out}：{t['rows']} 句（违规 {t['violations']}），{len(doc['grams'])} 个字元组，"
          f"{len(doc['centroids'])} 条规则的中心")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
