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
from .taxonomy import CATEGORIES, DOELEN, Taxonomy, load_taxonomy

LABELS: tuple[str, ...] = (*DOELEN, "algemeen")
MODEL_FILE = "classifier.joblib"
# Part of the model version, bumped whenever the way a model is fitted changes, so that the version
# stored with every label names the model that made it, not only its data (2: category offsets).
FIT_METHOD = "2"
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


def _validate_label(obj: dict[str, Any], path: Path, line: int) -> tuple[tuple[str, ...], bool, str]:
    doelen = obj.get("doelen")
    if not isinstance(doelen, list) or any(d not in DOELEN for d in doelen):
        raise AnnotationError(str(path), line, f"'doelen' must be a list of {', '.join(DOELEN)}, got {doelen!r}")
    algemeen = obj.get("algemeen")
    if not isinstance(algemeen, bool):
        raise AnnotationError(str(path), line, f"'algemeen' must be true or false, got {algemeen!r}")
    categorie = obj.get("categorie")
    if categorie not in CATEGORIES:
        raise AnnotationError(str(path), line, f"unknown categorie {categorie!r}")
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
                raise AnnotationError(str(path), line, f"no text for '{obj.get('id')}' (not in segmentation gold)")
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
                raise AnnotationError(str(human), line, "a human label needs 'text' or a known 'item_id'")
            examples[obj["item_id"]] = Example(
                id=obj["item_id"], text=text, doelen=doelen, algemeen=algemeen, categorie=categorie,
                group=previous.group if previous else obj["item_id"],
                section=previous.section if previous else "human", source="human",
            )
    return [examples[k] for k in sorted(examples)]


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

    def take(self, idx: Sequence[int]) -> _ViewInputs:
        return _ViewInputs([self.texts[i] for i in idx], [self.lemmas[i] for i in idx], self.embeddings[idx],
                           self.cues[idx])


