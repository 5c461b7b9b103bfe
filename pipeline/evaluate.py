"""Evaluation against the gold files in annotations/: segmentation, classification, clustering.

Segmentation: every gold file lists, for one report, all items of the types it contains.
The report's PDF from the corpus is run through extract → segment, and a predicted item
matches a gold item of the same type when their token multisets overlap by ≥ 80 % of the
longer one (one-to-one, greedy by overlap). Precision, recall and F1 per type, plus how
many matched items carry the gold page.

Classification: grouped cross-validation beside majority, keyword and zero-shot baselines.
Clustering: the themes of the NJi gold aanbevelingen against the NJi's own sections, scored
within each doel.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .annotations import GoldItem, load_segmentation_gold, read_jsonl
from .errors import AnnotationError, MetadossierError
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

    @classmethod
    def summed(cls, item_type: str, parts: Sequence[dict[str, Any]]) -> TypeScore:
        """One score over several documents' scores (as given by `as_dict`)."""
        return cls(item_type, *(sum(part[key] for part in parts) for key in ("gold", "predicted", "matched", "page_correct")))

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
            f"geen PDF voor goudrapport '{report_id}' in {settings.corpus_dir} — voeg hem toe aan het corpus"
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
        raise MetadossierError(f"geen goudbestanden in {gold_dir} — voeg bestanden <report_id>.jsonl toe")
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
        t: TypeScore.summed(t, [s.as_dict() for s in ss]).as_dict() for t, ss in sorted(totals.items())
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


def recall_scores(Y_true: Any, decided: Any, widened: Any) -> dict[str, Any]:
    """Per doel precision and recall at the decision threshold and at the recall threshold (decided or possible)."""
    from .classify import DOELEN

    return {d: {"decision": _prf(Y_true[:, j], decided[:, j]), "recall_threshold": _prf(Y_true[:, j], widened[:, j])}
            for j, d in enumerate(DOELEN)}


@dataclass(frozen=True)
class OutOfFold:
    """What a cross-validation predicted for every real item, and what the fold models chose."""

    Y: Any
    categories: list[str]
    widened: Any  # decided or possible doelen (n×5); None when the classifier has no recall thresholds
    synthetic_weights: tuple[float, ...]


def _out_of_fold(examples: Sequence[Any], splits: Sequence[tuple[Any, Any]], make_classifier: Callable[[], Any],
                 synthetic: Sequence[Any] = ()) -> OutOfFold:
    """Each test fold predicted by a fresh classifier fitted on its training rows (inner CV by recurrence group).

    `synthetic` items join every training fold and are never predicted: the splits index `examples`,
    which must all be real items.
    """
    import numpy as np

    from .classify import DOELEN, label_matrix

    if any(ex.synthetic for ex in examples):
        raise MetadossierError("synthetische items zijn alleen trainingsdata: geef ze mee als `synthetic`, niet als voorbeelden")
    texts = [ex.text for ex in examples]
    Y = label_matrix(examples)
    extra_Y = label_matrix(synthetic) if synthetic else np.zeros((0, Y.shape[1]), dtype=int)
    predicted_Y = np.zeros_like(Y)
    widened = np.zeros((len(examples), len(DOELEN)), dtype=int)
    has_recall = True
    predicted_cat = [""] * len(examples)
    weights = []
    for train_idx, test_idx in splits:
        clf = make_classifier()
        clf.fit([texts[i] for i in train_idx] + [ex.text for ex in synthetic], np.vstack([Y[train_idx], extra_Y]),
                [examples[i].categorie for i in train_idx] + [ex.categorie for ex in synthetic],
                [examples[i].group for i in train_idx] + [ex.group for ex in synthetic],
                synthetic=[False] * len(train_idx) + [True] * len(synthetic))
        test_texts = [texts[i] for i in test_idx]
        if hasattr(clf, "predict_with_recall"):
            fold_Y, fold_widened, fold_cat = clf.predict_with_recall(test_texts)
            widened[test_idx] = fold_widened
            weights.append(float(clf.synthetic_weight_))
        else:  # a stand-in classifier in the tests
            fold_Y, fold_cat = clf.predict(test_texts)
            has_recall = False
        predicted_Y[test_idx] = fold_Y
        for i, c in zip(test_idx, fold_cat):
            predicted_cat[i] = c
    return OutOfFold(predicted_Y, predicted_cat, widened if has_recall else None, tuple(weights))


HYPERPARAMETERS = ("C_text", "C_dense", "inner_folds", "embedding_weights", "thresholds", "synthetic_weights",
                   "recall_target", "spacy_model", "seed")


def _cached_out_of_fold(settings: Settings, embedder_name: str, examples: Sequence[Any],
                        splits: Sequence[tuple[Any, Any]], make_classifier: Callable[[], Any],
                        synthetic: Sequence[Any] = ()) -> OutOfFold:
    """`_out_of_fold` of the default classifier, remembered in the cache directory under everything it depends on
    (fitting method, embedder, seed, spaCy pipeline, taxonomy, real and synthetic data, folds): the model card,
    `evaluate classification` and `learning-curve` share runs that take minutes each. Deleting it costs only time."""
    import hashlib

    import numpy as np

    from .classify import FIT_METHOD, data_hash

    taxonomy = (settings.annotations_dir / "taxonomy.yaml").read_bytes()
    probe = make_classifier()
    hyperparameters = {name: getattr(probe, name) for name in HYPERPARAMETERS}
    key = hashlib.sha256(json.dumps([
        FIT_METHOD, embedder_name, settings.seed, settings.spacy_model, hashlib.sha256(taxonomy).hexdigest(),
        hyperparameters,
        data_hash(examples), data_hash(synthetic), [[list(map(int, a)), list(map(int, b))] for a, b in splits],
    ]).encode()).hexdigest()[:24]
    path = settings.cache_dir / "evaluations" / f"oof-{key}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        return OutOfFold(np.array(cached["Y"], dtype=int), list(cached["categories"]),
                         None if cached["widened"] is None else np.array(cached["widened"], dtype=int),
                         tuple(cached["synthetic_weights"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    out = _out_of_fold(examples, splits, make_classifier, synthetic)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"Y": out.Y.tolist(), "categories": out.categories,
                                   "widened": None if out.widened is None else out.widened.tolist(),
                                   "synthetic_weights": list(out.synthetic_weights)}), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written costs only time
    return out


