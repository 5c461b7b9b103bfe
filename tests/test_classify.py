"""Taxonomy, gold derivation, Dutch lemmas, the classifier and its batch use."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from pipeline.annotations import read_jsonl
from pipeline.batch import reclassify
from pipeline.classify import (
    ItemClassifier,
    TrainedModel,
    keyword_predict,
    label_matrix,
    load_examples,
    load_trained,
    make_embedder,
    train,
)
from pipeline.cli import main
from pipeline.errors import AnnotationError, MetadossierError
from pipeline.evaluate import classification_scores
from pipeline.human_labels import add_human_label
from pipeline.models import lemmatize
from pipeline.records import Label
from pipeline.settings import PROJECT_ROOT, Settings
from pipeline.store import Store
from pipeline.taxonomy import CATEGORIES, DOELEN, load_taxonomy

from .conftest import ANNOTATIONS, require_optional


def annotation_rows(relative: str) -> list[dict[str, Any]]:
    """Every record of a gold file under annotations/, read as load_examples reads it."""
    return [obj for _, obj in read_jsonl(ANNOTATIONS / relative)]

NJI_SOURCE = PROJECT_ROOT / "corpus" / "sources" / "nji_synthese_metadossier.txt"


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, TrainedModel]:
    """A model trained from annotations/ into a temporary models dir (the committed one is not touched). On the
    real items only, which takes seconds rather than minutes; fitting with synthetic items is tested, determinism
    included, in test_synthetic.py."""
    models = tmp_path_factory.mktemp("models")
    settings = Settings(models_dir=models, synthetic_training=False)
    return settings, train(settings)


# ---------------------------------------------------------------- taxonomy and gold


def test_taxonomy_has_the_five_doelen_and_the_fourteen_categories() -> None:
    taxonomy = load_taxonomy(ANNOTATIONS / "taxonomy.yaml")
    assert [c.code for c in taxonomy.doelen] == list(DOELEN)
    assert [c.code for c in taxonomy.categories] == list(CATEGORIES)
    for concept in (*taxonomy.label_concepts, *taxonomy.categories):
        assert concept.definition, concept.code
        assert concept.cues or concept.code == "overig", concept.code


def test_malformed_taxonomy_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "taxonomy.yaml"
    broken.write_text("doelen: [D1, D2]\n")
    with pytest.raises(AnnotationError, match="taxonomy.yaml: 'doelen' moet precies D1.* — verbeter dit"):
        load_taxonomy(broken)


def test_nji_gold_has_every_section_of_the_synthesis() -> None:
    source = NJI_SOURCE.read_text(encoding="utf-8")
    numbers = set(re.findall(r"^([1-6]\.[1-9]) \S", source, flags=re.MULTILINE))
    rows = annotation_rows("nji_synthesis.jsonl")
    gold_numbers = {row["section"].split()[0] for row in rows}
    assert numbers <= gold_numbers, sorted(numbers - gold_numbers)
    assert {row["chapter"] for row in rows} == {1, 2, 3, 4, 5, 6}
    assert {row["kind"] for row in rows} == {"aanbeveling", "goede praktijk", "citaat"}
    for row in rows:
        assert row["categorie"] in CATEGORIES
        assert set(row["doelen"]) <= set(DOELEN)


def test_nji_gold_derivation_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "nji.jsonl"
    subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "derive_nji_gold.py"), "--output", str(out)],
                   check=True, capture_output=True)
    assert out.read_text(encoding="utf-8") == (ANNOTATIONS / "nji_synthesis.jsonl").read_text(encoding="utf-8")


def test_recurring_bullets_share_a_group_across_chapters() -> None:
    rows = annotation_rows("nji_synthesis.jsonl")
    smart = [r for r in rows if r["text"].startswith("Maak de doelen SMART")]
    assert len(smart) >= 2 and len({r["group"] for r in smart}) == 1
    assert len({r["chapter"] for r in smart}) >= 2


def test_training_examples_cover_all_sources() -> None:
    examples = load_examples(ANNOTATIONS)
    sources = {ex.source for ex in examples}
    assert {"nji", "raalte_2019_labels", "extra"} <= sources
    assert len({ex.id for ex in examples}) == len(examples)


def test_sentences_of_one_report_never_sit_on_both_sides_of_a_split() -> None:
    """Web items are grouped by report (rekenkamer, year), report gold by its file: a fold holds all of a report or none."""
    from sklearn.model_selection import GroupKFold

    rows = annotation_rows("extra/rekenkamer_items.jsonl")
    almere = {r["id"] for r in rows if r["rekenkamer"].startswith("Rekenkamer Almere") and r["year"] == 2021}
    assert len(almere) >= 2
    examples = load_examples(ANNOTATIONS)
    groups = [ex.group for ex in examples]
    assert len({ex.group for ex in examples if ex.id in almere}) == 1
    raalte = {ex.id for ex in examples if ex.source == "raalte_2019_labels"}
    assert len(raalte) == 11
    for _, test_idx in GroupKFold(n_splits=5).split(groups, groups=groups):
        held_out = {examples[i].id for i in test_idx}
        assert almere <= held_out or not almere & held_out
        assert raalte <= held_out or not raalte & held_out


def test_learning_curve_keeps_the_test_folds_and_drops_whole_groups() -> None:
    """Each share trains on whole groups of its outer training fold only, and more share means more items."""
    from pipeline.evaluate import learning_curve

    examples = load_examples(ANNOTATIONS)
    group_of = {ex.text: ex.group for ex in examples}
    fits: list[tuple[set[str], set[str]]] = []

    class Recording:
        """Predicts with the taxonomy's keyword rules, so the scores are real; remembers what it was fitted on."""

        def fit(self, texts: list[str], Y: Any, cats: list[str], groups: list[str],
                synthetic: list[bool] | None = None) -> Recording:
            assert not any(synthetic or []), "no synthetic items were given"
            self.trained = set(texts)
            fits.append((self.trained, set(groups)))
            return self

        def predict(self, texts: list[str]) -> Any:
            assert not self.trained & set(texts), "a test item was trained on"
            return keyword_predict(texts, load_taxonomy(ANNOTATIONS / "taxonomy.yaml"))

    result = learning_curve(examples, Settings(), fractions=(0.5, 1.0), repeats=2, make_classifier=Recording)
    half, full = result["rows"]
    assert len(half["runs"]) == 2 and len(full["runs"]) == 1 and len(fits) == 3 * result["folds"]
    assert 0.4 * full["training_items"] < half["training_items"] < 0.6 * full["training_items"]
    all_texts_of = {}
    for ex in examples:
        all_texts_of.setdefault(ex.group, set()).add(ex.text)
    for trained, groups in fits:
        assert {group_of[t] for t in trained} == groups
        assert all(all_texts_of[g] <= trained for g in groups), "a group was split"
    assert half["doelen_micro_f1"] == full["doelen_micro_f1"]  # the keyword rules do not learn


