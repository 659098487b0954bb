#!/usr/bin/env python3
"""Train the matcher's learned topic opinion (assistant/core/language/learnedtopic.py).

Training rows: every trigger the built-in library matches on (cards' own triggers, staff cards'
titles, playbooks/triggers/real-phrasing.yaml = the real dev half, playbooks/triggers/own-voice.yaml)
under its card's topic, and as the class `none` the no-card lines of the real dev half and of the
own-voice sets we tune on (tests/data/own_voice/customers-*.yaml). Never the frozen sets: the held-out
own-voice files and the real test half hold no trigger (tests/core/language/test_eval_first_look.py)
and are not read here. The labelled set (tests/data/utterances.yaml) is not trained on: it measures.

Multinomial logistic regression over TF-IDF character 1–3-grams, AdaGrad, L2, in a fixed shuffled
order (deterministic). Softmax gradients are taken for the true class and the classes the line
currently gives at least `EPS`: the others' gradients are tiny, and leaving them out keeps each gram's
weights sparse (a few topics) and the fit minutes, not hours, in pure Python.

Usage:
  .venv/bin/python scripts/train_topic_model.py            # writes playbooks/topic-model.json
  .venv/bin/python scripts/train_topic_model.py --cv       # dev by source folds: the model alone
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
sys.path.insert(0, str(REPO / "scripts"))

from assistant.core.language.learnedtopic import NONE, TopicModel, grams, model_from_json, model_path, weighted  # noqa: E402
from train_compliance_model import idf_of  # noqa: E402  (the same smoothed IDF as the compliance model)

MIN_DF = 2
EPOCHS = 15
RATE = 0.2
L2 = 1e-3
#: A class the line gives less than this takes no gradient from it (see the module docstring).
EPS = 0.01
#: Weights smaller than this are dropped (file 14.6 → ~2 MB). Dev by source folds, the matcher's
#: use of it unchanged within 0.2 top-3 (keeping each gram's 4–6 largest weights instead cost 5).
PRUNE = 0.8


@lru_cache(maxsize=1)
def builtin_library():
    from assistant.core.playbooks.loader import load_library
    from assistant.paths import BUILTIN_PLAYBOOKS

    return load_library([BUILTIN_PLAYBOOKS], use_cache=False)


def training_rows(leave_out: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(text, topic or `none`), in a fixed order, without the texts in `leave_out` (a held-out fold)."""
    import realcorpus

    from assistant.core.language.matchprep import library_entries

    rows = [(e.trigger, e.topic) for e in library_entries(builtin_library()) if e.topic]
    rows += [(line.text, NONE) for line in realcorpus.load("dev", "none")]
    rows += [(line.text, NONE) for line in realcorpus.load_own_voice("customers-*.yaml") if line.kind == "none"]
    seen: set[tuple[str, str]] = set()
    out = []
    for text, topic in rows:
        if text not in leave_out and (text, topic) not in seen:
            seen.add((text, topic))
            out.append((text, topic))
    return out


def norm_of(text: str) -> str:
    from assistant.core.language.textnorm import normalize_for_match

    return normalize_for_match(text)[0]


