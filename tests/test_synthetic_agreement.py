"""The guideline-derived training items are labelled as the guidelines say: a second writer, blind,
agrees with their labels about as well as two annotators agree on the real gold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import AnnotationError
from pipeline.evaluate import evaluate_agreement
from pipeline.settings import Settings

ANNOTATIONS = Path(__file__).resolve().parent.parent / "annotations"


def test_blind_second_writer_agrees_with_the_synthetic_labels() -> None:
    synthetic = evaluate_agreement(Settings(annotations_dir=ANNOTATIONS))["synthetic"]
    assert synthetic["items"] >= 200
    # Not 1.0: the sample was labelled blind, so the writers and the second writer differ somewhere.
    assert 0.85 <= synthetic["doelen"]["micro_f1"] < 1.0
    assert 0.75 <= synthetic["categorie"]["kappa"] < 1.0


def test_blind_label_of_an_unknown_synthetic_item_is_named(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "annotations"
    shutil.copytree(ANNOTATIONS, copy)
    blind = copy / "synthetic" / "blind_sample.jsonl"
    blind.write_text(json.dumps({"id": "syn-nobody-0001", "doelen": [], "algemeen": True, "categorie": "overig"}) + "\n",
                     encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"blind_sample.jsonl:1: onbekend synthetisch item-id 'syn-nobody-0001'"):
        evaluate_agreement(Settings(annotations_dir=copy))
