"""Classification: items → doelen (multi-label, + algemeen) and one beleidscyclus category.

`ItemClassifier` follows scikit-learn conventions (hyperparameters in __init__, fit /
predict_proba, fitted attributes ending in `_`); the embedder is passed in. Features are
the sentence embedding, lemma TF-IDF and the similarity of the item to every taxonomy
concept. Doelen get sigmoid-calibrated one-vs-rest logistic regressions; the category a
multinomial logistic regression.
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
        for line, obj in read_jsonl(path):
            doelen, algemeen, categorie = _validate_label(obj, path, line)
            text = obj.get("text") or texts.get(obj.get("id", ""))
            if not text:
                raise AnnotationError(str(path), line, f"no text for '{obj.get('id')}' (not in segmentation gold)")
            examples[obj["id"]] = Example(
                id=obj["id"], text=text, doelen=doelen, algemeen=algemeen, categorie=categorie,
                group=obj["id"], section=path.stem.replace("_labels", ""), source=path.stem,
            )
    extra = annotations_dir / "extra" / "rekenkamer_items.jsonl"
    if extra.exists():
        for line, obj in read_jsonl(extra):
            doelen, algemeen, categorie = _validate_label(obj, extra, line)
            examples[obj["id"]] = Example(
                id=obj["id"], text=obj["text"], doelen=doelen, algemeen=algemeen, categorie=categorie,
                group=obj["id"], section="extra", source="extra",
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


class ItemClassifier:
    """Multi-label doelen (+ algemeen) and single-label category for item texts."""

    def __init__(
        self,
        embedder: Embedder,
        taxonomy: Taxonomy,
        *,
        C: float = 0.5,
        tfidf_weight: float = 1.0,
        taxonomy_weight: float = 1.0,
        cue_weight: float = 1.0,
        threshold: float = 0.3,
        spacy_model: str = "nl_core_news_lg",
        seed: int = 13,
    ) -> None:
        self.embedder = embedder
        self.taxonomy = taxonomy
        self.C = C
        self.tfidf_weight = tfidf_weight
        self.taxonomy_weight = taxonomy_weight
        self.cue_weight = cue_weight
        self.threshold = threshold
        self.spacy_model = spacy_model
        self.seed = seed

    # -- features
    def _lemma_texts(self, texts: Sequence[str]) -> list[str]:
        return [" ".join(ls) for ls in lemmatize(texts, self.spacy_model)]

    def _concept_vectors(self) -> np.ndarray:
        concepts = (*self.taxonomy.label_concepts, *self.taxonomy.categories)
        return self.embedder.encode([c.description for c in concepts])

    def _features(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> Any:
        """[embedding | lemma TF-IDF | similarity to each concept | taxonomy cue counts per concept]."""
        from scipy import sparse

        vectors = self.embedder.encode(texts) if embeddings is None else embeddings
        similarity = vectors @ self.concept_vectors_.T
        tfidf = self.tfidf_.transform(self._lemma_texts(texts))
        cues = cue_counts(texts, self.taxonomy)
        return sparse.hstack(
            [
                sparse.csr_matrix(vectors),
                tfidf * self.tfidf_weight,
                sparse.csr_matrix(similarity * self.taxonomy_weight),
                sparse.csr_matrix(cues * self.cue_weight),
            ]
        ).tocsr()

    # -- estimator API
    def fit(self, texts: Sequence[str], Y: np.ndarray, categories: Sequence[str]) -> ItemClassifier:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        self.concept_vectors_ = self._concept_vectors()
        self.tfidf_ = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=20000)
        self.tfidf_.fit(self._lemma_texts(texts))
        X = self._features(texts)
        self.doel_models_: list[Any] = []
        for column in range(Y.shape[1]):
            y = Y[:, column]
            base = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
            positives = int(y.sum())
            if positives >= 6 and len(y) - positives >= 6:
                cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=self.seed)
                model: Any = CalibratedClassifierCV(base, method="sigmoid", cv=cv)
            elif 0 < positives < len(y):
                model = base
            else:
                model = _Constant(float(positives > 0))
            self.doel_models_.append(model.fit(X, y))
        self.category_model_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000)
        self.category_model_.fit(X, list(categories))
        self.classes_ = list(self.category_model_.classes_)
        return self

    def predict_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(doel probabilities n×6 in LABELS order, category probabilities n×k in classes_ order)."""
        if not texts:
            return np.zeros((0, len(LABELS))), np.zeros((0, len(self.classes_)))
        X = self._features(texts)
        doel = np.column_stack([m.predict_proba(X)[:, 1] for m in self.doel_models_])
        return doel, self.category_model_.predict_proba(X)

    def decide(self, doel_proba: np.ndarray) -> np.ndarray:
        """Labels above the threshold; an item always gets at least its most likely label."""
        decided = (doel_proba >= self.threshold).astype(int)
        for row, probs in zip(decided, doel_proba):
            if not row.any():
                row[int(np.argmax(probs))] = 1
        return decided

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        doel, cat = self.predict_proba(texts)
        return self.decide(doel), [self.classes_[i] for i in cat.argmax(axis=1)]


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
    classifier.fit(texts, label_matrix(examples), [ex.categorie for ex in examples])
    digest = data_hash(examples)
    version = f"clf-{hashlib.sha256((digest + embedder.name + taxonomy.version).encode()).hexdigest()[:10]}"
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
        "threshold": classifier.threshold,
        "sklearn": sklearn.__version__,
        "C": classifier.C,
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
