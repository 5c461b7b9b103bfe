"""Shared fixtures: the bundled corpus, the NJi gold items, the taxonomy and the default embedder,
read once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract import extract
from pipeline.ingest import ingest, manifest_for, report_meta
from pipeline.records import ExtractedDocument, SegmentedReport
from pipeline.segment import segment
from pipeline.settings import PROJECT_ROOT, Settings
from pipeline.store import Store

CORPUS = PROJECT_ROOT / "corpus" / "pdf"
ANNOTATIONS = PROJECT_ROOT / "annotations"


@pytest.fixture(scope="session")
def corpus_pdf() -> Path:
    return CORPUS / "raalte_2019.pdf"


@pytest.fixture(scope="session")
def extracted() -> dict[str, ExtractedDocument]:
    """Every corpus PDF, extracted once."""
    return {pdf.stem: extract(pdf) for pdf in sorted(CORPUS.glob("*.pdf"))}


@pytest.fixture(scope="session")
def segmented(extracted: dict[str, ExtractedDocument]) -> dict[str, SegmentedReport]:
    out = {}
    for stem, document in extracted.items():
        pdf = CORPUS / f"{stem}.pdf"
        out[stem] = segment(document, report_meta(pdf, document, manifest_for(pdf)))
    return out


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the whole bundled corpus ingested (no labeler)."""
    db = tmp_path_factory.mktemp("store") / "corpus.sqlite"
    with Store(db) as store:
        summary = ingest([CORPUS], store, Settings(db_path=db))
    assert summary.ok, summary.failures
    return db


@pytest.fixture
def scratch_annotations(tmp_path: Path) -> Path:
    """A copy of annotations/ that a test may break or append to; the real one stays as committed."""
    annotations = tmp_path / "annotations"
    shutil.copytree(ANNOTATIONS, annotations)
    return annotations


@pytest.fixture(scope="session")
def labelled_store(tmp_path_factory: pytest.TempPathFactory, corpus_store: Path) -> Settings:
    """Settings for a copy of the corpus store labelled with the trained model and clustered into
    themes, with a scratch copy of annotations/ (corrections must not touch the real one)."""
    from pipeline.classify import load_trained
    from pipeline.explore import Explorer

    root = tmp_path_factory.mktemp("labelled")
    db = root / "labelled.sqlite"
    shutil.copy(corpus_store, db)
    annotations = root / "annotations"
    shutil.copytree(ANNOTATIONS, annotations)
    (annotations / "human_labels.jsonl").unlink(missing_ok=True)
    settings = Settings(db_path=db, annotations_dir=annotations)
    model = load_trained(settings)
    assert model is not None, "models/ has no trained classifier — run `metadossier train`"
    with Store(db) as store:
        rows = store.items()
        store.add_labels(model.label([r["id"] for r in rows], [r["text"] for r in rows]))
    Explorer(settings).build_themes()
    return settings


@pytest.fixture(scope="session")
def nji_gold() -> list[Any]:
    """The NJi synthesis's items as evidence (annotations/nji_synthesis.jsonl)."""
    from pipeline.synthesize import load_nji_evidence

    return load_nji_evidence(ANNOTATIONS / "nji_synthesis.jsonl")


@pytest.fixture(scope="session")
def taxonomy() -> Any:
    from pipeline.taxonomy import load_taxonomy

    return load_taxonomy(ANNOTATIONS / "taxonomy.yaml")


@pytest.fixture(scope="session")
def embedder() -> Any:
    """The default embedder, its vectors cached on disk by text hash."""
    from pipeline.models import load_embedder

    return load_embedder("use-multilingual", cache_dir=Settings().cache_dir)


def require_optional(reason: str) -> None:
    """Skip a test whose optional tool is missing — or fail it where CI says everything is installed."""
    if os.environ.get("METADOSSIER_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason} (METADOSSIER_REQUIRE_ALL=1: CI installs it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory, corpus_store: Path) -> Settings:
    """What `make demo` builds: the bundled corpus plus the imported rekenkamer items of
    annotations/extra/ (their labels from the file), on a copy of the corpus store."""
    from pipeline.importer import import_items

    root = tmp_path_factory.mktemp("demo")
    db = root / "demo.sqlite"
    shutil.copy(corpus_store, db)
    settings = Settings(db_path=db, cache_dir=Settings().cache_dir)
    with Store(db) as store:
        result = import_items([ANNOTATIONS / "extra" / "rekenkamer_items.jsonl"], store, settings, classify=False)
    assert result.ok and result.items_new == 212
    return settings
