"""Evaluation against the gold files in annotations/.

Segmentation: every gold file lists, for one report, all items of the types it contains.
The report's PDF from the corpus is run through extract → segment, and a predicted item
matches a gold item of the same type when their token multisets overlap by ≥ 80 % of the
longer one (one-to-one, greedy by overlap). Precision, recall and F1 per type, plus how
many matched items carry the gold page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .annotations import GoldItem, load_segmentation_gold
from .errors import MetadossierError
from .extract import extract
from .ingest import manifest_for, report_meta
from .records import Item
from .segment import segment
from .settings import Settings

MATCH_THRESHOLD = 0.8


def tokens(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def overlap(a: str, b: str) -> float:
    """Shared tokens as a share of the longer text (symmetric, strict)."""
    ta, tb = tokens(a), tokens(b)
    longer = max(sum(ta.values()), sum(tb.values()))
    return sum((ta & tb).values()) / longer if longer else 0.0


@dataclass(frozen=True)
class TypeScore:
    type: str
    gold: int
    predicted: int
    matched: int
    page_correct: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "page_correct": self.page_correct,
        }


def match_items(predicted: Sequence[Item], gold: Sequence[GoldItem]) -> list[tuple[Item, GoldItem, float]]:
    """One-to-one matches of the same type with overlap ≥ threshold, best pairs first."""
    pairs = []
    for p in predicted:
        for g in gold:
            if p.type == g.type:
                score = overlap(p.text, g.text)
                if score >= MATCH_THRESHOLD:
                    pairs.append((score, p.item_id, g.item_id, p, g))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[str] = set()
    used_g: set[str] = set()
    out = []
    for score, pid, gid, p, g in pairs:
        if pid in used_p or gid in used_g:
            continue
        used_p.add(pid)
        used_g.add(gid)
        out.append((p, g, score))
    return out


def score_report(predicted: Sequence[Item], gold: Sequence[GoldItem]) -> dict[str, TypeScore]:
    """Scores per type, for the types the gold file covers."""
    scores = {}
    matches = match_items(predicted, gold)
    for item_type in sorted({g.type for g in gold}):
        matched = [(p, g) for p, g, _ in matches if g.type == item_type]
        scores[item_type] = TypeScore(
            type=item_type,
            gold=sum(1 for g in gold if g.type == item_type),
            predicted=sum(1 for p in predicted if p.type == item_type),
            matched=len(matched),
            page_correct=sum(1 for p, g in matched if p.page_start == g.page_start),
        )
    return scores


def find_report_pdf(report_id: str, settings: Settings) -> Path:
    candidates = sorted(settings.corpus_dir.rglob(f"{report_id}.pdf"))
    if not candidates:
        raise MetadossierError(
            f"no PDF for gold report '{report_id}' under {settings.corpus_dir} — add it to the corpus"
        )
    return candidates[0]


def segment_pdf(pdf: Path, settings: Settings, engine: str = "pdfium") -> list[Item]:
    document = extract(pdf, engine=engine, max_pages=settings.max_pages, max_mb=settings.max_mb)  # type: ignore[arg-type]
    return list(segment(document, report_meta(pdf, document, manifest_for(pdf))).items)


def evaluate_segmentation(settings: Settings, engine: str = "pdfium") -> dict[str, Any]:
    """Scores for every gold file in annotations/segmentation/, per file and per type overall."""
    gold_dir = settings.annotations_dir / "segmentation"
    files = sorted(gold_dir.glob("*.jsonl"))
    if not files:
        raise MetadossierError(f"no gold files in {gold_dir} — add <report_id>.jsonl files")
    per_file: dict[str, Any] = {}
    totals: dict[str, list[TypeScore]] = {}
    for path in files:
        gold = load_segmentation_gold(path)
        predicted = segment_pdf(find_report_pdf(gold[0].report_id, settings), settings, engine)
        scores = score_report(predicted, gold)
        per_file[path.name] = {t: s.as_dict() for t, s in scores.items()}
        for t, s in scores.items():
            totals.setdefault(t, []).append(s)
    overall = {
        t: TypeScore(
            type=t,
            gold=sum(s.gold for s in ss),
            predicted=sum(s.predicted for s in ss),
            matched=sum(s.matched for s in ss),
            page_correct=sum(s.page_correct for s in ss),
        ).as_dict()
        for t, ss in sorted(totals.items())
    }
    return {"files": per_file, "overall": overall, "match_threshold": MATCH_THRESHOLD, "engine": engine}


def format_segmentation(result: dict[str, Any]) -> str:
    lines = [f"{'gold file':34} {'type':12} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6} {'page ok':>8}"]
    for name, per_type in result["files"].items():
        for t, s in per_type.items():
            lines.append(
                f"{name:34} {t:12} {s['gold']:4d} {s['predicted']:4d} {s['precision']:6.3f} {s['recall']:6.3f}"
                f" {s['f1']:6.3f} {s['page_correct']:4d}/{s['matched']:<3d}"
            )
    for t, s in result["overall"].items():
        lines.append(
            f"{'ALL':34} {t:12} {s['gold']:4d} {s['predicted']:4d} {s['precision']:6.3f} {s['recall']:6.3f}"
            f" {s['f1']:6.3f} {s['page_correct']:4d}/{s['matched']:<3d}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Classification


def _prf(y_true: Any, y_pred: Any) -> dict[str, float]:
    import numpy as np

    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    fp = int(np.sum((y_true == 0) & (y_pred == 1)))
    fn = int(np.sum((y_true == 1) & (y_pred == 0)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": int(np.sum(y_true))}


def classification_scores(Y_true: Any, Y_pred: Any, cat_true: Sequence[str], cat_pred: Sequence[str]) -> dict[str, Any]:
    """Per-doel P/R/F1, micro and macro over D1–D5, algemeen, and category accuracy / macro-F1."""
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score

    from .classify import DOELEN

    per_doel = {d: _prf(Y_true[:, i], Y_pred[:, i]) for i, d in enumerate(DOELEN)}
    doel_true, doel_pred = Y_true[:, : len(DOELEN)], Y_pred[:, : len(DOELEN)]
    micro = _prf(doel_true.ravel(), doel_pred.ravel())
    return {
        "doelen": {
            "micro_f1": micro["f1"],
            "micro_precision": micro["precision"],
            "micro_recall": micro["recall"],
            "macro_f1": round(float(np.mean([s["f1"] for s in per_doel.values()])), 4),
            "per_doel": per_doel,
        },
        "algemeen": _prf(Y_true[:, len(DOELEN)], Y_pred[:, len(DOELEN)]),
        "categorie": {
            "accuracy": round(float(accuracy_score(cat_true, cat_pred)), 4),
            "macro_f1": round(float(f1_score(cat_true, cat_pred, average="macro", zero_division=0)), 4),
        },
    }


def cross_validate(examples: Sequence[Any], settings: Settings, backend: str, split: str, folds: int = 5) -> dict[str, Any]:
    """Out-of-fold predictions of the model and the baselines, grouped so no group spans a split."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    from .classify import ItemClassifier, keyword_predict, label_matrix, make_embedder, zero_shot_predict
    from .taxonomy import load_taxonomy

    taxonomy = load_taxonomy(settings.annotations_dir / "taxonomy.yaml")
    texts = [ex.text for ex in examples]
    embedder = make_embedder(settings.replace(embedder=backend), fit_texts=texts)
    Y = label_matrix(examples)
    cats = [ex.categorie for ex in examples]
    groups = [ex.group if split == "group" else ex.section for ex in examples]
    n_groups = len(set(groups))
    splitter = GroupKFold(n_splits=min(folds, n_groups))
    model_Y = np.zeros_like(Y)
    model_cat: list[str] = [""] * len(examples)
    major_Y = np.zeros_like(Y)
    major_cat: list[str] = [""] * len(examples)
    for train_idx, test_idx in splitter.split(texts, Y, groups):
        clf = ItemClassifier(embedder, taxonomy, spacy_model=settings.spacy_model, seed=settings.seed)
        clf.fit([texts[i] for i in train_idx], Y[train_idx], [cats[i] for i in train_idx])
        pred_Y, pred_cat = clf.predict([texts[i] for i in test_idx])
        model_Y[test_idx] = pred_Y
        for i, c in zip(test_idx, pred_cat):
            model_cat[i] = c
        label_sets = Counter(tuple(Y[i]) for i in train_idx)
        major_Y[test_idx] = np.array(label_sets.most_common(1)[0][0])
        top_cat = Counter(cats[i] for i in train_idx).most_common(1)[0][0]
        for i in test_idx:
            major_cat[i] = top_cat
    kw_Y, kw_cat = keyword_predict(texts, taxonomy)
    concepts = (*taxonomy.label_concepts, *taxonomy.categories)
    zs_Y, zs_cat = zero_shot_predict(embedder.encode(texts), embedder.encode([c.description for c in concepts]), taxonomy)
    result = classification_scores(Y, model_Y, cats, model_cat)
    result["backend"] = embedder.name
    result["split"] = split
    result["folds"] = splitter.get_n_splits()
    result["baselines"] = {
        "majority": classification_scores(Y, major_Y, cats, major_cat),
        "keyword": classification_scores(Y, kw_Y, cats, kw_cat),
        "zero_shot": classification_scores(Y, zs_Y, cats, zs_cat),
    }
    return result


