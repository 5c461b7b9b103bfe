"""Guideline-derived training items (annotations/synthetic/): never a test item, never a gold item's copy,
adopted only by the rule of issue 22; and the recall thresholds a doel filter rests on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from pipeline.classify import (
    ItemClassifier,
    keyword_predict,
    label_matrix,
    load_examples,
    load_synthetic_examples,
    make_embedder,
    recall_thresholds,
)
from pipeline.errors import AnnotationError, MetadossierError
from pipeline.evaluate import _out_of_fold, cross_validate, learning_curve, outer_splits, synthetic_verdict
from pipeline.settings import Settings
from pipeline.synthetic import MAX_GOLD_OVERLAP, load_synthetic, too_close_to_gold
from pipeline.taxonomy import load_taxonomy

from .conftest import ANNOTATIONS


@pytest.fixture(scope="module")
def real() -> list[Any]:
    return load_examples(ANNOTATIONS)


@pytest.fixture(scope="module")
def synthetic() -> list[Any]:
    return load_synthetic_examples(ANNOTATIONS)


class Recording:
    """Predicts with the taxonomy's keyword rules (real scores); remembers every text it was fitted on and asked
    to predict, and which of its training rows it was told are synthetic."""

    fits: list[tuple[set[str], set[str]]] = []
    predicted: list[set[str]] = []

    def fit(self, texts: list[str], Y: Any, cats: list[str], groups: list[str],
            synthetic: list[bool] | None = None) -> Recording:
        flags = synthetic or [False] * len(texts)
        self.trained = set(texts)
        Recording.fits.append(({t for t, f in zip(texts, flags) if not f}, {t for t, f in zip(texts, flags) if f}))
        return self

    def predict(self, texts: list[str]) -> Any:
        Recording.predicted.append(set(texts))
        return keyword_predict(texts, load_taxonomy(ANNOTATIONS / "taxonomy.yaml"))


@pytest.fixture
def recording() -> type[Recording]:
    Recording.fits, Recording.predicted = [], []
    return Recording


# ---------------------------------------------------------------- the committed files


def test_the_committed_synthetic_items_are_many_and_marked() -> None:
    items = load_synthetic(ANNOTATIONS)
    assert len(items) >= 1500
    assert len({i.writer for i in items}) >= 4, "several writers, so the set is not one voice"
    assert all(i.angle for i in items)


def test_no_synthetic_item_overlaps_a_gold_item(real: list[Any]) -> None:
    """Issue 22: a synthetic item sharing ≥ 60 % of its content words with a real item would be a paraphrase."""
    items = load_synthetic(ANNOTATIONS)
    close = too_close_to_gold(items, [ex.text for ex in real])
    assert not close, [(item.id, round(share, 2)) for item, _, share in close[:5]]
    assert not {i.id for i in items} & {ex.id for ex in real}


def test_the_overlap_check_catches_a_reworded_gold_item(real: list[Any], scratch_annotations: Path) -> None:
    gold = next(ex for ex in real if len(ex.text.split()) > 20)
    words = gold.text.split()
    reworded = " ".join(words[:-3] + ["en", "verder", "ook"])
    (scratch_annotations / "synthetic" / "copy.jsonl").write_text(json.dumps({
        "id": "syn-copy-1", "synthetic": True, "writer": "copy", "angle": "a copy", "type": "aanbeveling",
        "text": reworded, "doelen": list(gold.doelen), "algemeen": gold.algemeen, "categorie": gold.categorie,
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    copies = [i for i in load_synthetic(scratch_annotations) if i.id == "syn-copy-1"]
    [(item, text, share)] = too_close_to_gold(copies, [ex.text for ex in real])
    assert text == gold.text and share >= MAX_GOLD_OVERLAP


def test_a_line_not_marked_synthetic_names_its_file_and_line(scratch_annotations: Path) -> None:
    (scratch_annotations / "synthetic" / "bad.jsonl").write_text(
        '{"id": "x", "writer": "w", "angle": "a", "type": "aanbeveling", "text": "t", "doelen": [], '
        '"algemeen": true, "categorie": "overig"}\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"bad\.jsonl.*1.*synthetic"):
        load_synthetic_examples(scratch_annotations)


# ---------------------------------------------------------------- only ever training data


def test_no_synthetic_item_ever_lands_in_a_test_fold(real: list[Any], synthetic: list[Any],
                                                     recording: type[Recording]) -> None:
    """Both splits of `evaluate classification`: the folds are those over real items alone, every synthetic item
    is in every training fold (flagged as synthetic) and none is ever predicted."""
    synthetic_texts = {ex.text for ex in synthetic}
    real_texts = {ex.text for ex in real}
    for split in ("group", "section"):
        recording.fits, recording.predicted = [], []
        result = cross_validate(real, Settings(), "use-multilingual", split, synthetic=synthetic,
                                make_classifier=recording)
        folds = outer_splits(real, split)
        assert result["folds"] == len(folds) and result["synthetic_items"] == len(synthetic)
        assert len(recording.fits) == 2 * len(folds)  # without, then with the synthetic items
        for predicted in recording.predicted:
            assert predicted <= real_texts and not predicted & synthetic_texts
        assert [p for p in recording.predicted[: len(folds)]] == recording.predicted[len(folds):]
        for (real_part, flagged), (train_idx, _) in zip(recording.fits[len(folds):], folds):
            assert flagged == synthetic_texts and real_part == {real[i].text for i in train_idx}
        assert all(not flagged for _, flagged in recording.fits[: len(folds)])
        assert result["with_synthetic"]["doelen"]["micro_f1"] == result["doelen"]["micro_f1"]  # rules do not learn


def test_a_synthetic_item_passed_as_a_test_item_is_refused(real: list[Any], synthetic: list[Any]) -> None:
    mixed = [*real[:40], *synthetic[:5]]
    with pytest.raises(MetadossierError, match="alleen trainingsdata"):
        _out_of_fold(mixed, [(np.arange(30), np.arange(30, 45))], Recording)


def test_the_learning_curve_adds_synthetic_items_to_training_folds_only(real: list[Any], synthetic: list[Any],
                                                                       recording: type[Recording]) -> None:
    result = learning_curve(real, Settings(), fractions=(1.0,), make_classifier=recording, synthetic=synthetic,
                            synthetic_counts=(50, 100))
    folds = result["folds"]
    assert [r["synthetic"] for r in result["synthetic_rows"]] == [50, 100]
    fits = recording.fits
    assert len(fits) == 3 * folds
    flagged = [f for _, f in fits]
    assert all(not f for f in flagged[:folds])
    assert all(len(f) == 50 for f in flagged[folds: 2 * folds]) and all(len(f) == 100 for f in flagged[2 * folds:])
    assert flagged[folds] < flagged[2 * folds], "the larger count holds the smaller one"
    synthetic_texts = {ex.text for ex in synthetic}
    assert all(not p & synthetic_texts for p in recording.predicted)
    again = learning_curve(real, Settings(), fractions=(1.0,), make_classifier=recording, synthetic=synthetic,
                           synthetic_counts=(50,))
    assert recording.fits[-1][1] == flagged[folds], "the draw is seeded"
    assert again["synthetic_rows"][0]["doelen_micro_f1"] == result["synthetic_rows"][0]["doelen_micro_f1"]


class PredictionRecording(ItemClassifier):
    """The real classifier, remembering every text it predicts, inside fit (inner folds) and after."""

    def _predict_views(self, fitted: Any, vectorizers: Any, inputs: Any) -> Any:
        self.predicted_texts = [*getattr(self, "predicted_texts", []), *inputs.texts]
        return super()._predict_views(fitted, vectorizers, inputs)


def test_the_classifier_chooses_everything_on_real_items_only(real: list[Any], synthetic: list[Any]) -> None:
    """Inside fit the synthetic rows join the inner training folds and are never predicted; their weight is chosen
    from the grid on real out-of-fold scores, and fitting twice gives the same model."""
    rng = np.random.RandomState(0)
    sample = [real[i] for i in sorted(rng.choice(len(real), 120, replace=False))]
    extra = synthetic[:60]
    rows = [*sample, *extra]
    settings = Settings()
    embedder = make_embedder(settings)
    taxonomy = load_taxonomy(ANNOTATIONS / "taxonomy.yaml")

    def fitted() -> PredictionRecording:
        clf = PredictionRecording(embedder, taxonomy, inner_folds=3, synthetic_weights=(0.5, 1.0),
                                  embedding_weights=(0.5,), seed=settings.seed)
        return clf.fit([ex.text for ex in rows], label_matrix(rows), [ex.categorie for ex in rows],
                       [ex.group for ex in rows], synthetic=[ex.synthetic for ex in rows])

    clf = fitted()
    predicted = clf.predicted_texts
    assert not set(predicted) & {ex.text for ex in extra}
    assert sorted(predicted) == sorted([ex.text for ex in sample] * 2), "each real item once per weight tried"
    assert clf.synthetic_weight_ in (0.5, 1.0)
    assert np.all(clf.recall_thresholds_ <= clf.thresholds_[: len(clf.recall_thresholds_)])
    texts = ["Zorg dat jeugdprofessionals minder tijd kwijt zijn aan registratie.", "Betrek het sociale netwerk."]
    assert np.allclose(clf.predict_proba(texts)[0], fitted().predict_proba(texts)[0])
    with pytest.raises(AnnotationError, match="alleen synthetische items"):
        ItemClassifier(embedder, taxonomy).fit([ex.text for ex in extra], label_matrix(extra),
                                               [ex.categorie for ex in extra], synthetic=[True] * len(extra))


# ---------------------------------------------------------------- the rule for adopting them


def _split(micro: float, cat: float, with_micro: float, with_cat: float) -> dict[str, Any]:
    return {"doelen": {"micro_f1": micro}, "categorie": {"macro_f1": cat},
            "with_synthetic": {"doelen": {"micro_f1": with_micro}, "categorie": {"macro_f1": with_cat}}}


def test_synthetic_items_are_adopted_only_when_they_earn_it() -> None:
    assert synthetic_verdict(_split(0.72, 0.61, 0.75, 0.62), _split(0.70, 0.51, 0.70, 0.52))["adopt"]
    too_little = synthetic_verdict(_split(0.72, 0.61, 0.735, 0.62), _split(0.70, 0.51, 0.71, 0.52))
    assert not too_little["adopt"] and "needs +0.02" in too_little["reason"]
    section_lower = synthetic_verdict(_split(0.72, 0.61, 0.80, 0.62), _split(0.70, 0.51, 0.69, 0.52))
    assert not section_lower["adopt"] and "section split 0.700 → 0.690 (lower)" in section_lower["reason"]
    category_lower = synthetic_verdict(_split(0.72, 0.61, 0.80, 0.60), _split(0.70, 0.51, 0.75, 0.52))
    assert not category_lower["adopt"] and "categorie macro-F1, group split" in category_lower["reason"]


# ---------------------------------------------------------------- recall thresholds


def test_recall_threshold_keeps_the_target_share_of_each_doels_items() -> None:
    proba = np.array([[0.9, 0.1], [0.8, 0.05], [0.3, 0.6], [0.2, 0.02], [0.1, 0.5], [0.05, 0.4]])
    Y = np.array([[1, 0], [1, 0], [1, 1], [1, 0], [0, 1], [0, 0]])
    thresholds = recall_thresholds(proba, Y, 0.75, ceiling=0.45)
    assert thresholds[0] == 0.3  # three of the four positives lie at or above it
    assert thresholds[1] == 0.45  # both positives lie above the decision threshold: never raised above it
    assert ((proba[:, 0] >= thresholds[0]) & (Y[:, 0] == 1)).sum() / Y[:, 0].sum() >= 0.75
    assert np.array_equal(recall_thresholds(proba, np.zeros_like(Y), 0.9, 0.45), [0.45, 0.45])


def test_doel_filter_shows_mogelijk_items_and_marks_them(labelled_store: Settings, tmp_path: Path) -> None:
    """Below the decision threshold but above the doel's recall threshold: found by the filter, marked mogelijk
    (library, CLI table and jsonl); a person's or the gold's label is never widened."""
    from pipeline.cli import main
    from pipeline.explore import Explorer, SearchFilters

    models = tmp_path / "models"
    models.mkdir()
    (models / "classifier.json").write_text(json.dumps({"recall_thresholds": {"D2": 0.1}}), encoding="utf-8")
    plain = Explorer(labelled_store.replace(models_dir=tmp_path / "none"))
    widened = Explorer(labelled_store.replace(models_dir=models))
    records = widened.records()
    expected_mogelijk = {r["id"] for r in records if r["label_source"] == "model" and "D2" not in r["doelen"]
                         and r["scores"].get("D2", 0) >= 0.1}
    assert expected_mogelijk, "the labelled corpus has items just below the decision threshold for D2"
    decided = {h.item["id"] for h in plain.search("", plain_filters(), limit=10_000)}
    hits = widened.search("", plain_filters(), limit=10_000)
    assert {h.item["id"] for h in hits} == decided | expected_mogelijk
    assert {h.item["id"] for h in hits if h.doelen_mogelijk} == expected_mogelijk
    assert all(h.doelen_mogelijk == ("D2",) for h in hits if h.item["id"] in expected_mogelijk)
    flags = [bool(h.doelen_mogelijk) for h in hits]
    assert flags == sorted(flags), "without a query the items that carry the doel come first"
    assert not [h for h in plain.search("", plain_filters(), limit=10_000) if h.doelen_mogelijk]

    env = {"METADOSSIER_MODELS": str(models), "METADOSSIER_ANNOTATIONS": str(labelled_store.annotations_dir),
           "METADOSSIER_CACHE": str(labelled_store.cache_dir)}
    result = CliRunner().invoke(main, ["search", "--db", str(labelled_store.db_path), "--doel", "D2", "--limit",
                                       "1000", "--format", "jsonl"], env=env)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    primary = {h.item["id"] for h in widened.search("", SearchFilters(doelen=("D2",)), limit=10_000)}
    assert {r["id"] for r in rows if r["mogelijk"] == "D2"} == expected_mogelijk & primary
    table = CliRunner().invoke(main, ["search", "--db", str(labelled_store.db_path), "--doel", "D2", "--limit",
                                      "1000"], env=env)
    assert "(D2 mogelijk)" in table.stdout


def plain_filters() -> Any:
    """D2, among every kind of source (the default leaves out e.g. the NJi synthesis)."""
    from pipeline.explore import SearchFilters
    from pipeline.records import SOURCE_KINDS

    return SearchFilters(doelen=("D2",), source_kinds=SOURCE_KINDS)
