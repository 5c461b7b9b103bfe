"""Classification: items → doelen (multi-label, + algemeen) and one beleidscyclus category.

`ItemClassifier` follows scikit-learn conventions (hyperparameters in __init__, fit /
predict_proba, fitted attributes ending in `_`); the embedder is passed in. Four views of
a text (lemma TF-IDF, character n-grams, the sentence embedding with its similarity to the
taxonomy concepts, taxonomy cue counts) each get logistic regressions whose probabilities
are averaged; calibration, the embedding view's weight and the decision threshold are
chosen by grouped cross-validation inside the training data.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from .annotations import read_jsonl
from .errors import AnnotationError, ModelNotAvailable
from .models import Embedder, lemmatize, load_embedder, spacy_description
from .records import Item, Label
from .settings import Settings
from .synthetic import load_synthetic
from .taxonomy import CATEGORIES, DOELEN, Taxonomy, load_taxonomy

LABELS: tuple[str, ...] = (*DOELEN, "algemeen")
MODEL_FILE = "classifier.joblib"
# Part of the model version, bumped whenever the way a model is fitted changes, so that the version
# stored with every label names the model that made it, not only its data (2: category offsets; 3: liblinear,
# one-against-the-rest categories, synthetic items and recall thresholds; 4: a decision threshold per doel and the
# at-least-one-label rule chosen inside the fit).
FIT_METHOD = "4"
CARD_FILE = "MODEL_CARD.md"
META_FILE = "classifier.json"


# --------------------------------------------------------------------------------------
# Training data


@dataclass(frozen=True)
class Example:
    """One labelled text: the gold the classifier learns from and is evaluated on."""

    id: str
    text: str
    doelen: tuple[str, ...]
    algemeen: bool
    categorie: str
    group: str
    section: str
    source: str

    @property
    def synthetic(self) -> bool:
        """Written from the guidelines (annotations/synthetic/), not found in a report: training data only."""
        return self.source == SYNTHETIC_SOURCE


SYNTHETIC_SOURCE = "synthetic"


def _validate_label(obj: dict[str, Any], path: Path, line: int) -> tuple[tuple[str, ...], bool, str]:
    doelen = obj.get("doelen")
    if not isinstance(doelen, list) or any(d not in DOELEN for d in doelen):
        raise AnnotationError(str(path), line, f"'doelen' moet een lijst zijn van {', '.join(DOELEN)}, niet {doelen!r}")
    algemeen = obj.get("algemeen")
    if not isinstance(algemeen, bool):
        raise AnnotationError(str(path), line, f"'algemeen' moet true of false zijn, niet {algemeen!r}")
    categorie = obj.get("categorie")
    if categorie not in CATEGORIES:
        raise AnnotationError(str(path), line, f"onbekende categorie {categorie!r}")
    return tuple(sorted(doelen)), algemeen, str(categorie)


def report_group(record: dict[str, Any]) -> str:
    """The cross-validation group of an extra item: its report, taken as rekenkamer and year.

    Sentences from one report share wording and subject; grouped item by item they leaked across
    folds and raised categorie macro-F1 by about 0.05 (annotations/extra/README.md). Reports of one
    rekenkamer without a year fall into one group, which errs on the strict side.
    """
    return f"extra:{record.get('rekenkamer') or record['id']}:{record.get('year')}"


def load_examples(annotations_dir: Path) -> list[Example]:
    """Every labelled text in annotations/: NJi gold, Raalte gold, extra items, human labels.

    Human labels (annotations/human_labels.jsonl, append-only) override earlier labels of
    the same id; the last line for an id wins.
    """
    examples: dict[str, Example] = {}
    nji = annotations_dir / "nji_synthesis.jsonl"
    if nji.exists():
        for line, obj in read_jsonl(nji):
            doelen, algemeen, categorie = _validate_label(obj, nji, line)
            examples[obj["id"]] = Example(
                id=obj["id"], text=obj["text"], doelen=doelen, algemeen=algemeen, categorie=categorie,
                group=str(obj.get("group") or obj["id"]), section=str(obj.get("section") or ""), source="nji",
            )
    texts = _segmentation_gold_texts(annotations_dir)
    for path in sorted((annotations_dir / "labels").glob("*_labels.jsonl")):
        if path.name == "nji_labels.jsonl":
            continue
        # One report's items share its wording and subject: they form one cross-validation group.
        report = path.stem.replace("_labels", "")
        for line, obj in read_jsonl(path):
            doelen, algemeen, categorie = _validate_label(obj, path, line)
            text = obj.get("text") or texts.get(obj.get("id", ""))
            if not text:
                raise AnnotationError(str(path), line, f"geen tekst voor '{obj.get('id')}' (niet in de goudstandaard van de segmentatie)")
            examples[obj["id"]] = Example(
                id=obj["id"], text=text, doelen=doelen, algemeen=algemeen, categorie=categorie,
                group=f"report:{report}", section=report, source=path.stem,
            )
    extra = annotations_dir / "extra" / "rekenkamer_items.jsonl"
    if extra.exists():
        for line, obj in read_jsonl(extra):
            doelen, algemeen, categorie = _validate_label(obj, extra, line)
            # A bullet is labelled together with its verbatim lead-in (GUIDELINES.md 1), so it is read with it too.
            text = f"{obj['stem']} {obj['text']}" if obj.get("stem") else obj["text"]
            examples[obj["id"]] = Example(
                id=obj["id"], text=text, doelen=doelen, algemeen=algemeen, categorie=categorie,
                group=report_group(obj), section="extra", source="extra",
            )
    human = annotations_dir / "human_labels.jsonl"
    if human.exists():
        for line, obj in read_jsonl(human):
            doelen, algemeen, categorie = _validate_label(obj, human, line)
            previous = examples.get(obj.get("item_id", ""))
            text = obj.get("text") or (previous.text if previous else "")
            if not text:
                raise AnnotationError(str(human), line, "een label van een mens heeft 'text' of een bekend 'item_id' nodig")
            examples[obj["item_id"]] = Example(
                id=obj["item_id"], text=text, doelen=doelen, algemeen=algemeen, categorie=categorie,
                group=previous.group if previous else obj["item_id"],
                section=previous.section if previous else "human", source="human",
            )
    return [examples[k] for k in sorted(examples)]


def load_synthetic_examples(annotations_dir: Path) -> list[Example]:
    """The guideline-derived items of annotations/synthetic/ as training examples (never test items).

    Each is its own group and sits in the section 'synthetic': the splits of the evaluation are made
    over real items only, and these join every training fold.
    """
    return [Example(id=item.id, text=item.text, doelen=item.doelen, algemeen=item.algemeen, categorie=item.categorie,
                    group=f"synthetic:{item.id}", section=SYNTHETIC_SOURCE, source=SYNTHETIC_SOURCE)
            for item in load_synthetic(annotations_dir)]


def _segmentation_gold_texts(annotations_dir: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((annotations_dir / "segmentation").glob("*.jsonl")):
        for _, obj in read_jsonl(path):
            if "id" in obj and "text" in obj:
                out[obj["id"]] = obj["text"]
    return out


def data_hash(examples: Sequence[Example]) -> str:
    digest = hashlib.sha256()
    for ex in examples:
        digest.update(json.dumps([ex.id, ex.text, ex.doelen, ex.algemeen, ex.categorie], ensure_ascii=False).encode())
    return digest.hexdigest()


def label_matrix(examples: Sequence[Example]) -> np.ndarray:
    return np.array([[d in ex.doelen for d in DOELEN] + [ex.algemeen] for ex in examples], dtype=int)


# --------------------------------------------------------------------------------------
# The classifier

VIEWS: tuple[str, ...] = ("words", "chars", "embedding", "cues")


@dataclass(frozen=True)
class _ViewInputs:
    """What every view is built from, computed once per text (the costly parts: lemmas, embeddings)."""

    texts: list[str]
    lemmas: list[str]
    embeddings: np.ndarray
    cues: np.ndarray

    def take(self, idx: Sequence[int] | np.ndarray) -> _ViewInputs:
        return _ViewInputs([self.texts[i] for i in idx], [self.lemmas[i] for i in idx], self.embeddings[idx],
                           self.cues[idx])


_LEMMA_MEMO: dict[tuple[str, str], str] = {}
_LEMMA_MEMO_SIZE = 50_000


def _lemma_strings(texts: Sequence[str], spacy_model: str) -> list[str]:
    """Lemmas of each text joined by spaces, remembered per process: cross-validation fits the same texts
    dozens of times, and lemmatising 2,500 texts costs seconds each time."""
    missing = list(dict.fromkeys(t for t in texts if (spacy_model, t) not in _LEMMA_MEMO))
    if missing:
        if len(_LEMMA_MEMO) + len(missing) > _LEMMA_MEMO_SIZE:
            _LEMMA_MEMO.clear()
        for text, lemma_list in zip(missing, lemmatize(missing, spacy_model)):
            _LEMMA_MEMO[(spacy_model, text)] = " ".join(lemma_list)
    return [_LEMMA_MEMO[(spacy_model, t)] for t in texts]


class ItemClassifier:
    """Multi-label doelen (+ algemeen) and single-label category for item texts.

    Four views of a text - lemma uni+bigram TF-IDF, character 3-5-gram TF-IDF, the sentence
    embedding with its similarity to every taxonomy concept, and the taxonomy cue counts -
    each get a class-balanced logistic regression per label and a multinomial one for the
    category; the views' probabilities are averaged. Everything tuned is chosen by grouped
    cross-validation inside the training data (`groups`: the recurrence groups, so near-duplicates
    stay together), scored on real items only: the weight of the synthetic items (when given),
    the weight of the embedding view, a sigmoid calibration per label, a decision threshold per label and
    whether every item gets at least one label, a recall threshold per doel (the probability above which `recall_target` of the doel's items
    lie), and for the category a log-prior offset per class that maximises macro-F1.

    `recall_target` is 0.95 so that unseen reports still reach 0.9: chosen at 0.9 on the inner folds,
    the outer folds (group split, with the synthetic items) fell to 0.87 for D4 and 0.89 for D2.
    """

    def __init__(
        self,
        embedder: Embedder,
        taxonomy: Taxonomy,
        *,
        C_text: float = 4.0,
        C_dense: float = 1.0,
        inner_folds: int = 4,
        embedding_weights: Sequence[float] = (1.0, 0.5, 0.0),
        thresholds: Sequence[float] = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6),
        synthetic_weights: Sequence[float] = (0.5,),
        recall_target: float = 0.95,
        spacy_model: str = "nl_core_news_lg",
        seed: int = 13,
    ) -> None:
        self.embedder = embedder
        self.taxonomy = taxonomy
        self.C_text = C_text
        self.C_dense = C_dense
        self.inner_folds = inner_folds
        self.embedding_weights = tuple(embedding_weights)
        self.thresholds = tuple(thresholds)
        self.synthetic_weights = tuple(synthetic_weights)
        self.recall_target = recall_target
        self.spacy_model = spacy_model
        self.seed = seed

    # -- features
    def _inputs(self, texts: Sequence[str]) -> _ViewInputs:
        return _ViewInputs(list(texts), _lemma_strings(texts, self.spacy_model),
                           self.embedder.encode(texts), cue_counts(texts, self.taxonomy))

    def _concept_vectors(self) -> np.ndarray:
        concepts = (*self.taxonomy.label_concepts, *self.taxonomy.categories)
        return self.embedder.encode([c.description for c in concepts])

    @staticmethod
    def _fit_vectorizers(inputs: _ViewInputs) -> tuple[Any, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer

        words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=20000)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True,
                                max_features=40000)
        return words.fit(inputs.lemmas), chars.fit(inputs.texts)

    def _views(self, inputs: _ViewInputs, vectorizers: tuple[Any, Any]) -> dict[str, Any]:
        words, chars = vectorizers
        similarity = inputs.embeddings @ self.concept_vectors_.T
        return {
            "words": words.transform(inputs.lemmas),
            "chars": chars.transform(inputs.texts),
            "embedding": np.hstack([inputs.embeddings, similarity]),
            "cues": inputs.cues,
        }

    def _fit_views(self, views: dict[str, Any], Y: np.ndarray, categories: Sequence[str],
                   sample_weight: np.ndarray | None = None) -> dict[str, Any]:
        def model(view: str) -> Any:
            return _binary_logistic(self.C_text if view in ("words", "chars") else self.C_dense,
                                    dual=view in ("words", "chars"), seed=self.seed)

        fitted = {}
        for view in VIEWS:
            labels = [model(view).fit(views[view], y, sample_weight=sample_weight) if 0 < y.sum() < len(y)
                      else _Constant(float(y.sum() > 0)) for y in Y.T]
            category = (_multinomial_logistic(self.C_text if view in ("words", "chars") else self.C_dense)
                        .fit(views[view], list(categories), sample_weight=sample_weight)
                        if len(set(categories)) > 1 else None)
            fitted[view] = (labels, category, categories[0])
        return fitted

    def _view_proba(self, fitted: dict[str, Any], views: dict[str, Any]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per view: label probabilities (n×6) and category probabilities in `classes_` order (n×k)."""
        out = {}
        for view, (labels, category, only) in fitted.items():
            X = views[view]
            P = np.column_stack([m.predict_proba(X)[:, 1] for m in labels])
            PC = np.zeros((X.shape[0], len(self.classes_)))
            if category is None:
                PC[:, self.classes_.index(only)] = 1.0
            else:
                proba = category.predict_proba(X)
                for j, c in enumerate(category.classes_):
                    PC[:, self.classes_.index(c)] = proba[:, j]
            out[view] = (P, PC)
        return out

    def _predict_views(self, fitted: dict[str, Any], vectorizers: tuple[Any, Any],
                       inputs: _ViewInputs) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Every prediction goes through here: inside `fit` for the inner test folds, after it for new texts."""
        return self._view_proba(fitted, self._views(inputs, vectorizers))

    @staticmethod
    def _combine(view_proba: dict[str, tuple[np.ndarray, np.ndarray]], embedding_weight: float, part: int) -> np.ndarray:
        weights = {view: embedding_weight if view == "embedding" else 1.0 for view in VIEWS}
        total = sum(weights.values())
        return sum(weights[view] * view_proba[view][part] for view in VIEWS) / total  # type: ignore[return-value]

    # -- estimator API
    def fit(self, texts: Sequence[str], Y: np.ndarray, categories: Sequence[str],
            groups: Sequence[str] | None = None, synthetic: Sequence[bool] | None = None) -> ItemClassifier:
        """Fit on `texts`; rows flagged in `synthetic` are training data only: they join every inner
        training fold (weighted by the `synthetic_weights` value that scores best) and are never
        predicted, so every choice rests on real items."""
        from sklearn.model_selection import GroupKFold

        self.concept_vectors_ = self._concept_vectors()
        self.classes_ = sorted(set(categories))
        inputs = self._inputs(texts)
        groups = list(groups) if groups is not None else [str(i) for i in range(len(texts))]
        categories = list(categories)
        flags = np.zeros(len(texts), dtype=bool) if synthetic is None else np.asarray(synthetic, dtype=bool)
        real, extra = np.flatnonzero(~flags), np.flatnonzero(flags)
        if real.size == 0:
            raise AnnotationError("trainingsdata", None, "alleen synthetische items: het model heeft echte gelabelde items nodig")
        real_groups = [groups[i] for i in real]
        n_splits = min(self.inner_folds, len(set(real_groups)))
        splits = [(real[a], real[b]) for a, b in GroupKFold(n_splits=n_splits).split(real, groups=real_groups)]
        Y_real, categories_real = Y[real], [categories[i] for i in real]
        best: tuple[tuple[float, ...], float, dict[str, Any]] | None = None
        for synthetic_weight in (self.synthetic_weights if extra.size else (0.0,)):
            oof = self._inner_oof(inputs, Y, categories, splits, extra, synthetic_weight, real)
            choice = self._choose(oof, Y_real, categories_real)
            key = (round(choice["doelen_micro_f1"] + choice["categorie_macro_f1"], 6), -synthetic_weight)
            if best is None or key > best[0]:
                best = (key, synthetic_weight, choice)
        assert best is not None
        _, self.synthetic_weight_, choice = best
        self.embedding_weight_, self.threshold_ = choice["embedding_weight"], choice["threshold"]
        self.thresholds_, self.at_least_one_ = choice["thresholds"], choice["at_least_one"]
        self.calibrators_, self.recall_thresholds_ = choice["calibrators"], choice["recall_thresholds"]
        self.category_embedding_weight_ = choice["category_embedding_weight"]
        self.category_offsets_ = choice["category_offsets"]
        self.oof_scores_ = {k: choice[k] for k in ("doelen_micro_f1", "categorie_macro_f1")}
        used = np.concatenate([real, extra]) if self.synthetic_weight_ > 0 else real
        weights = np.where(flags[used], self.synthetic_weight_, 1.0)
        part = inputs.take(used)
        self.vectorizers_ = self._fit_vectorizers(part)
        self.view_models_ = self._fit_views(self._views(part, self.vectorizers_), Y[used],
                                            [categories[i] for i in used], weights)
        return self

    def _inner_oof(self, inputs: _ViewInputs, Y: np.ndarray, categories: list[str],
                   splits: list[tuple[np.ndarray, np.ndarray]], extra: np.ndarray, synthetic_weight: float,
                   real: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Out-of-fold view probabilities of the real rows (in `real` order), synthetic rows training only."""
        position = {int(i): k for k, i in enumerate(real)}
        oof = {view: (np.zeros((len(real), Y.shape[1])), np.zeros((len(real), len(self.classes_)))) for view in VIEWS}
        for inner_train, inner_test in splits:
            if synthetic_weight > 0:
                inner_train = np.concatenate([inner_train, extra])
            weights = np.where(np.isin(inner_train, extra), synthetic_weight, 1.0)
            part_in, part_out = inputs.take(inner_train), inputs.take(inner_test)
            vectorizers = self._fit_vectorizers(part_in)
            fitted = self._fit_views(self._views(part_in, vectorizers), Y[inner_train],
                                     [categories[i] for i in inner_train], weights)
            rows = [position[int(i)] for i in inner_test]
            for view, (P, PC) in self._predict_views(fitted, vectorizers, part_out).items():
                oof[view][0][rows] = P
                oof[view][1][rows] = PC
        return oof

    def _choose(self, oof: dict[str, tuple[np.ndarray, np.ndarray]], Y: np.ndarray, categories: list[str]) -> dict[str, Any]:
        """Embedding weight, calibration, decision thresholds, whether an item always gets a label, and recall
        thresholds for the labels; embedding weight and offsets for the category; with the out-of-fold scores
        they reach.

        The doelen: first one threshold for all labels, jointly with the embedding weight and with whether an item
        whose labels all fall below it still gets its most likely one (`at_least_one`: over half of the real items
        carry no doel and about one in nine no label at all, so forcing one costs precision as often as it buys
        recall); then each doel's own threshold from the same grid, by coordinate ascent from the common one (the
        doelen differ in support and in how the views separate them). All on the out-of-fold probabilities of
        real items."""
        best: tuple[Any, ...] | None = None
        for weight in self.embedding_weights:
            P = self._combine(oof, weight, 0)
            calibrators = [_fit_sigmoid(P[:, j], Y[:, j]) for j in range(Y.shape[1])]
            calibrated = np.column_stack([c.predict_proba(_logit(P[:, j]))[:, 1] for j, c in enumerate(calibrators)])
            for at_least_one in (True, False):
                for threshold in self.thresholds:
                    score = _doel_micro_f1(Y, _decide(calibrated, threshold, at_least_one))
                    key = (round(score, 6), -abs(threshold - 0.5), weight, at_least_one)
                    if best is None or key > best[0]:
                        best = (key, weight, threshold, at_least_one, calibrators, calibrated)
        assert best is not None
        _, embedding_weight, threshold, at_least_one, calibrators, calibrated = best
        thresholds = per_label_thresholds(calibrated, Y, threshold, self.thresholds, at_least_one)
        doel_score = _doel_micro_f1(Y, _decide(calibrated, thresholds, at_least_one))
        category_weight = max(
            self.embedding_weights,
            key=lambda w: (round(_macro_f1(categories, self._combine(oof, w, 1).argmax(axis=1), self.classes_), 6), w))
        category_proba = self._combine(oof, category_weight, 1)
        offsets = macro_f1_offsets(category_proba, categories, self.classes_)
        return {
            "embedding_weight": embedding_weight, "threshold": threshold, "thresholds": thresholds,
            "at_least_one": at_least_one, "calibrators": calibrators,
            "recall_thresholds": recall_thresholds(calibrated[:, : len(DOELEN)], Y[:, : len(DOELEN)],
                                                   self.recall_target, thresholds[: len(DOELEN)]),
            "category_embedding_weight": category_weight, "category_offsets": offsets,
            "doelen_micro_f1": doel_score,
            "categorie_macro_f1": _macro_f1(categories, shift_priors(category_proba, offsets).argmax(axis=1),
                                            self.classes_),
        }

    def predict_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated doel probabilities n×6 in LABELS order, category probabilities n×k in classes_ order)."""
        if not texts:
            return np.zeros((0, len(LABELS))), np.zeros((0, len(self.classes_)))
        view_proba = self._predict_views(self.view_models_, self.vectorizers_, self._inputs(texts))
        P = self._combine(view_proba, self.embedding_weight_, 0)
        doel = np.column_stack([c.predict_proba(_logit(P[:, j]))[:, 1] for j, c in enumerate(self.calibrators_)])
        return doel, shift_priors(self._combine(view_proba, self.category_embedding_weight_, 1), self.category_offsets_)

    def decide(self, doel_proba: np.ndarray) -> np.ndarray:
        """Labels at or above their threshold; with `at_least_one_` an item always gets at least its most likely
        label."""
        return _decide(doel_proba, self.thresholds_, self.at_least_one_)

    def possible(self, doel_proba: np.ndarray) -> np.ndarray:
        """The doelen (n×5) whose probability reaches the doel's recall threshold: what a doel filter must show."""
        return (doel_proba[:, : len(DOELEN)] >= self.recall_thresholds_).astype(int)

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        decided, _, categories = self.predict_with_recall(texts)
        return decided, categories

    def predict_with_recall(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(decided labels n×6, decided or possible doelen n×5, categories)."""
        doel, cat = self.predict_proba(texts)
        decided = self.decide(doel)
        widened = decided[:, : len(DOELEN)] | self.possible(doel)
        return decided, widened, [self.classes_[i] for i in cat.argmax(axis=1)]


def recall_thresholds(proba: np.ndarray, Y: np.ndarray, target: float, ceiling: float | np.ndarray) -> np.ndarray:
    """Per column: the highest probability at or above which `target` of its positives lie (never above `ceiling`,
    the column's decision threshold). Chosen on out-of-fold probabilities, so a filter on it misses few items."""
    ceilings = np.broadcast_to(np.asarray(ceiling, dtype=float), (Y.shape[1],))
    out = ceilings.copy()
    for j in range(Y.shape[1]):
        positives = np.sort(proba[Y[:, j] == 1, j])[::-1]
        if positives.size:
            k = int(np.ceil(target * positives.size - 1e-9))
            out[j] = min(ceilings[j], float(positives[k - 1]))
    return out


def _binary_logistic(C: float, dual: bool, seed: int) -> Any:
    """A class-balanced L2 logistic regression (liblinear; the dual form for wide sparse text views is
    about 50× faster than lbfgs there, which makes thousands of training items affordable). Seeded: liblinear
    visits the rows in a random order, by default drawn from numpy's global state."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", dual=dual, max_iter=3000,
                              random_state=seed)


def _multinomial_logistic(C: float) -> Any:
    """A class-balanced multinomial logistic regression for the category (newton-cg: the same model as lbfgs,
    about three times faster here)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", solver="newton-cg", max_iter=3000)


def _decide(doel_proba: np.ndarray, threshold: float | np.ndarray, at_least_one: bool = True) -> np.ndarray:
    """Labels at or above their threshold (one for all, or one per column); with `at_least_one` an item whose
    labels all fall below gets its most likely one."""
    decided = (doel_proba >= threshold).astype(int)
    if at_least_one:
        for row, probs in zip(decided, doel_proba):
            if not row.any():
                row[int(np.argmax(probs))] = 1
    return decided


def per_label_thresholds(proba: np.ndarray, Y: np.ndarray, start: float, grid: Sequence[float], at_least_one: bool,
                         rounds: int = 2) -> np.ndarray:
    """A decision threshold per label (n×6 columns), starting from `start` for all: for each doel in turn the grid
    value that raises doelen micro-F1 most (first best kept, so deterministic), `rounds` times over. The algemeen
    column keeps `start` (it is not part of the doelen score)."""
    thresholds = np.full(proba.shape[1], float(start))
    best = _doel_micro_f1(Y, _decide(proba, thresholds, at_least_one))
    for _ in range(rounds):
        for j in range(len(DOELEN)):
            for value in grid:
                candidate = thresholds.copy()
                candidate[j] = value
                score = _doel_micro_f1(Y, _decide(proba, candidate, at_least_one))
                if score > best + 1e-9:
                    best, thresholds = score, candidate
    return thresholds


def shift_priors(proba: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Category probabilities with each class's log-prior moved by its offset, renormalised per row."""
    shifted = np.log(np.clip(proba, 1e-9, 1.0)) + offsets
    shifted = np.exp(shifted - shifted.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def macro_f1_offsets(proba: np.ndarray, categories: Sequence[str], classes: Sequence[str], *,
                     grid: Sequence[float] = tuple(np.linspace(-1.5, 1.5, 13)), rounds: int = 3) -> np.ndarray:
    """Per-class log-prior offsets that maximise macro-F1 of the argmax on out-of-fold probabilities.

    Why: averaging class-balanced models still leaves the argmax favouring the classes the views agree
    on, and macro-F1 counts every category equally, rare ones too. A shift per class (coordinate
    ascent over a fixed grid, first best kept, so deterministic) moves the decision, not the model.
    """
    log_proba = np.log(np.clip(proba, 1e-9, 1.0))

    def score(offsets: np.ndarray) -> float:
        return _macro_f1(categories, (log_proba + offsets).argmax(axis=1), classes)

    offsets = np.zeros(len(classes))
    best = score(offsets)
    for _ in range(rounds):
        for k in range(len(classes)):
            for value in grid:
                candidate = offsets.copy()
                candidate[k] = value
                candidate_score = score(candidate)
                if candidate_score > best + 1e-9:
                    best, offsets = candidate_score, candidate
    return offsets


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p)).reshape(-1, 1)


def _fit_sigmoid(scores: np.ndarray, y: np.ndarray) -> Any:
    """Platt scaling of out-of-fold scores; a constant when the label never (or always) occurs."""
    from sklearn.linear_model import LogisticRegression

    if 0 < y.sum() < len(y):
        return LogisticRegression(C=1e4, max_iter=1000).fit(_logit(scores), y)
    return _Constant(float(y.sum() > 0))


def _doel_micro_f1(Y: np.ndarray, decided: np.ndarray) -> float:
    true, pred = Y[:, : len(DOELEN)], decided[:, : len(DOELEN)]
    tp = int((true & pred).sum())
    return 2 * tp / (int(true.sum()) + int(pred.sum())) if tp else 0.0


def _macro_f1(categories: Sequence[str], predicted: np.ndarray, classes: Sequence[str]) -> float:
    """Macro-F1 over the classes that occur in truth or prediction (as sklearn's f1_score), in numpy: it is
    called hundreds of times per fit while the category offsets are searched."""
    index = {c: k for k, c in enumerate(classes)}
    truth = np.array([index.get(c, len(classes)) for c in categories])
    predicted = np.asarray(predicted)
    k = len(classes) + 1
    tp = np.bincount(truth[truth == predicted], minlength=k)
    n_true, n_pred = np.bincount(truth, minlength=k), np.bincount(predicted, minlength=k)
    present = (n_true + n_pred) > 0
    f1 = np.divide(2 * tp, n_true + n_pred, out=np.zeros(k), where=present)
    return float(f1[present].mean()) if present.any() else 0.0


class _Constant:
    """A label never (or always) seen in training: predict its base rate."""

    def __init__(self, p: float) -> None:
        self.p = p

    def fit(self, X: Any, y: Any) -> _Constant:
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        n = X.shape[0]
        return np.column_stack([np.full(n, 1 - self.p), np.full(n, self.p)])


# --------------------------------------------------------------------------------------
# Baselines (for evaluation)


def keyword_predict(texts: Sequence[str], taxonomy: Taxonomy) -> tuple[np.ndarray, list[str]]:
    """Rules from the taxonomy cues: a label when one of its cues occurs; category by most cues."""
    n_labels = len(taxonomy.label_concepts)
    counts = _cue_hits(texts, taxonomy)
    Y = np.zeros((len(texts), len(LABELS)), dtype=int)
    Y[:, :n_labels] = counts[:, :n_labels] > 0
    categories = []
    for row in counts[:, n_labels:]:
        best = int(np.argmax(row))
        categories.append(taxonomy.categories[best].code if row[best] > 0 else "overig")
    return Y, categories


def cue_counts(texts: Sequence[str], taxonomy: Taxonomy) -> np.ndarray:
    """log(1 + number of a concept's cues in the text), for every label concept and category."""
    return np.log1p(_cue_hits(texts, taxonomy)).astype(np.float32)


def _cue_hits(texts: Sequence[str], taxonomy: Taxonomy) -> np.ndarray:
    """How many of each concept's cues (label concepts, then categories) occur in each text, as a word start."""
    patterns = [[(cue, re.compile(r"(?<!\w)" + re.escape(cue))) for cue in concept.cues]
                for concept in (*taxonomy.label_concepts, *taxonomy.categories)]
    out = np.zeros((len(texts), len(patterns)), dtype=np.int64)
    for i, text in enumerate(texts):
        lowered = text.lower()
        for j, cues in enumerate(patterns):
            # The substring test first: most cues are absent, and it is far cheaper than the regex.
            out[i, j] = sum(cue in lowered and p.search(lowered) is not None for cue, p in cues)
    return out


def zero_shot_predict(
    embeddings: np.ndarray, concept_vectors: np.ndarray, taxonomy: Taxonomy, margin: float = 0.03
) -> tuple[np.ndarray, list[str]]:
    """Taxonomy similarity alone: labels within `margin` of the best label; the most similar category."""
    n_labels = len(taxonomy.label_concepts)
    sims = embeddings @ concept_vectors.T
    label_sims = sims[:, :n_labels]
    Y = (label_sims >= label_sims.max(axis=1, keepdims=True) - margin).astype(int)
    cats = [taxonomy.categories[int(i)].code for i in sims[:, n_labels:].argmax(axis=1)]
    return Y, cats


# --------------------------------------------------------------------------------------
# Training, saving, loading, batch labelling


@dataclass
class TrainedModel:
    classifier: ItemClassifier
    version: str
    meta: dict[str, Any]

    def label(self, ids: Sequence[str], texts: Sequence[str]) -> list[Label]:
        doel_proba, cat_proba = self.classifier.predict_proba(texts)
        decided = self.classifier.decide(doel_proba)
        out = []
        for item_id, probs, row, cprobs in zip(ids, doel_proba, decided, cat_proba):
            scores = {name: round(float(p), 4) for name, p in zip(LABELS, probs)}
            categorie_scores = {c: round(float(p), 4) for c, p in zip(self.classifier.classes_, cprobs)}
            out.append(
                Label(
                    item_id=item_id,
                    doelen=tuple(d for d, flag in zip(DOELEN, row[:5]) if flag),
                    algemeen=bool(row[5]),
                    categorie=max(categorie_scores, key=lambda c: categorie_scores[c]),
                    scores=scores,
                    categorie_scores=categorie_scores,
                    model_version=self.version,
                    source="model",
                )
            )
        return out


def make_embedder(settings: Settings, fit_texts: Sequence[str] | None = None) -> Embedder:
    return load_embedder(
        settings.embedder, model=settings.sentence_transformer_model, cache_dir=settings.cache_dir,
        fit_texts=fit_texts, seed=settings.seed,
    )


def train(settings: Settings) -> TrainedModel:
    """Fit on every labelled file in annotations/ and write models/ with a model card."""
    import joblib
    import sklearn

    real = load_examples(settings.annotations_dir)
    if len(real) < 20:
        raise AnnotationError(str(settings.annotations_dir), None, f"maar {len(real)} gelabelde items")
    synthetic = load_synthetic_examples(settings.annotations_dir) if settings.synthetic_training else []
    examples = [*real, *synthetic]
    taxonomy = load_taxonomy(settings.annotations_dir / "taxonomy.yaml")
    texts = [ex.text for ex in examples]
    embedder = make_embedder(settings, fit_texts=texts)
    classifier = ItemClassifier(embedder, taxonomy, spacy_model=settings.spacy_model, seed=settings.seed)
    classifier.fit(texts, label_matrix(examples), [ex.categorie for ex in examples], [ex.group for ex in examples],
                   synthetic=[ex.synthetic for ex in examples])
    digest = data_hash(examples)
    fingerprint = digest + embedder.name + taxonomy.version + FIT_METHOD
    version = f"clf-{hashlib.sha256(fingerprint.encode()).hexdigest()[:10]}"
    meta = {
        "version": version,
        "trained_on": date.today().isoformat(),
        "data_hash": digest,
        "examples": len(real),
        "sources": dict(Counter(ex.source for ex in real)),
        "synthetic_training": settings.synthetic_training,
        "synthetic_items": len(synthetic),
        "synthetic_weight": classifier.synthetic_weight_,
        "synthetic_weights": list(classifier.synthetic_weights),
        "embedder_backend": settings.embedder,
        "embedder": embedder.name,
        "spacy_pipeline": spacy_description(settings.spacy_model),
        "taxonomy_version": taxonomy.version,
        "threshold": classifier.threshold_,
        "thresholds": {label: round(float(t), 4) for label, t in zip(LABELS, classifier.thresholds_)},
        "at_least_one": bool(classifier.at_least_one_),
        "recall_target": classifier.recall_target,
        "recall_thresholds": {d: round(float(t), 4) for d, t in zip(DOELEN, classifier.recall_thresholds_)},
        "inner_oof": {k: round(float(v), 4) for k, v in classifier.oof_scores_.items()},
        "embedding_weight": classifier.embedding_weight_,
        "category_embedding_weight": classifier.category_embedding_weight_,
        "category_offsets": {c: round(float(o), 3) for c, o in zip(classifier.classes_, classifier.category_offsets_)
                             if o},
        "inner_folds": classifier.inner_folds,
        "sklearn": sklearn.__version__,
        "C_text": classifier.C_text,
        "C_dense": classifier.C_dense,
    }
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    # Pretrained embedders are rebuilt from their package at load time; only LSA is fitted state.
    saved_embedder = embedder if settings.embedder == "lsa" else None
    classifier.embedder = saved_embedder  # type: ignore[assignment]
    joblib.dump({"classifier": classifier, "meta": meta}, settings.models_dir / MODEL_FILE, compress=3)
    classifier.embedder = embedder
    (settings.models_dir / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return TrainedModel(classifier=classifier, version=version, meta=meta)


def load_trained(settings: Settings) -> TrainedModel | None:
    """The model in models/, with its embedder rebuilt; None when none was trained."""
    import joblib
    import sklearn

    path = settings.models_dir / MODEL_FILE
    if not path.exists():
        return None
    retrain = "draai `metadossier train` om het opnieuw te maken uit annotations/"
    try:
        bundle = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - unpickling fails in many ways across versions
        raise ModelNotAvailable(f"{path}: kan niet worden geladen ({type(exc).__name__}) — {retrain}") from None
    classifier: ItemClassifier = bundle["classifier"]
    meta = bundle["meta"]
    if meta.get("sklearn") != sklearn.__version__:
        raise ModelNotAvailable(
            f"{path} is getraind met scikit-learn {meta.get('sklearn')}, hier staat {sklearn.__version__} — {retrain}"
        )
    if classifier.embedder is None:
        backend = meta["embedder_backend"]
        classifier.embedder = load_embedder(
            backend, model=settings.sentence_transformer_model, cache_dir=settings.cache_dir
        )
        if classifier.embedder.name != meta["embedder"]:
            raise ModelNotAvailable(
                f"models/{MODEL_FILE} is getraind met '{meta['embedder']}', maar deze computer heeft "
                f"'{classifier.embedder.name}' — draai `metadossier train` opnieuw"
            )
    return TrainedModel(classifier=classifier, version=meta["version"], meta=meta)


def recall_thresholds_of(settings: Settings) -> dict[str, float]:
    """Per doel the recall threshold of the model in models/ (from its classifier.json; no model load), or {}."""
    path = settings.models_dir / META_FILE
    try:
        thresholds = json.loads(path.read_text(encoding="utf-8")).get("recall_thresholds") or {}
    except (OSError, ValueError, AttributeError):
        return {}
    return {d: float(t) for d, t in thresholds.items() if d in DOELEN and isinstance(t, (int, float))}


def labeler_from_settings(settings: Settings) -> Any:
    """A function items → labels with the current model, or None when no model exists."""
    model = load_trained(settings)
    if model is None:
        return None

    def label_items(items: Sequence[Item]) -> list[Label]:
        return model.label([it.item_id for it in items], [it.text for it in items])

    return label_items
