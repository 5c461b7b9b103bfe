"""Shared fixtures: the bundled corpus, read once per session."""

from __future__ import annotations

from pathlib import Path

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