def test_a_bullet_is_read_with_its_lead_in() -> None:
    """GUIDELINES 1: a web bullet with a `stem` is labelled, and so must be classified, together with it."""
    rows = annotation_rows("extra/rekenkamer_items.jsonl")
    with_stem = [r for r in rows if r.get("stem")]
    assert with_stem
    examples = {ex.id: ex for ex in load_examples(ANNOTATIONS)}
    for row in with_stem:
        assert examples[row["id"]].text == f"{row['stem']} {row['text']}"


def test_evaluation_records_a_backend_whose_model_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --backend every installed backend is compared; one that cannot load is listed, not fatal."""
    import pipeline.evaluate as evaluate
    import pipeline.models as models

    def scores_if_it_loads(examples, settings, backend, split, folds=5, synthetic=()):  # type: ignore[no-untyped-def]
        make_embedder(settings.replace(embedder=backend), fit_texts=[ex.text for ex in examples])
        return {"backend": backend, "split": split}

    monkeypatch.setattr(models, "available_backends", lambda: ["sentence-transformers", "lsa"])
    monkeypatch.setattr(evaluate, "cross_validate", scores_if_it_loads)
    settings = Settings(sentence_transformer_model="/nonexistent/model-folder")
    if importlib.util.find_spec("sentence_transformers") is None:
        require_optional("sentence-transformers is not installed (.ci/run installs it)")
    result = evaluate.evaluate_classification(settings)
    assert list(result["by_backend"]) == ["lsa"]
    assert "/nonexistent/model-folder" in result["skipped_backends"]["sentence-transformers"]
    with pytest.raises(MetadossierError, match="nonexistent"):
        evaluate.evaluate_classification(settings, ["sentence-transformers"])


def test_malformed_human_label_file_names_the_line(scratch_annotations: Path) -> None:
    (scratch_annotations / "human_labels.jsonl").write_text(
        '{"item_id": "x", "text": "t", "doelen": ["D9"], "algemeen": false, "categorie": "toegang"}\n'
    )
    with pytest.raises(AnnotationError, match=r"human_labels.jsonl:1: 'doelen' moet een lijst zijn van D1"):
        load_examples(scratch_annotations)


# ---------------------------------------------------------------- Dutch text processing


def test_lemma_exceptions_fix_common_domain_words() -> None:
    lemmas = lemmatize(["De gemeenten hebben doelen voor kinderen en jongeren, en de raad heeft wachtlijsten."])[0]
    for expected in ("gemeente", "doel", "kind", "jongere", "hebben", "wachtlijst"):
        assert expected in lemmas
    for wrong in ("gemeenten", "doelen", "kinderen", "jongeren", "heeft"):
        assert wrong not in lemmas


def test_info_reports_the_spacy_pipeline() -> None:
    result = CliRunner().invoke(main, ["info", "--db", "/nonexistent/x.sqlite"])
    assert result.exit_code == 0
    assert re.search(r"spaCy-pijplijn: (nl_core_news_lg-|blank:nl\+lookup-lemmatizer)", result.stdout)


# ---------------------------------------------------------------- the classifier


def test_model_beats_the_baselines_on_a_held_out_fold() -> None:
    """On unseen recurrence groups: doelen above majority and zero-shot, category above the keyword rules."""
    from sklearn.model_selection import GroupKFold

    from pipeline.classify import zero_shot_predict

    settings = Settings()
    examples = load_examples(ANNOTATIONS)
    texts = [ex.text for ex in examples]
    Y = label_matrix(examples)
    cats = [ex.categorie for ex in examples]
    train_idx, test_idx = next(GroupKFold(n_splits=4).split(texts, Y, [ex.group for ex in examples]))
    taxonomy = load_taxonomy(ANNOTATIONS / "taxonomy.yaml")
    embedder = make_embedder(settings)
    clf = ItemClassifier(embedder, taxonomy, seed=settings.seed)
    clf.fit([texts[i] for i in train_idx], Y[train_idx], [cats[i] for i in train_idx])
    test_texts = [texts[i] for i in test_idx]
    true_cat = [cats[i] for i in test_idx]
    pred_Y, pred_cat = clf.predict(test_texts)
    model = classification_scores(Y[test_idx], pred_Y, true_cat, pred_cat)
    kw_Y, kw_cat = keyword_predict(test_texts, taxonomy)
    keyword = classification_scores(Y[test_idx], kw_Y, true_cat, kw_cat)
    concepts = (*taxonomy.label_concepts, *taxonomy.categories)
    zs_Y, zs_cat = zero_shot_predict(embedder.encode(test_texts), embedder.encode([c.description for c in concepts]),
                                     taxonomy)
    zero_shot = classification_scores(Y[test_idx], zs_Y, true_cat, zs_cat)
    assert model["doelen"]["micro_f1"] > zero_shot["doelen"]["micro_f1"] + 0.1
    assert model["doelen"]["micro_f1"] > 0.6  # the majority label set (no doel) scores 0
    assert model["categorie"]["accuracy"] > keyword["categorie"]["accuracy"]
    assert model["categorie"]["macro_f1"] > keyword["categorie"]["macro_f1"]


def test_category_offsets_give_an_underpredicted_class_its_share_and_leave_a_perfect_argmax_alone() -> None:
    """A class that is always the runner-up is never predicted; its offset makes it predicted, scores stay a distribution."""
    from pipeline.classify import macro_f1_offsets, shift_priors

    classes = ["a", "b", "c"]
    truth = ["a"] * 6 + ["b"] * 3 + ["c"] * 3
    proba = np.array([[0.6, 0.3, 0.1]] * 6 + [[0.5, 0.4, 0.1]] * 3 + [[0.1, 0.2, 0.7]] * 3)
    assert "b" not in {classes[i] for i in proba.argmax(axis=1)}
    offsets = macro_f1_offsets(proba, truth, classes)
    shifted = shift_priors(proba, offsets)
    assert [classes[i] for i in shifted.argmax(axis=1)] == truth
    assert np.allclose(shifted.sum(axis=1), 1.0)
    assert np.array_equal(macro_f1_offsets(shifted, truth, classes), np.zeros(3))


def test_each_doel_gets_its_own_threshold_and_no_label_is_forced_unless_chosen() -> None:
    """A doel whose items score lower than the others' gets a lower threshold; the algemeen column keeps the common
    one; without the at-least-one rule an item whose labels all fall below stays without a label."""
    from pipeline.classify import _decide, per_label_thresholds

    grid = (0.2, 0.3, 0.4, 0.5, 0.6)
    # D1's items sit at 0.35, its non-items at 0.1; every other doel separates at 0.5.
    proba = np.array([[0.35, 0.1, 0.1, 0.1, 0.1, 0.1]] * 4 + [[0.1, 0.7, 0.1, 0.1, 0.1, 0.1]] * 4
                     + [[0.1, 0.3, 0.1, 0.1, 0.1, 0.1]] * 4)
    Y = np.array([[1, 0, 0, 0, 0, 0]] * 4 + [[0, 1, 0, 0, 0, 0]] * 4 + [[0, 0, 0, 0, 0, 0]] * 4)
    thresholds = per_label_thresholds(proba, Y, 0.5, grid, at_least_one=False)
    assert thresholds[0] <= 0.35 < 0.5 == thresholds[5]
    assert thresholds[1] > 0.3
    decided = _decide(proba, thresholds, at_least_one=False)
    assert np.array_equal(decided[:, :5], Y[:, :5])
    assert not _decide(proba[8:], thresholds, at_least_one=False).any()
    assert _decide(proba[8:], thresholds, at_least_one=True).sum(axis=1).tolist() == [1] * 4


def test_training_is_deterministic(tmp_path: Path, trained: tuple[Settings, TrainedModel]) -> None:
    settings, first = trained
    again = train(settings.replace(models_dir=tmp_path))
    assert again.version == first.version
    texts = ["Verlaag de administratieve lasten voor zorgaanbieders.", "Informeer de raad over wachtlijsten."]
    a_doel, a_cat = first.classifier.predict_proba(texts)
    b_doel, b_cat = again.classifier.predict_proba(texts)
    assert np.allclose(a_doel, b_doel) and np.allclose(a_cat, b_cat)


def test_saved_model_loads_and_labels(trained: tuple[Settings, TrainedModel]) -> None:
    settings, model = trained
    loaded = load_trained(settings)
    assert loaded is not None and loaded.version == model.version
    [label] = loaded.label(["x"], ["Verminder de regeldruk en administratieve lasten voor jeugdprofessionals."])
    assert "D2" in label.doelen
    assert label.categorie == "professionals_en_regeldruk"
    assert set(label.scores) == {*DOELEN, "algemeen"} and all(0 <= p <= 1 for p in label.scores.values())
    assert (settings.models_dir / "classifier.json").exists()
    assert set(json.loads((settings.models_dir / "classifier.json").read_text())["category_offsets"]) <= set(CATEGORIES)


def test_classify_command_skips_malformed_lines(tmp_path: Path, trained: tuple[Settings, TrainedModel]) -> None:
    settings, model = trained
    source = tmp_path / "items.jsonl"
    source.write_text(
        '{"id": "a", "text": "Zorg voor voldoende preventieve voorzieningen op scholen."}\n'
        "this is not json\n"
        '{"id": "b"}\n'
        '{"id": "c", "text": "De raad wordt onvoldoende geïnformeerd over de resultaten."}\n'
    )
    out = tmp_path / "preds.jsonl"
    result = CliRunner().invoke(main, ["classify", "--input", str(source), "--output", str(out)],
                                env={"METADOSSIER_MODELS": str(settings.models_dir)})
    assert result.exit_code == 1
    assert f"{source}:2: geen geldige JSON" in result.stderr
    assert f"{source}:3: verwacht een object" in result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "c"]
    for row in rows:
        assert set(row) >= {"id", "doelen", "algemeen", "scores", "categorie", "categorie_scores", "model_version"}
        assert row["model_version"] == model.version


def test_reclassify_keeps_earlier_labels_and_reports_flips(
    scratch_annotations: Path,
    tmp_path: Path, corpus_store: Path, trained: tuple[Settings, TrainedModel]
) -> None:
    settings, model = trained
    db = tmp_path / "store.sqlite"
    with Store(corpus_store) as src:
        src.conn.execute("PRAGMA wal_checkpoint(FULL)")
    shutil.copy(corpus_store, db)
    settings = settings.replace(annotations_dir=scratch_annotations)
    with Store(db) as store:
        first = reclassify(settings, store)
        n_items = store.counts()["items"]
        assert first["items"] == sum(n_items.values())
        assert first["newly_labelled"] == first["items"] and first["flipped"] == []
        second = reclassify(settings, store)
        assert second["flipped"] == []
        history = [r for r in store.label_history("raalte_2019:A1") if r["source"] == "model"]
        assert len(history) == 2 and sum(r["current"] for r in history) == 1
        assert {r["model_version"] for r in history} == {model.version}
        # The item's gold label stays the one in force.
        assert store.current_labels(["raalte_2019:A1"])["raalte_2019:A1"]["source"] == "gold"


def test_human_label_overrides_model_and_is_appended(
    scratch_annotations: Path,
    tmp_path: Path, corpus_store: Path, trained: tuple[Settings, TrainedModel]
) -> None:
    settings, _ = trained
    db = tmp_path / "store.sqlite"
    shutil.copy(corpus_store, db)
    settings = settings.replace(annotations_dir=scratch_annotations)
    with Store(db) as store:
        reclassify(settings, store)
        add_human_label(scratch_annotations, store, "raalte_2019:A1", doelen=["D1", "D5"], algemeen=False,
                        categorie="financien_en_budget", who="tester")
        label = store.current_labels(["raalte_2019:A1"])["raalte_2019:A1"]
        assert label["source"] == "human" and label["doelen"] == ["D1", "D5"]
        with pytest.raises(MetadossierError, match="onbekende categorie 'nope' — kies uit"):
            add_human_label(scratch_annotations, store, "raalte_2019:A1", doelen=["D1"], algemeen=False,
                            categorie="nope", who="tester")
        # A later reclassify does not undo the person's label.
        reclassify(settings, store)
        assert store.current_labels(["raalte_2019:A1"])["raalte_2019:A1"]["source"] == "human"
    lines = (scratch_annotations / "human_labels.jsonl").read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["who"] == "tester"
    # The next training run uses it.
    assert any(ex.source == "human" and ex.id == "raalte_2019:A1" for ex in load_examples(scratch_annotations))


def test_a_fresh_store_shows_the_gold_labels_of_the_bundled_reports(corpus_store: Path) -> None:
    """Items an annotator labelled are shown with that label, not the model's guess (corpus_store
    is ingested without a model)."""
    with Store(corpus_store) as store:
        labels = store.current_labels()
        stored = {r["id"] for r in store.items()}
    gold = {obj["id"]: obj for name in ("raalte_2019", "scriptie_sturing_toegang", "vws_nader_onderzoek_toegang")
            for obj in annotation_rows(f"labels/{name}_labels.jsonl")}
    for item_id in gold.keys() & stored:
        label, obj = labels[item_id], gold[item_id]
        assert (label["source"], label["doelen"], label["algemeen"], label["categorie"]) == (
            "gold", sorted(obj["doelen"]), obj["algemeen"], obj["categorie"]), item_id
    # The thesis's recommendations for further research are labelled text, but no longer stored items.
    assert gold.keys() - stored == {f"scriptie_sturing_toegang:A{n}" for n in range(3, 8)}
    assert all(labels.get(i, {}).get("source") != "gold" for i in stored - gold.keys())


def test_ingest_applies_human_over_gold_over_model_and_only_to_the_labelled_text(
    scratch_annotations: Path,
    tmp_path: Path, corpus_pdf: Path, trained: tuple[Settings, TrainedModel]
) -> None:
    from pipeline.classify import labeler_from_settings
    from pipeline.ingest import ingest

    settings, _ = trained
    settings = settings.replace(annotations_dir=scratch_annotations, db_path=tmp_path / "store.sqlite")
    (scratch_annotations / "human_labels.jsonl").write_text(json.dumps(
        {"item_id": "raalte_2019:A1", "doelen": ["D2"], "algemeen": False, "categorie": "overig", "who": "tester"}) + "\n")
    # After a change of segmenter the item numbered C2 would be another passage: its gold must not follow the number.
    segmentation = scratch_annotations / "segmentation" / "raalte_2019.jsonl"
    rows = [obj for _, obj in read_jsonl(segmentation)]
    for obj in rows:
        if obj["id"] == "raalte_2019:C2":
            obj["text"] = "Een heel andere passage over de inkoop van jeugdhulp bij regionale aanbieders."
    segmentation.write_text("".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in rows))
    with Store(settings.db_path) as store:
        summary = ingest([corpus_pdf], store, settings, labeler=labeler_from_settings(settings))
        assert summary.ok, summary.failures
        labels = store.current_labels()
        history = store.label_history("raalte_2019:A1")
    assert (labels["raalte_2019:A1"]["source"], labels["raalte_2019:A1"]["doelen"]) == ("human", ["D2"])
    assert {r["source"] for r in history} == {"model", "human"}
    assert labels["raalte_2019:C2"]["source"] == "model"
    assert labels["raalte_2019:C1"]["source"] == "gold"
    with Store(settings.db_path) as store:
        store.add_labels([Label(item_id="raalte_2019:A1", doelen=("D1",), algemeen=False, categorie="toegang",
                                source="gold")])
        assert store.current_labels(["raalte_2019:A1"])["raalte_2019:A1"]["source"] == "human"


def test_a_malformed_label_file_stops_ingest_before_anything_is_stored(scratch_annotations: Path, tmp_path: Path, corpus_pdf: Path) -> None:
    from pipeline.ingest import ingest

    (scratch_annotations / "human_labels.jsonl").write_text('{"item_id": "raalte_2019:A1", "doelen": "D1"}\n')
    settings = Settings(annotations_dir=scratch_annotations, db_path=tmp_path / "store.sqlite")
    with Store(settings.db_path) as store:
        with pytest.raises(AnnotationError, match=r"human_labels.jsonl:1: 'doelen' moet een lijst zijn"):
            ingest([corpus_pdf], store, settings)
        assert store.report_ids() == []


# ---------------------------------------------------------------- double annotation


def test_the_gold_is_the_adjudicated_label_wherever_the_two_annotators_differed() -> None:
    """annotations/agreement/ and the gold files must tell one story: agreed → that label, differed → the ruling."""
    gold = {ex.id: ex for ex in load_examples(ANNOTATIONS)}
    rows = annotation_rows("agreement/double_annotation.jsonl")
    assert len(rows) >= 369
    differed = 0
    for row in rows:
        expected = row["adjudicated"] or row["first"]
        if row["adjudicated"] is None:
            assert (sorted(row["first"]["doelen"]), row["first"]["algemeen"], row["first"]["categorie"]) == (
                sorted(row["second"]["doelen"]), row["second"]["algemeen"], row["second"]["categorie"]), row["id"]
        else:
            differed += 1
        ex = gold[row["id"]]
        assert (list(ex.doelen), ex.algemeen, ex.categorie) == (
            sorted(expected["doelen"]), expected["algemeen"], expected["categorie"]), row["id"]
    assert differed > 0


def test_agreement_is_measured_before_adjudication_and_a_bad_line_is_named(scratch_annotations: Path) -> None:
    result = CliRunner().invoke(main, ["evaluate", "agreement", "--json"])
    assert result.exit_code == 0, result.output
    agreement = json.loads(result.output)
    every = agreement["all"]
    assert every["items"] >= 369 and agreement["disagreements"] == agreement["adjudicated"] > 0
    # Before adjudication the annotators differ, so agreement is high but below 1.
    assert 0.85 < every["doelen"]["micro_f1"] < 1.0 and 0.75 < every["categorie"]["kappa"] < 1.0
    assert agreement["not_quoted_in_guidelines"]["items"] < every["items"]

    path = scratch_annotations / "agreement" / "double_annotation.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[1])
    broken["second"]["categorie"] = "wachtlijsten"
    lines[1] = json.dumps(broken)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "agreement"], env={"METADOSSIER_ANNOTATIONS": str(scratch_annotations)})
    assert result.exit_code != 0
    assert "double_annotation.jsonl:2: onbekende categorie 'wachtlijsten'" in result.output


def test_the_model_card_reports_agreement_and_never_hides_a_malformed_file(scratch_annotations: Path) -> None:
    from pipeline.model_card import _agreement_note

    twice = len(annotation_rows("agreement/double_annotation.jsonl"))
    assert twice >= 369 and f"{twice} items were labelled twice" in _agreement_note(Settings())
    double = scratch_annotations / "agreement" / "double_annotation.jsonl"
    double.write_text('{"id": "no-such-item"}\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"double_annotation.jsonl:1: onbekend item-id 'no-such-item'"):
        _agreement_note(Settings(annotations_dir=scratch_annotations))
    double.unlink()
    assert "no inter-annotator agreement" in _agreement_note(Settings(annotations_dir=scratch_annotations))