class ItemClassifier:
    """Multi-label doelen (+ algemeen) and single-label category for item texts.

    Four views of a text - lemma uni+bigram TF-IDF, character 3-5-gram TF-IDF, the sentence
    embedding with its similarity to every taxonomy concept, and the taxonomy cue counts -
    each get a class-balanced logistic regression per label and for the category; the views'
    probabilities are averaged. Everything tuned is chosen by grouped cross-validation inside
    the training data (`groups`: the recurrence groups, so near-duplicates stay together): the
    weight of the embedding view, a sigmoid calibration per label, one decision threshold, and
    for the category a log-prior offset per class that maximises macro-F1.
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
        self.spacy_model = spacy_model
        self.seed = seed

    # -- features
    def _inputs(self, texts: Sequence[str]) -> _ViewInputs:
        return _ViewInputs(list(texts), [" ".join(ls) for ls in lemmatize(texts, self.spacy_model)],
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

    def _fit_views(self, views: dict[str, Any], Y: np.ndarray, categories: Sequence[str]) -> dict[str, Any]:
        from sklearn.linear_model import LogisticRegression

        def model(view: str) -> Any:
            C = self.C_text if view in ("words", "chars") else self.C_dense
            return LogisticRegression(C=C, class_weight="balanced", max_iter=3000)

        fitted = {}
        for view in VIEWS:
            labels = [model(view).fit(views[view], y) if 0 < y.sum() < len(y) else _Constant(float(y.sum() > 0))
                      for y in Y.T]
            category = model(view).fit(views[view], list(categories)) if len(set(categories)) > 1 else None
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
                for j, c in enumerate(category.classes_):
                    PC[:, self.classes_.index(c)] = category.predict_proba(X)[:, j]
            out[view] = (P, PC)
        return out

    @staticmethod
    def _combine(view_proba: dict[str, tuple[np.ndarray, np.ndarray]], embedding_weight: float, part: int) -> np.ndarray:
        weights = {view: embedding_weight if view == "embedding" else 1.0 for view in VIEWS}
        total = sum(weights.values())
        return sum(weights[view] * view_proba[view][part] for view in VIEWS) / total  # type: ignore[return-value]

    # -- estimator API
    def fit(self, texts: Sequence[str], Y: np.ndarray, categories: Sequence[str],
            groups: Sequence[str] | None = None) -> ItemClassifier:
        from sklearn.model_selection import GroupKFold

        self.concept_vectors_ = self._concept_vectors()
        self.classes_ = sorted(set(categories))
        inputs = self._inputs(texts)
        groups = list(groups) if groups is not None else [str(i) for i in range(len(texts))]
        categories = list(categories)
        n_splits = min(self.inner_folds, len(set(groups)))
        # Out-of-fold view probabilities on the training data, for the choices below.
        oof: dict[str, tuple[np.ndarray, np.ndarray]] = {
            view: (np.zeros(Y.shape, dtype=float), np.zeros((len(texts), len(self.classes_)))) for view in VIEWS}
        for inner_train, inner_test in GroupKFold(n_splits=n_splits).split(texts, Y, groups):
            part_in, part_out = inputs.take(inner_train), inputs.take(inner_test)
            vectorizers = self._fit_vectorizers(part_in)
            fitted = self._fit_views(self._views(part_in, vectorizers), Y[inner_train],
                                     [categories[i] for i in inner_train])
            for view, (P, PC) in self._view_proba(fitted, self._views(part_out, vectorizers)).items():
                oof[view][0][inner_test] = P
                oof[view][1][inner_test] = PC
        self._choose(oof, Y, categories)
        self.vectorizers_ = self._fit_vectorizers(inputs)
        self.view_models_ = self._fit_views(self._views(inputs, self.vectorizers_), Y, categories)
        return self

    def _choose(self, oof: dict[str, tuple[np.ndarray, np.ndarray]], Y: np.ndarray, categories: list[str]) -> None:
        """Embedding weight, calibration and threshold for the labels; embedding weight and offsets for the category."""
        best: tuple[Any, ...] | None = None
        for weight in self.embedding_weights:
            P = self._combine(oof, weight, 0)
            calibrators = [_fit_sigmoid(P[:, j], Y[:, j]) for j in range(Y.shape[1])]
            calibrated = np.column_stack([c.predict_proba(_logit(P[:, j]))[:, 1] for j, c in enumerate(calibrators)])
            for threshold in self.thresholds:
                score = _doel_micro_f1(Y, _decide(calibrated, threshold))
                key = (round(score, 6), -abs(threshold - 0.5), weight)
                if best is None or key > best[0]:
                    best = (key, weight, threshold)
        assert best is not None
        _, self.embedding_weight_, self.threshold_ = best
        P = self._combine(oof, self.embedding_weight_, 0)
        self.calibrators_ = [_fit_sigmoid(P[:, j], Y[:, j]) for j in range(Y.shape[1])]
        self.category_embedding_weight_ = max(
            self.embedding_weights,
            key=lambda w: (round(_macro_f1(categories, self._combine(oof, w, 1).argmax(axis=1), self.classes_), 6), w))
        self.category_offsets_ = macro_f1_offsets(self._combine(oof, self.category_embedding_weight_, 1),
                                                  categories, self.classes_)

    def predict_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(calibrated doel probabilities n×6 in LABELS order, category probabilities n×k in classes_ order)."""
        if not texts:
            return np.zeros((0, len(LABELS))), np.zeros((0, len(self.classes_)))
        view_proba = self._view_proba(self.view_models_, self._views(self._inputs(texts), self.vectorizers_))
        P = self._combine(view_proba, self.embedding_weight_, 0)
        doel = np.column_stack([c.predict_proba(_logit(P[:, j]))[:, 1] for j, c in enumerate(self.calibrators_)])
        return doel, shift_priors(self._combine(view_proba, self.category_embedding_weight_, 1), self.category_offsets_)

    def decide(self, doel_proba: np.ndarray) -> np.ndarray:
        """Labels at or above the threshold; an item always gets at least its most likely label."""
        return _decide(doel_proba, self.threshold_)

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        doel, cat = self.predict_proba(texts)
        return self.decide(doel), [self.classes_[i] for i in cat.argmax(axis=1)]