def evaluate_classification(settings: Settings, backends: Sequence[str] | None = None) -> dict[str, Any]:
    """Grouped CV (recurrence groups) and the harder split by NJi section, for every backend."""
    from .classify import load_examples
    from .models import available_backends

    examples = load_examples(settings.annotations_dir)
    backends = list(backends) if backends else [b for b in available_backends() if b != "sentence-transformers"]
    if settings.embedder in backends:
        backends.remove(settings.embedder)
        backends.insert(0, settings.embedder)
    by_backend = {}
    for backend in backends:
        by_backend[backend] = {
            "group": cross_validate(examples, settings, backend, "group"),
            "section": cross_validate(examples, settings, backend, "section"),
        }
    primary = by_backend[backends[0]]["group"]
    return {**primary, "examples": len(examples), "by_backend": by_backend}


def format_classification(result: dict[str, Any]) -> str:
    lines = [f"{result['examples']} labelled items; grouped {result['folds']}-fold CV"]
    header = f"{'backend':18} {'split':8} {'system':10} {'micro-F1':>8} {'macro-F1':>8} {'algemeen':>8} {'cat acc':>8} {'cat mF1':>8}"
    lines.append(header)
    for backend, splits in result["by_backend"].items():
        for split, r in splits.items():
            rows = [("model", r), *[(name, b) for name, b in r["baselines"].items()]]
            for name, s in rows:
                lines.append(
                    f"{backend:18} {split:8} {name:10} {s['doelen']['micro_f1']:8.3f} {s['doelen']['macro_f1']:8.3f}"
                    f" {s['algemeen']['f1']:8.3f} {s['categorie']['accuracy']:8.3f} {s['categorie']['macro_f1']:8.3f}"
                )
    lines.append("per doel (model, first backend, group split): " + ", ".join(
        f"{d} {s['f1']:.2f}" for d, s in result["doelen"]["per_doel"].items()))
    return "\n".join(lines)