def fingerprint(rows: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256(json.dumps([MIN_DF, EPOCHS, RATE, L2, EPS, PRUNE]).encode())
    for text, topic in rows:
        digest.update(f"{topic}\t{text}\n".encode("utf-8"))
    return digest.hexdigest()


def fit(vectors: list[dict[str, float]], labels: list[int], n_classes: int):
    """Per gram {class: weight}, and the biases (see the module docstring for the sparse softmax)."""
    w: dict[str, dict[int, float]] = defaultdict(dict)
    g2: dict[str, dict[int, float]] = defaultdict(dict)
    bias, bias_g2 = [0.0] * n_classes, [1e-8] * n_classes
    order = list(range(len(vectors)))
    random.Random(20261207).shuffle(order)
    for _ in range(EPOCHS):
        for i in order:
            x, y = vectors[i], labels[i]
            z = list(bias)
            for g, v in x.items():
                for k, wk in w[g].items():
                    z[k] += v * wk
            top = max(z)
            exp = [math.exp(s - top) for s in z]
            total = sum(exp)
            for k in range(n_classes):
                p = exp[k] / total
                err = p - (k == y)
                bias_g2[k] += err * err
                bias[k] -= RATE * err / math.sqrt(bias_g2[k])
                if k != y and p < EPS:
                    continue
                for g, v in x.items():
                    wg, gg = w[g], g2[g]
                    old = wg.get(k, 0.0)
                    grad = err * v + L2 * old
                    acc = gg.get(k, 1e-8) + grad * grad
                    gg[k] = acc
                    wg[k] = old - RATE * grad / math.sqrt(acc)
    return w, bias


def train(rows: list[tuple[str, str]]) -> dict:
    """The model file's content for `rows`."""
    classes = sorted({t for _, t in rows})
    number = {c: k for k, c in enumerate(classes)}
    counts = [grams(norm_of(text)) for text, _ in rows]
    idf = idf_of(counts, MIN_DF)
    vectors = [weighted(c, idf) for c in counts]
    w, bias = fit(vectors, [number[t] for _, t in rows], len(classes))
    out = {}
    for g in sorted(idf):
        kept = sorted((k, round(v, 3)) for k, v in w.get(g, {}).items() if abs(v) >= PRUNE)
        out[g] = [round(idf[g], 3)] + [x for kv in kept for x in kv]
    return {"about": "scripts/train_topic_model.py 生成，勿手改：匹配的学习话题模型（字 1–3 元组 TF-IDF + 多类逻辑回归）",
            "trained_on": {"rows": len(rows), "fingerprint": fingerprint(rows)},
            "classes": classes, "bias": [round(b, 4) for b in bias], "grams": out}


def model_without(texts) -> TopicModel:
    """A model trained without `texts` (a held-out fold of dev sources). Training is deterministic,
    so a model is kept in the temp dir by its rows' fingerprint: eval_match and its tests retrain
    four folds (about a minute each) only when the rows or the settings change."""
    import pickle
    import tempfile

    from assistant.core.language.textnorm import save_pickle

    rows = training_rows(frozenset(texts))
    path = Path(tempfile.gettempdir()) / "coach-topic-folds" / f"{fingerprint(rows)[:24]}.pickle"
    try:
        with open(path, "rb") as fh:
            model = pickle.load(fh)
        if isinstance(model, TopicModel):
            return model
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    model = model_from_json(train(rows))
    save_pickle(path, model)
    return model


def cross_validate() -> None:
    """The model alone on dev, by the matcher's folds of sources (eval_match.FOLDS)."""
    import eval_match

    dev = eval_match.load_real("dev")
    top1 = top3 = n = none_top = n_none = 0
    for k in range(eval_match.FOLDS):
        held = [it for it in dev if eval_match.fold_of(it["url"]) == k]
        model = model_without({it["text"] for it in held})
        for it in held:
            p = model.probabilities(norm_of(it["text"]))
            ranked = sorted(p, key=lambda c: -p[c])
            if it["topic"] is None:
                n_none += 1
                none_top += ranked[:1] == [NONE]
                continue
            ranked = [c for c in ranked if c != NONE]
            n += 1
            top1 += ranked[:1] == [it["topic"]]
            top3 += it["topic"] in ranked[:3]
    print(f"dev 按来源 {eval_match.FOLDS} 折，模型单独：客户+营销 {n} 句 top-1 {top1 / n:.1%} top-3 {top3 / n:.1%}；"
          f"无关句判为 none {none_top / n_none:.1%}（{n_none} 句）")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv", action="store_true", help="dev 按来源交叉验证（模型单独），不写文件")
    parser.add_argument("--out", type=Path, default=model_path())
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "scripts"))
    if args.cv:
        cross_validate()
        return 0
    rows = training_rows()
    doc = train(rows)
    args.out.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{args.out}：{len(rows)} 句，{len(doc['classes'])} 类，{len(doc['grams'])} 个字元组")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