def _decide(doel_proba: np.ndarray, threshold: float) -> np.ndarray:
    decided = (doel_proba >= threshold).astype(int)
    for row, probs in zip(decided, doel_proba):
        if not row.any():
            row[int(np.argmax(probs))] = 1
    return decided


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
    from sklearn.metrics import f1_score

    return float(f1_score(list(categories), [classes[i] for i in predicted], average="macro", zero_division=0))


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
    Y = np.zeros((len(texts), len(LABELS)), dtype=int)
    categories = []
    for i, text in enumerate(texts):
        lowered = text.lower()
        for j, concept in enumerate(taxonomy.label_concepts):
            if any(_cue_in(cue, lowered) for cue in concept.cues):
                Y[i, j] = 1
        counts = [sum(_cue_in(cue, lowered) for cue in c.cues) for c in taxonomy.categories]
        best = int(np.argmax(counts))
        categories.append(taxonomy.categories[best].code if counts[best] > 0 else "overig")
    return Y, categories


def cue_counts(texts: Sequence[str], taxonomy: Taxonomy) -> np.ndarray:
    """log(1 + number of a concept's cues in the text), for every label concept and category."""
    concepts = (*taxonomy.label_concepts, *taxonomy.categories)
    out = np.zeros((len(texts), len(concepts)), dtype=np.float32)
    for i, text in enumerate(texts):
        lowered = text.lower()
        for j, concept in enumerate(concepts):
            out[i, j] = np.log1p(sum(_cue_in(cue, lowered) for cue in concept.cues))
    return out


def _cue_in(cue: str, lowered: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(cue), lowered) is not None


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

    examples = load_examples(settings.annotations_dir)
    if len(examples) < 20:
        raise AnnotationError(str(settings.annotations_dir), None, f"only {len(examples)} labelled items")
    taxonomy = load_taxonomy(settings.annotations_dir / "taxonomy.yaml")
    texts = [ex.text for ex in examples]
    embedder = make_embedder(settings, fit_texts=texts)
    classifier = ItemClassifier(embedder, taxonomy, spacy_model=settings.spacy_model, seed=settings.seed)
    classifier.fit(texts, label_matrix(examples), [ex.categorie for ex in examples], [ex.group for ex in examples])
    digest = data_hash(examples)
    fingerprint = digest + embedder.name + taxonomy.version + FIT_METHOD
    version = f"clf-{hashlib.sha256(fingerprint.encode()).hexdigest()[:10]}"
    meta = {
        "version": version,
        "trained_on": date.today().isoformat(),
        "data_hash": digest,
        "examples": len(examples),
        "sources": dict(Counter(ex.source for ex in examples)),
        "embedder_backend": settings.embedder,
        "embedder": embedder.name,
        "spacy_pipeline": spacy_description(settings.spacy_model),
        "taxonomy_version": taxonomy.version,
        "threshold": classifier.threshold_,
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
    retrain = "run `metadossier train` to rebuild it from annotations/"
    try:
        bundle = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - unpickling fails in many ways across versions
        raise ModelNotAvailable(f"{path}: cannot be loaded ({type(exc).__name__}) — {retrain}") from None
    classifier: ItemClassifier = bundle["classifier"]
    meta = bundle["meta"]
    if meta.get("sklearn") != sklearn.__version__:
        raise ModelNotAvailable(
            f"{path} was trained with scikit-learn {meta.get('sklearn')}, this is {sklearn.__version__} — {retrain}"
        )
    if classifier.embedder is None:
        backend = meta["embedder_backend"]
        classifier.embedder = load_embedder(
            backend, model=settings.sentence_transformer_model, cache_dir=settings.cache_dir
        )
        if classifier.embedder.name != meta["embedder"]:
            raise ModelNotAvailable(
                f"models/{MODEL_FILE} was trained with '{meta['embedder']}' but this machine has "
                f"'{classifier.embedder.name}' — run `metadossier train` again"
            )
    return TrainedModel(classifier=classifier, version=meta["version"], meta=meta)


def labeler_from_settings(settings: Settings) -> Any:
    """A function items → labels with the current model, or None when no model exists."""
    model = load_trained(settings)
    if model is None:
        return None

    def label_items(items: Sequence[Item]) -> list[Label]:
        return model.label([it.item_id for it in items], [it.text for it in items])

    return label_items