def _model_scores(examples: Sequence[Any], out: OutOfFold) -> dict[str, Any]:
    from .classify import label_matrix

    Y = label_matrix(examples)
    scores = classification_scores(Y, out.Y, [ex.categorie for ex in examples], out.categories)
    if out.widened is not None:
        scores["recall_threshold"] = recall_scores(Y, out.Y, out.widened)
    if out.synthetic_weights:
        scores["synthetic_weights"] = list(out.synthetic_weights)
    return scores


def outer_splits(examples: Sequence[Any], split: str, folds: int = 5) -> list[tuple[Any, Any]]:
    """The outer folds over real items: by recurrence group / report (`group`) or by NJi section (`section`)."""
    from sklearn.model_selection import GroupKFold

    groups = [ex.group if split == "group" else ex.section for ex in examples]
    return list(GroupKFold(n_splits=min(folds, len(set(groups)))).split(groups, groups=groups))


def cross_validate(examples: Sequence[Any], settings: Settings, backend: str, split: str, folds: int = 5,
                   synthetic: Sequence[Any] = (), make_classifier: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Out-of-fold predictions of the model and the baselines, grouped so no group spans a split.

    The folds are made over the real `examples` only; with `synthetic` items the model is also trained
    with them added to every training fold (`with_synthetic`), on the same test folds.
    """
    import numpy as np

    from .classify import ItemClassifier, keyword_predict, label_matrix, make_embedder, zero_shot_predict
    from .taxonomy import load_taxonomy

    taxonomy = load_taxonomy(settings.annotations_dir / "taxonomy.yaml")
    texts = [ex.text for ex in examples]
    embedder = make_embedder(settings.replace(embedder=backend), fit_texts=texts + [ex.text for ex in synthetic])
    Y = label_matrix(examples)
    cats = [ex.categorie for ex in examples]
    splits = outer_splits(examples, split, folds)

    if make_classifier is None:
        def default_classifier() -> ItemClassifier:
            return ItemClassifier(embedder, taxonomy, spacy_model=settings.spacy_model, seed=settings.seed)

        def run(extra: Sequence[Any]) -> OutOfFold:
            return _cached_out_of_fold(settings, embedder.name, examples, splits, default_classifier, extra)
    else:
        def run(extra: Sequence[Any]) -> OutOfFold:
            return _out_of_fold(examples, splits, make_classifier, extra)

    result = _model_scores(examples, run(()))
    if synthetic:
        result["with_synthetic"] = _model_scores(examples, run(synthetic))
    major_Y = np.zeros_like(Y)
    major_cat: list[str] = [""] * len(examples)
    for train_idx, test_idx in splits:
        label_sets = Counter(tuple(Y[i]) for i in train_idx)
        major_Y[test_idx] = np.array(label_sets.most_common(1)[0][0])
        top_cat = Counter(cats[i] for i in train_idx).most_common(1)[0][0]
        for i in test_idx:
            major_cat[i] = top_cat
    kw_Y, kw_cat = keyword_predict(texts, taxonomy)
    concepts = (*taxonomy.label_concepts, *taxonomy.categories)
    zs_Y, zs_cat = zero_shot_predict(embedder.encode(texts), embedder.encode([c.description for c in concepts]), taxonomy)
    result["backend"] = embedder.name
    result["split"] = split
    result["folds"] = len(splits)
    result["synthetic_items"] = len(synthetic)
    result["baselines"] = {
        "majority": classification_scores(Y, major_Y, cats, major_cat),
        "keyword": classification_scores(Y, kw_Y, cats, kw_cat),
        "zero_shot": classification_scores(Y, zs_Y, cats, zs_cat),
    }
    return result


#: Adopt the synthetic items only when they raise real-item doelen micro-F1 (group split) by this much.
SYNTHETIC_GAIN = 0.02


def synthetic_verdict(group: dict[str, Any], section: dict[str, Any]) -> dict[str, Any]:
    """Whether the synthetic items earn their place (issue 22): group-split doelen micro-F1 up by ≥ SYNTHETIC_GAIN,
    section-split doelen micro-F1 and categorie macro-F1 (both splits) not lower. With the reason, in plain words."""
    if "with_synthetic" not in group or "with_synthetic" not in section:
        return {"adopt": False, "reason": "no synthetic items were evaluated"}
    with_group, with_section = group["with_synthetic"], section["with_synthetic"]
    checks = {
        "doelen micro-F1, group split": (group["doelen"]["micro_f1"], with_group["doelen"]["micro_f1"], SYNTHETIC_GAIN),
        "doelen micro-F1, section split": (section["doelen"]["micro_f1"], with_section["doelen"]["micro_f1"], 0.0),
        "categorie macro-F1, group split": (group["categorie"]["macro_f1"], with_group["categorie"]["macro_f1"], 0.0),
        "categorie macro-F1, section split": (section["categorie"]["macro_f1"], with_section["categorie"]["macro_f1"],
                                              0.0),
    }
    failed = [f"{name} {without:.3f} → {with_:.3f}" + (f" (needs +{gain:.2f})" if gain else " (lower)")
              for name, (without, with_, gain) in checks.items() if with_ - without < gain - 1e-9]
    changes = "; ".join(f"{name} {without:.3f} → {with_:.3f}" for name, (without, with_, _) in checks.items())
    return {"adopt": not failed, "checks": {k: {"without": a, "with": b} for k, (a, b, _) in checks.items()},
            "reason": (f"adopted: {changes}" if not failed else "kept out: " + "; ".join(failed))}


def evaluate_classification(settings: Settings, backends: Sequence[str] | None = None,
                            synthetic: bool = True) -> dict[str, Any]:
    """Grouped CV (recurrence groups) and the harder split by NJi section, for every backend.

    Test folds hold real items only; with `synthetic` (and items in annotations/synthetic/) every split is
    also scored with the synthetic items added to the training folds, and `synthetic_verdict` says whether
    they earn their place. Without `backends`: every installed backend, the configured one first. An installed
    backend whose model cannot be loaded here (e.g. sentence-transformers without the
    configured model in the local cache) is listed under `skipped_backends` with the reason;
    a backend asked for by name must load.
    """
    from .classify import load_examples, load_synthetic_examples
    from .errors import ModelNotAvailable
    from .models import available_backends

    examples = load_examples(settings.annotations_dir)
    extra = load_synthetic_examples(settings.annotations_dir) if synthetic else []
    chosen = list(backends) if backends else available_backends()
    if settings.embedder in chosen:
        chosen.remove(settings.embedder)
        chosen.insert(0, settings.embedder)
    by_backend: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    for backend in chosen:
        try:
            by_backend[backend] = {
                "group": cross_validate(examples, settings, backend, "group", synthetic=extra),
                "section": cross_validate(examples, settings, backend, "section", synthetic=extra),
            }
        except ModelNotAvailable as exc:
            if backends:
                raise
            skipped[backend] = str(exc)
    if not by_backend:
        raise MetadossierError(f"geen enkele embedder kon draaien: {skipped}")
    first = by_backend[next(iter(by_backend))]
    verdict = synthetic_verdict(first["group"], first["section"]) if extra else \
        {"adopt": False, "reason": "no synthetic items evaluated"}
    return {**first["group"], "examples": len(examples), "synthetic_items": len(extra), "by_backend": by_backend,
            "skipped_backends": skipped, "synthetic_verdict": verdict}


LEARNING_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
SYNTHETIC_COUNTS: tuple[int | None, ...] = (500, 1000, None)
"""Points of the synthetic axis: seeded draws of 500 and 1,000 items, then all of them (2,107 when this was
written; the same run as `evaluate classification`'s model + synthetic, so it is computed once)."""


def learning_curve(
    examples: Sequence[Any],
    settings: Settings,
    fractions: Sequence[float] = LEARNING_FRACTIONS,
    repeats: int = 2,
    folds: int = 5,
    make_classifier: Callable[[], Any] | None = None,
    synthetic: Sequence[Any] = (),
    synthetic_counts: Sequence[int | None] = SYNTHETIC_COUNTS,
) -> dict[str, Any]:
    """Grouped CV scores when only a share of each training fold's groups is used, and, beside the
    full real share, with 500 / 1,000 / all synthetic items added to every training fold (None: all).

    Why: it tells what each kind of data buys. The test folds (real items) stay the same at every
    point, and a group (near-duplicates, one report's sentences) is kept or left out whole; shares
    below 1 are drawn `repeats` times and averaged. The synthetic items are one seeded shuffle, so
    each count holds the smaller ones (as many as there are when fewer).
    """
    import numpy as np

    from .classify import ItemClassifier, label_matrix, make_embedder
    from .taxonomy import load_taxonomy

    if make_classifier is None:
        taxonomy = load_taxonomy(settings.annotations_dir / "taxonomy.yaml")
        embedder = make_embedder(settings, fit_texts=[ex.text for ex in (*examples, *synthetic)])

        def default_classifier() -> Any:
            return ItemClassifier(embedder, taxonomy, spacy_model=settings.spacy_model, seed=settings.seed)

        def run(subsampled: list[tuple[Any, Any]], extra: Sequence[Any]) -> OutOfFold:
            return _cached_out_of_fold(settings, embedder.name, examples, subsampled, default_classifier, extra)
    else:
        def run(subsampled: list[tuple[Any, Any]], extra: Sequence[Any]) -> OutOfFold:
            return _out_of_fold(examples, subsampled, make_classifier, extra)

    Y = label_matrix(examples)
    cats = [ex.categorie for ex in examples]
    groups = [ex.group for ex in examples]
    splits = outer_splits(examples, "group", folds)

    def point(subsampled: list[tuple[Any, Any]], extra: Sequence[Any]) -> dict[str, Any]:
        out = run(subsampled, extra)
        scores = classification_scores(Y, out.Y, cats, out.categories)
        return {"training_items": float(np.mean([len(kept_idx) for kept_idx, _ in subsampled])),
                "doelen_micro_f1": scores["doelen"]["micro_f1"], "categorie_macro_f1": scores["categorie"]["macro_f1"]}

    def mean_row(runs: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
        return {**fields, "runs": runs, **{key: round(float(np.mean([r[key] for r in runs])), 4)
                                           for key in ("training_items", "doelen_micro_f1", "categorie_macro_f1")}}

    rows = []
    for fraction in fractions:
        runs = []
        for repeat in range(repeats if fraction < 1 else 1):
            rng = np.random.RandomState(settings.seed + repeat)
            subsampled = []
            for train_idx, test_idx in splits:
                train_groups = sorted({groups[i] for i in train_idx})
                kept = set(rng.permutation(train_groups)[: max(1, round(fraction * len(train_groups)))])
                subsampled.append((np.array([i for i in train_idx if groups[i] in kept]), test_idx))
            runs.append(point(subsampled, ()))
        rows.append(mean_row(runs, fraction=fraction, synthetic=0))
    order: Any = np.random.RandomState(settings.seed).permutation(len(synthetic)) if synthetic else []
    synthetic_rows = []
    for count in synthetic_counts if synthetic else ():
        everything = count is None or count >= len(synthetic)
        extra = list(synthetic) if everything else [synthetic[i] for i in order[:count]]
        synthetic_rows.append(mean_row([point(splits, extra)], fraction=1.0, synthetic=len(extra)))
        if everything:
            break  # a larger count would repeat this point
    return {"examples": len(examples), "folds": len(splits), "split": "group", "rows": rows,
            "synthetic_rows": synthetic_rows, "synthetic_available": len(synthetic)}


def format_learning_curve(result: dict[str, Any]) -> str:
    lines = [f"{result['examples']} labelled items; grouped {result['folds']}-fold CV, same test folds (real items"
             " only) at every point",
             f"{'share':>6} {'synthetic':>9} {'real training items':>20} {'doelen micro-F1':>16}"
             f" {'categorie macro-F1':>19} runs"]
    for row in [*result["rows"], *result.get("synthetic_rows", [])]:
        lines.append(f"{row['fraction']:6.2f} {row['synthetic']:9d} {row['training_items']:20.0f}"
                     f" {row['doelen_micro_f1']:16.3f} {row['categorie_macro_f1']:19.3f} {len(row['runs'])}")
    return "\n".join(lines)


def format_classification(result: dict[str, Any]) -> str:
    lines = [f"{result['examples']} labelled items; grouped {result['folds']}-fold CV"]
    header = f"{'backend':18} {'split':8} {'system':11} {'micro-F1':>8} {'macro-F1':>8} {'algemeen':>8} {'cat acc':>8} {'cat mF1':>8}"
    lines.append(header)
    for backend, splits in result["by_backend"].items():
        for split, r in splits.items():
            rows = [("model", r), *([("model+synth", r["with_synthetic"])] if "with_synthetic" in r else []),
                    *[(name, b) for name, b in r["baselines"].items()]]
            for name, s in rows:
                lines.append(
                    f"{backend:18} {split:8} {name:11} {s['doelen']['micro_f1']:8.3f} {s['doelen']['macro_f1']:8.3f}"
                    f" {s['algemeen']['f1']:8.3f} {s['categorie']['accuracy']:8.3f} {s['categorie']['macro_f1']:8.3f}"
                )
    lines.append("per doel (model, first backend, group split): " + ", ".join(
        f"{d} {s['f1']:.2f}" for d, s in result["doelen"]["per_doel"].items()))
    for name, r in (("model", result), ("model+synth", result.get("with_synthetic"))):
        if r and "recall_threshold" in r:
            lines.append(f"per doel P/R at the decision threshold → at the recall threshold ({name}, group split): "
                         + ", ".join(f"{d} {s['decision']['precision']:.2f}/{s['decision']['recall']:.2f} → "
                                     f"{s['recall_threshold']['precision']:.2f}/{s['recall_threshold']['recall']:.2f}"
                                     for d, s in r["recall_threshold"].items()))
    if result.get("synthetic_items"):
        lines.append(f"{result['synthetic_items']} synthetic items (training folds only); "
                     f"{result['synthetic_verdict']['reason']}")
    for backend, reason in result.get("skipped_backends", {}).items():
        lines.append(f"skipped {backend}: {reason}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Agreement between two annotators (the ceiling the classifier is measured against)

DOUBLE_ANNOTATION = Path("agreement") / "double_annotation.jsonl"
THEME_PARTITIONS = Path("agreement") / "theme_partitions.jsonl"
RECOGNITION_JUDGEMENT = Path("recognition") / "judgement.json"
"""The blind judgement of the earlier theme titles (category: terms), now the appendix's label."""
HEADINGS_READER_FILE = Path("recognition") / "headings_reader_v3.md"
"""What a fresh blind reader of the current headings gets (annotations/recognition/README.md)."""
HEADINGS_KEYS = Path("recognition") / "headings_keys_v3.json"
HEADINGS_ANSWERS = Path("recognition") / "answers_headings_v3.jsonl"
"""The reader's answers as it wrote them (neutral codes), one JSON object a line."""
HEADINGS_JUDGEMENT = Path("recognition") / "judgement_headings_v3.json"
"""The blind judgement of the current headings, recorded from the reader's answers
(`judgement_from_answers`); until a reader has answered it shows the headings with no answers."""
FIRST_HEADINGS_JUDGEMENT = Path("recognition") / "judgement_headings.json"
"""The first reader's judgement (2026-12-07) of the first message headings, kept as the record."""


def evaluate_agreement(settings: Settings) -> dict[str, Any]:
    """How far a second annotator, labelling blind, agrees with the first, before adjudication.

    Scored with the classification measures (the first annotator as reference), plus Cohen's kappa
    for the categorie, on all items and on the items whose text GUIDELINES.md does not quote as an
    example (an annotator may copy a worked example, so those agree by construction).
    """

    from .classify import _validate_label, load_examples

    path = settings.annotations_dir / DOUBLE_ANNOTATION
    if not path.exists():
        raise MetadossierError(f"{path}: geen dubbele annotatie — zie annotations/agreement/README.md")
    known = {ex.id: ex for ex in load_examples(settings.annotations_dir)}
    guidelines = _squash((settings.annotations_dir / "GUIDELINES.md").read_text(encoding="utf-8"))
    rows = []
    for line, obj in read_jsonl(path):
        if obj.get("id") not in known:
            raise AnnotationError(str(path), line, f"onbekend item-id {obj.get('id')!r}")
        for part in ("first", "second"):
            if not isinstance(obj.get(part), dict):
                raise AnnotationError(str(path), line, f"'{part}' moet een object zijn met doelen, algemeen, categorie")
        first = _validate_label(obj["first"], path, line)
        second = _validate_label(obj["second"], path, line)
        quoted = _squash(known[obj["id"]].text)[:35] in guidelines
        rows.append((first, second, quoted, obj.get("adjudicated") is not None))

    return {
        "file": str(path),
        "all": _agreement_scores(rows),
        "not_quoted_in_guidelines": _agreement_scores([r for r in rows if not r[2]]),
        "disagreements": sum(r[0] != r[1] for r in rows),
        "adjudicated": sum(r[3] for r in rows),
        "synthetic": _synthetic_agreement(settings.annotations_dir),
    }


def _agreement_scores(rows: Sequence[tuple[Any, ...]]) -> dict[str, Any]:
    """Classification measures of the second label against the first (rows of (first, second, …))."""
    import numpy as np
    from sklearn.metrics import cohen_kappa_score

    from .classify import DOELEN

    def matrix(labels: list[Any]) -> Any:
        return np.array([[d in doelen for d in DOELEN] + [algemeen] for doelen, algemeen, _ in labels], dtype=int)

    first, second = [r[0] for r in rows], [r[1] for r in rows]
    out = classification_scores(matrix(first), matrix(second), [f[2] for f in first], [s[2] for s in second])
    out["categorie"]["kappa"] = round(float(cohen_kappa_score([f[2] for f in first], [s[2] for s in second])), 4)
    out["items"] = len(rows)
    return out


def _synthetic_agreement(annotations_dir: Path) -> dict[str, Any] | None:
    """The synthetic writers' labels against a second writer's blind labels of a sample
    (annotations/synthetic/blind_sample.jsonl): are the guideline-derived items labelled as the
    guidelines say?"""
    from .classify import _validate_label
    from .synthetic import load_synthetic

    path = annotations_dir / "synthetic" / "blind_sample.jsonl"
    if not path.exists():
        return None
    written = {item.id: (item.doelen, item.algemeen, item.categorie) for item in load_synthetic(annotations_dir)}
    rows = []
    for line, obj in read_jsonl(path):
        if obj.get("id") not in written:
            raise AnnotationError(str(path), line, f"onbekend synthetisch item-id {obj.get('id')!r}")
        rows.append((written[obj["id"]], _validate_label(obj, path, line)))
    return {"file": str(path), **_agreement_scores(rows), "disagreements": sum(a != b for a, b in rows)}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower())


def format_agreement(result: dict[str, Any]) -> str:
    lines = [f"{result['all']['items']} items labelled twice, blind; {result['disagreements']} differ, "
             f"{result['adjudicated']} adjudicated into the gold"]
    if result.get("synthetic"):
        lines.append(f"synthetic items: a second writer labelled {result['synthetic']['items']} of them blind; "
                     f"{result['synthetic']['disagreements']} differ")
    for name in ("all", "not_quoted_in_guidelines", "synthetic"):
        r = result.get(name)
        if not r:
            continue
        lines.append(
            f"{name:26} n={r['items']:3}  doelen micro-F1 {r['doelen']['micro_f1']:.3f}  macro-F1 "
            f"{r['doelen']['macro_f1']:.3f}  algemeen F1 {r['algemeen']['f1']:.3f}  categorie acc "
            f"{r['categorie']['accuracy']:.3f}  kappa {r['categorie']['kappa']:.3f}  macro-F1 {r['categorie']['macro_f1']:.3f}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Clustering: the themes against the NJi's own sections


def load_nji_groups(path: Path) -> dict[str, str]:
    """Recurrence group (the same bullet in several NJi chapters) per NJi item id."""
    return {obj["id"]: str(obj.get("group") or obj["id"]) for _, obj in read_jsonl(path)}


def partition_scores(sections: Sequence[str], predicted: Sequence[str], doelen: Sequence[str]) -> dict[str, Any]:
    """ARI and NMI of the predicted themes against the NJi sections within every doel, and their
    means weighted by the doel's number of items: the headline `ari` and `nmi`.

    Themes and sections only ever divide one doel, so scored over all items at once (`ari_pooled`,
    `nmi_pooled`) every pair from two doelen agrees for free: one theme per doel, no clustering at
    all, already scores about 0.5 pooled on the NJi gold, and 0 within doelen.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    per_doel = {}
    for doel in sorted(set(doelen), key=_doel_order):
        idx = [i for i, d in enumerate(doelen) if d == doel]
        truth, pred = [sections[i] for i in idx], [predicted[i] for i in idx]
        per_doel[doel] = {
            "ari": round(float(adjusted_rand_score(truth, pred)), 4),
            "nmi": round(float(normalized_mutual_info_score(truth, pred)), 4),
            "items": len(idx), "sections": len(set(truth)), "themes": len(set(pred)),
        }
    total = sum(s["items"] for s in per_doel.values())
    return {
        "ari": round(sum(s["ari"] * s["items"] for s in per_doel.values()) / total, 4),
        "nmi": round(sum(s["nmi"] * s["items"] for s in per_doel.values()) / total, 4),
        "ari_pooled": round(float(adjusted_rand_score(sections, predicted)), 4),
        "nmi_pooled": round(float(normalized_mutual_info_score(sections, predicted)), 4),
        "per_doel": per_doel,
        "n_clusters": len(set(predicted)),
    }


def _doel_order(doel: str) -> int:
    from .cluster import SCOPES

    return SCOPES.index(doel) if doel in SCOPES else len(SCOPES)


def agreement_with_nji(
    gold: Sequence[Any],
    embedder: Any,
    *,
    taxonomy: Any,
    spacy_model: str = "nl_core_news_lg",
    seed: int = 13,
    k_selection: str = "silhouette",
    groups: dict[str, str] | None = None,
    chance_draws: int = 200,
) -> dict[str, Any]:
    """Cluster the NJi aanbevelingen within their chapter's doel and compare with the NJi sections
    (`partition_scores`), beside k-means on word TF-IDF with the NJi's own number of sections
    per doel, one theme per doel, and chance (the NJi's section sizes shuffled within each doel).
    For every section: the theme sharing most of it (Jaccard) and how much of the section it holds.
    """
    from .cluster import build_themes, content_key

    recs = sorted((e for e in gold if e.kind == "aanbeveling"), key=content_key)
    if not recs:
        raise MetadossierError("geen NJi-aanbevelingen om de clustering op te toetsen")
    sections = [e.section for e in recs]
    doelen = [e.scopes[0] for e in recs]
    index = build_themes(recs, embedder, taxonomy=taxonomy, spacy_model=spacy_model, seed=seed, k_selection=k_selection)
    themes = index.themes
    theme_of = {i: t.theme_id for t in themes for i in t.item_ids}
    model = partition_scores(sections, [theme_of[e.item_id] for e in recs], doelen)
    section_table = {}
    for section in sorted(set(sections), key=_section_order):
        members = {e.item_id for e in recs if e.section == section}
        doel = next(e.scopes[0] for e in recs if e.section == section)
        best = max(
            (t for t in themes if t.scope == doel),
            key=lambda t: (len(members & set(t.item_ids)) / len(members | set(t.item_ids)), t.theme_id),
        )
        shared = len(members & set(best.item_ids))
        section_table[section] = {
            "theme": best.theme_id, "title": best.title, "heading": best.heading, "label": best.label,
            "terms": list(best.terms[:6]),
            "overlap": round(shared / len(members), 3), "jaccard": round(shared / len(members | set(best.item_ids)), 3),
            "section_size": len(members), "theme_size": best.size,
        }
    return {
        **model,
        "items": len(recs),
        "sections_total": len(set(sections)),
        "embedder": embedder.name,
        "k_selection": k_selection,
        "taxonomy_features": taxonomy is not None,
        "sections": section_table,
        "themes": {t.theme_id: {"title": t.title, "heading": t.heading, "label": t.label, "size": t.size,
                                "scope": t.scope, "categorie": t.categorie} for t in themes},
        "baseline": {**partition_scores(sections, _kmeans_baseline(recs, seed), doelen),
                     "method": "k-means on word TF-IDF, the NJi's number of sections per doel"},
        "one_theme_per_doel": {**partition_scores(sections, doelen, doelen),
                               "method": "no clustering: every doel one theme"},
        "chance": _chance(sections, doelen, seed, chance_draws) if chance_draws else {},
        "bundling": _bundling_agreement(gold, groups, embedder, spacy_model) if groups else {},
    }


def reference_partitions(gold: Sequence[Any], annotations_dir: Path) -> dict[str, Any]:
    """What the NJi sections can be recovered to without any embedder, as yardsticks for the themes.

    `categorie_as_theme`: the hand-labelled beleidscyclus category taken as the theme. `readers`:
    blind readers who sorted the same aanbevelingen into the NJi's number of themes per doel
    (annotations/agreement/theme_partitions.jsonl), scored against the NJi and against each other.
    """
    import itertools

    recs = sorted((e for e in gold if e.kind == "aanbeveling"), key=lambda e: e.item_id)
    sections = [e.section for e in recs]
    doelen = [e.scopes[0] for e in recs]
    categorie = {obj["id"]: obj.get("categorie", "") for _, obj in read_jsonl(annotations_dir / "nji_synthesis.jsonl")}
    out: dict[str, Any] = {"categorie_as_theme": {
        k: v for k, v in partition_scores(sections, [categorie[e.item_id] for e in recs], doelen).items()
        if k in ("ari", "nmi", "n_clusters")}}
    path = annotations_dir / THEME_PARTITIONS
    if not path.exists():
        return out
    wanted = {(e.scopes[0], e.item_id) for e in recs}
    themes: dict[str, dict[tuple[str, str], str]] = {}
    for line, obj in read_jsonl(path):
        if not all(isinstance(obj.get(k), str) and obj[k] for k in ("reader", "scope", "item_id", "theme")):
            raise AnnotationError(str(path), line, "needs the strings 'reader', 'scope', 'item_id' and 'theme'")
        key = (obj["scope"], obj["item_id"])
        if key not in wanted:
            raise AnnotationError(str(path), line, f"{obj['item_id']} is not an NJi aanbeveling of scope {obj['scope']}")
        if key in themes.setdefault(obj["reader"], {}):
            raise AnnotationError(str(path), line, f"reader {obj['reader']} sorts {obj['item_id']} twice")
        themes[obj["reader"]][key] = obj["theme"]
    for reader, sorted_items in themes.items():
        if len(sorted_items) != len(wanted):
            raise AnnotationError(str(path), None, f"reader {reader} sorts {len(sorted_items)} of the "
                                                   f"{len(wanted)} NJi aanbevelingen; every reader must sort all")
    partition = {r: [t[(e.scopes[0], e.item_id)] for e in recs] for r, t in sorted(themes.items())}
    readers = {r: partition_scores(sections, labels, doelen) for r, labels in partition.items()}
    between = [partition_scores(partition[a], partition[b], doelen)["ari"]
               for a, b in itertools.combinations(partition, 2)]
    out["readers"] = {
        "file": str(path),
        "vs_nji": {r: {"ari": s["ari"], "nmi": s["nmi"], "per_doel": {d: v["ari"] for d, v in s["per_doel"].items()}}
                   for r, s in readers.items()},
        "mean_ari": round(sum(s["ari"] for s in readers.values()) / len(readers), 4),
        "mean_nmi": round(sum(s["nmi"] for s in readers.values()) / len(readers), 4),
        "between_readers_ari": round(sum(between) / len(between), 4) if between else None,
    }
    return out


def recognition_judgement(path: Path, sections: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    """How many NJi sections a blind reader recognised in the theme titles (annotations/recognition/):
    a section counts when the reader named a theme whose title names its subject; `on_best_theme`
    when that theme is also the one sharing most of the section's items. The judgement was made
    on particular titles: when the current titles differ it is reported as stale, not counted."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        shown, answers = data["shown"], data["answers"]
        judged = {str(a["section"]): a["theme_id"] for a in answers}
    except (ValueError, KeyError, TypeError) as exc:
        raise AnnotationError(str(path), None, f"needs 'shown' (theme id → title) and 'answers' "
                                               f"(section, theme_id or null) ({exc})") from None
    if not answers:  # prepared for a reader that has not answered yet
        changed = sorted(t for t in set(shown) | set(titles) if shown.get(t) != titles.get(t))
        return {"file": str(path), "judged": "", "sections": len(sections), "pending": True,
                "current": not changed, "changed": changed}
    by_number = {name.split()[0]: name for name in sections}
    if set(judged) != set(by_number) or not set(v for v in judged.values() if v) <= set(shown):
        raise AnnotationError(str(path), None, "its answers must cover every NJi section once, with themes it shows")
    out: dict[str, Any] = {"file": str(path), "judged": data.get("judged", ""), "sections": len(judged)}
    if shown != titles:
        changed = sorted(t for t in set(shown) | set(titles) if shown.get(t) != titles.get(t))
        return {**out, "current": False, "changed": changed}
    recognised = {number: theme for number, theme in judged.items() if theme}
    natural = data.get("natural") or {}
    return {**out, "current": True, "recognised": len(recognised),
            "on_best_theme": sum(sections[by_number[n]]["theme"] == t for n, t in recognised.items()),
            "unrecognised": sorted(n for n, t in judged.items() if not t),
            **({"natural": sum(bool(v) for v in natural.values()), "judged_natural": len(natural)} if natural else {})}


def judgement_from_answers(lines: Sequence[str], codes: dict[str, str], shown: dict[str, str],
                           sections: Sequence[str], *, judged: str, reader: str,
                           source: str = str(HEADINGS_ANSWERS)) -> dict[str, Any]:
    """The judgement file's content from a blind reader's answers to `recognition_reader_file`:
    its JSON lines ({"section", "theme" (code or "geen"), "why"} and {"code", "natural" ("ja"/"nee"),
    "why"}) with the codes translated to theme ids through `codes`. Every section and every code
    must be answered exactly once; `source` names the answers in an error."""
    numbers = [name.split()[0] for name in sections]
    answers: dict[str, dict[str, Any]] = {}
    natural: dict[str, bool] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise AnnotationError(source, n, f"not JSON ({exc})") from None
        if "section" in obj:
            section, code = str(obj["section"]), str(obj.get("theme", "")).strip()
            if section not in numbers or section in answers:
                raise AnnotationError(source, n, f"section {section!r} is not an NJi section or is answered twice")
            if code.lower() not in ("geen", "") and code not in codes:
                raise AnnotationError(source, n, f"{code!r} is not a code the reader was shown")
            answers[section] = {"section": section, "theme_id": codes.get(code), "why": obj.get("why", "")}
        elif "code" in obj:
            code, value = str(obj["code"]), str(obj.get("natural", "")).strip().lower()
            if code not in codes or codes[code] in natural or value not in ("ja", "nee"):
                raise AnnotationError(source, n, f"{code!r}: an unknown or repeated code, or 'natural' not ja/nee")
            natural[codes[code]] = value == "ja"
        else:
            raise AnnotationError(source, n, "neither a 'section' nor a 'code' answer")
    if set(answers) != set(numbers) or set(natural) != set(codes.values()):
        raise AnnotationError(source, None, f"answers must cover every section ({len(answers)} of {len(numbers)}) "
                                               f"and every heading ({len(natural)} of {len(codes)})")
    return {
        "what": "A fresh blind reader matched every NJi section to the heading (same doel) that names the same "
                "subject, or none, and judged whether each heading reads like one a person wrote; headings only, "
                "strict. See README.md.",
        "judged": judged, "reader": reader, "shown": shown,
        "answers": [answers[number] for number in numbers], "natural": natural,
    }


def recognition_reader_file(sections: dict[str, Any], themes: dict[str, Any], *, seed: int = 21) -> tuple[str, dict[str, str]]:
    """The file a blind reader gets (annotations/recognition/README.md's protocol) for the message
    headings, and its key (neutral code → theme id). Per scope: the NJi section titles, then the
    headings shuffled under codes that say nothing about the theme; two questions, the second whether
    each heading reads like one a person wrote."""
    import random

    from .cluster import SCOPES
    from .synthesize import CHAPTER_TITLES

    rng = random.Random(seed)
    lines = [
        "# Herken je de NJi-paragrafen in deze koppen?",
        "",
        "Hieronder staan per hoofdstuk twee lijsten: de paragrafen van een synthese van het Nederlands Jeugdinstituut "
        "(NJi) en koppen die een ander voor zijn eigen indeling van dezelfde aanbevelingen schreef, in willekeurige "
        "volgorde onder neutrale codes.",
        "",
        "Vraag 1. Noem voor elke NJi-paragraaf de code van de kop die hetzelfde onderwerp noemt (of een onmiskenbaar "
        "synoniem), of 'geen'. Wees streng: 'verwant, in hetzelfde beleidsveld' telt niet. Eén kop mag bij meer "
        "paragrafen horen.",
        "",
        "Vraag 2. Zeg voor elke kop (code) 'ja' of 'nee': leest hij als een kop die een mens schreef?",
        "",
        "Antwoord per regel in JSON: {\"section\": \"2.1\", \"theme\": \"D1-K\" of \"geen\", \"why\": \"…\"} "
        "voor vraag 1 en {\"code\": \"D1-K\", \"natural\": \"ja\" of \"nee\", \"why\": \"…\"} voor vraag 2.",
    ]
    key: dict[str, str] = {}
    for scope in SCOPES:
        own = sorted((tid for tid, t in themes.items() if t["scope"] == scope), key=str)
        rng.shuffle(own)
        lines += ["", f"## {CHAPTER_TITLES[scope]}" + (f" ({scope})" if scope != "algemeen" else ""), "", "NJi-paragrafen:"]
        for name in sections:
            if sections[name]["theme"].split("-")[0] == scope:
                number, _, title = name.partition(" ")
                lines.append(f"- {number}: {title}")
        lines += ["", "Koppen:"]
        for n, tid in enumerate(own):
            code = f"{scope}-{chr(ord('K') + n)}"
            key[code] = tid
            lines.append(f"- {code}: {themes[tid]['heading']}")
    return "\n".join(lines) + "\n", key


def _chance(sections: Sequence[str], doelen: Sequence[str], seed: int, draws: int) -> dict[str, float]:
    """ARI of random partitions with the NJi's section sizes, shuffled within each doel."""
    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(seed)
    by_doel = [[i for i, d in enumerate(doelen) if d == doel] for doel in sorted(set(doelen))]
    within, pooled = [], []
    for _ in range(draws):
        shuffled = list(sections)
        for idx in by_doel:
            for i, j in zip(idx, rng.permutation(idx)):
                shuffled[i] = sections[j]
        within.append(sum(len(idx) * adjusted_rand_score([sections[i] for i in idx], [shuffled[i] for i in idx])
                          for idx in by_doel) / len(sections))
        pooled.append(adjusted_rand_score(sections, shuffled))
    return {"ari": round(float(np.mean(within)), 4), "ari_p95": round(float(np.percentile(within, 95)), 4),
            "ari_pooled": round(float(np.mean(pooled)), 4)}


def _section_order(section: str) -> tuple[int, ...]:
    match = re.match(r"(\d+)\.(\d+)", section)
    return (int(match.group(1)), int(match.group(2))) if match else (99, 99)


def _kmeans_baseline(recs: Sequence[Any], seed: int) -> list[str]:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from spacy.lang.nl.stop_words import STOP_WORDS

    matrix = TfidfVectorizer(sublinear_tf=True, stop_words=sorted(STOP_WORDS)).fit_transform([e.text for e in recs])
    pred = [""] * len(recs)
    for doel in sorted({e.scopes[0] for e in recs}):
        idx = [i for i, e in enumerate(recs) if e.scopes[0] == doel]
        k = min(len({recs[i].section for i in idx}), len(idx))
        labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(matrix[idx])
        for i, label in zip(idx, labels):
            pred[i] = f"{doel}-{label}"
    return pred


def _bundling_agreement(gold: Sequence[Any], groups: dict[str, str], embedder: Any, spacy_model: str) -> dict[str, Any]:
    """Pairwise precision/recall of near-duplicate detection against the NJi recurrence groups."""
    from .cluster import find_near_duplicates

    items = [e for e in gold if e.item_id in groups]
    found = find_near_duplicates(items, embedder, spacy_model=spacy_model)
    predicted = {(a.item_id, b.item_id) for g in found for a in g for b in g if a.item_id < b.item_id}
    true = {(a.item_id, b.item_id) for a in items for b in items
            if a.item_id < b.item_id and groups[a.item_id] == groups[b.item_id]}
    tp = len(predicted & true)
    return {
        "pairs_true": len(true), "pairs_predicted": len(predicted),
        "precision": round(tp / len(predicted), 4) if predicted else 0.0,
        "recall": round(tp / len(true), 4) if true else 0.0,
    }


def evaluate_clustering(settings: Settings, backends: Sequence[str] | None = None) -> dict[str, Any]:
    """`metadossier evaluate clustering`: agreement with the NJi sections for every backend (default:
    the configured embedder and lsa), with and without the taxonomy features; the first backend's
    figures are the top-level ones."""
    from .models import available_backends, load_embedder
    from .synthesize import load_nji_evidence
    from .taxonomy import load_taxonomy

    path = settings.annotations_dir / "nji_synthesis.jsonl"
    gold = load_nji_evidence(path)
    groups = load_nji_groups(path)
    taxonomy = load_taxonomy(settings.annotations_dir / "taxonomy.yaml")
    installed = available_backends()
    chosen = list(backends) if backends else [b for b in dict.fromkeys((settings.embedder, "lsa")) if b in installed]
    fit_texts = sorted({e.text for e in gold}) + [c.description for c in taxonomy.categories]
    by_backend = {}
    for backend in chosen:
        embedder = load_embedder(backend, model=settings.sentence_transformer_model, cache_dir=settings.cache_dir,
                                 fit_texts=fit_texts, seed=settings.seed)
        result = agreement_with_nji(gold, embedder, taxonomy=taxonomy, spacy_model=settings.spacy_model,
                                    seed=settings.seed, groups=groups)
        ablation = agreement_with_nji(gold, embedder, taxonomy=None, spacy_model=settings.spacy_model,
                                      seed=settings.seed, chance_draws=0)
        result["without_taxonomy"] = {k: ablation[k] for k in ("ari", "nmi", "ari_pooled", "nmi_pooled", "n_clusters")}
        result["recognition"] = recognition_judgement(
            settings.annotations_dir / RECOGNITION_JUDGEMENT, result["sections"],
            {tid: t["title"] for tid, t in result["themes"].items()})
        result["recognition_headings"] = recognition_judgement(
            settings.annotations_dir / HEADINGS_JUDGEMENT, result["sections"],
            {tid: t["heading"] for tid, t in result["themes"].items()})
        by_backend[backend] = result
    return {**by_backend[chosen[0]], "backend": chosen[0], "by_backend": by_backend,
            "references": reference_partitions(gold, settings.annotations_dir)}


def format_clustering(result: dict[str, Any]) -> str:
    first = result["by_backend"][result["backend"]]
    lines = [
        f"NJi aanbevelingen: {first['items']} items in {first['sections_total']} sections of "
        f"{len(first['per_doel'])} doelen (chapter 1 = algemeen)",
        "ARI, NMI: within each doel, mean weighted by items (the issue's figure); pooled: over all items at once,"
        " where pairs across doelen agree for free",
        f"{'backend':18} {'system':22} {'ARI':>6} {'NMI':>6} {'ARI-pooled':>10} {'NMI-pooled':>10} {'themes':>6}",
    ]
    for backend, r in result["by_backend"].items():
        rows = (("model", r), ("model, no taxonomy", r["without_taxonomy"]), ("baseline k-means", r["baseline"]),
                ("one theme per doel", r["one_theme_per_doel"]))
        for name, s in rows:
            lines.append(f"{backend:18} {name:22} {s['ari']:6.3f} {s['nmi']:6.3f} {s['ari_pooled']:10.3f}"
                         f" {s['nmi_pooled']:10.3f} {s['n_clusters']:6d}")
        lines.append(f"{backend:18} {'chance':22} {r['chance']['ari']:6.3f} {'':6} {r['chance']['ari_pooled']:10.3f}")
    references = result.get("references") or {}
    if references:
        lines.append("yardsticks without an embedder (ARI, NMI within doelen):")
        cat = references["categorie_as_theme"]
        lines.append(f"  hand-labelled categorie as the theme        {cat['ari']:6.3f} {cat['nmi']:6.3f}")
        readers = references.get("readers")
        if readers:
            lines.append(f"  blind readers, NJi's number of themes      {readers['mean_ari']:6.3f} {readers['mean_nmi']:6.3f}"
                         f"  (per reader: " + ", ".join(f"{r} {s['ari']:.3f}" for r, s in readers["vs_nji"].items())
                         + f"; readers with each other: ARI {readers['between_readers_ari']:.3f})")
    recognition = first.get("recognition") or {}
    if recognition.get("current"):
        lines.append(f"recognisable sections (a blind reader, titles only, {recognition['judged']}): "
                     f"{recognition['recognised']} of {recognition['sections']}, {recognition['on_best_theme']} of them in"
                     f" the theme holding most of the section; not recognised: {', '.join(recognition['unrecognised'])}")
    elif recognition:
        lines.append(f"recognisable sections: the judgement in {recognition['file']} was made on earlier titles"
                     f" ({len(recognition['changed'])} themes changed since)")
    headings = first.get("recognition_headings") or {}
    if headings.get("pending"):
        lines.append(f"message headings: awaiting a fresh blind reader - give it annotations/{HEADINGS_READER_FILE} only"
                     if headings["current"] else
                     f"message headings: {headings['file']} was prepared for other headings - "
                     "run `python scripts/recognition_reader.py` again")
    elif headings.get("current"):
        lines.append(f"recognisable sections in the message headings (a blind reader, {headings['judged']}): "
                     f"{headings['recognised']} of {headings['sections']}; not recognised: "
                     f"{', '.join(headings['unrecognised']) or '-'}"
                     + (f"; read as written by a person: {headings['natural']} of {headings['judged_natural']} headings"
                        if "natural" in headings else ""))
    elif headings:
        lines.append(f"message headings: the judgement in {headings['file']} was made on other headings - "
                     f"run `python scripts/recognition_reader.py` and give a fresh blind reader {HEADINGS_READER_FILE}")
    else:
        lines.append(f"message headings: not judged yet - give a fresh blind reader annotations/{HEADINGS_READER_FILE}")
    lines.append("ARI within each doel (model): " + ", ".join(
        f"{doel} {s['ari']:.2f}" for doel, s in first["per_doel"].items()))
    lines.append(f"NJi section → best theme ({result['backend']}); overlap = share of the section in that theme")
    for section, m in first["sections"].items():
        lines.append(f"  {section[:56]:56} → {m['theme']:12} {m['heading'][:60]:60} {m['overlap']:.2f}")
    bundling = first.get("bundling") or {}
    if bundling:
        lines.append(f"near-duplicate bundling vs NJi recurrence groups: precision {bundling['precision']:.2f}, "
                     f"recall {bundling['recall']:.2f} ({bundling['pairs_true']} true pairs)")
    return "\n".join(lines)
