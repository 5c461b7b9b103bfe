"""The synthesis document: shaped like the NJi synthesis, and every citation resolves to an item."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from pipeline.cli_themes import register
from pipeline.errors import MetadossierError
from pipeline.settings import PROJECT_ROOT, Settings
from pipeline.store import Store
from pipeline.synthesize import (
    SynthesisResult,
    citation_targets,
    nji_corpus,
    store_corpus,
    store_evidence,
    synthesize,
)

SETTINGS = Settings()
GOLD_PATH = SETTINGS.annotations_dir / "nji_synthesis.jsonl"
EXAMPLES = PROJECT_ROOT / "docs" / "examples"


@pytest.fixture(scope="session")
def gold_ids() -> set[str]:
    return {json.loads(line)["id"] for line in GOLD_PATH.read_text(encoding="utf-8").splitlines() if line.strip()}


@pytest.fixture(scope="session")
def nji_md(tmp_path_factory: pytest.TempPathFactory, nji_gold, embedder, taxonomy) -> SynthesisResult:
    out = tmp_path_factory.mktemp("synth") / "nji.md"
    return synthesize(nji_gold, out, embedder, corpus=nji_corpus(nji_gold), taxonomy=taxonomy)


@pytest.fixture(scope="session")
def store_rows(corpus_store: Path) -> list[dict[str, Any]]:
    with Store(corpus_store) as store:
        return store.items()


@pytest.fixture(scope="session")
def store_md(tmp_path_factory: pytest.TempPathFactory, corpus_store: Path, embedder, taxonomy) -> SynthesisResult:
    with Store(corpus_store) as store:
        evidence = store_evidence(store.items(), taxonomy)
        corpus = store_corpus(store.reports(), evidence)
    out = tmp_path_factory.mktemp("synth") / "corpus.html"
    return synthesize(evidence, out, embedder, corpus=corpus, taxonomy=taxonomy)


def assert_citations_resolve(text: str, known_ids: set[str]) -> list[str]:
    links, anchors = citation_targets(text)
    assert links, "the document cites nothing"
    assert set(links) <= anchors, f"links without an appendix entry: {sorted(set(links) - anchors)[:5]}"
    assert anchors <= known_ids, f"cited items that do not exist: {sorted(anchors - known_ids)[:5]}"
    return links


def test_nji_synthesis_citations_resolve_to_gold_items(nji_md, gold_ids):
    links = assert_citations_resolve(nji_md.path.read_text(encoding="utf-8"), gold_ids)
    assert set(links) == set(nji_md.cited)


def test_nji_synthesis_is_shaped_like_the_nji_document(nji_md):
    text = nji_md.path.read_text(encoding="utf-8")
    headings = re.findall(r"^## (\d) ", text, flags=re.M)
    assert headings == ["1", "2", "3", "4", "5", "6"]
    assert "## 1 Algemeen: versterk de beleidscyclus" in text
    assert "#### Aanbevelingen" in text and "#### Wat gemeenten al goed doen" in text and "#### Citaten" in text
    assert "Deze synthese rust op 177 items" in text and "Weinig te zeggen heeft het corpus over" in text
    assert "staat ook bij" in text  # the same advice in several NJi chapters
    assert "[NJi 2023, §2.1 (Maassluis)](#item-" in text


def test_every_statement_cites_an_item(nji_md):
    text = nji_md.path.read_text(encoding="utf-8")
    chapters = text.split("\n## 1 ")[1].split("## Bijlage")[0]
    for line in chapters.splitlines():
        if line.startswith(("- ", "> ")):
            assert "](#item-" in line, line


def test_store_synthesis_cites_stored_items_with_pages(store_md, store_rows):
    text = store_md.path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    links = assert_citations_resolve(text, {r["id"] for r in store_rows})
    assert not any(link.startswith("nji_synthese_metadossier:") for link in links)  # a synthese is no source
    assert "Niet meegeteld" in text and re.search(r"Raalte 2019, p\. \d+", text)


def test_committed_examples_resolve(store_rows, gold_ids):
    nji = EXAMPLES / "nji_synthese.md"
    corpus = EXAMPLES / "corpus_synthese.md"
    assert nji.exists() and corpus.exists(), "regenerate docs/examples (see docs/examples/README.md)"
    assert_citations_resolve(nji.read_text(encoding="utf-8"), gold_ids)
    assert_citations_resolve(corpus.read_text(encoding="utf-8"), {r["id"] for r in store_rows})


def test_unsupported_extension_is_refused(nji_gold, embedder, tmp_path):
    with pytest.raises(MetadossierError, match=r"\.md or \.html"):
        synthesize(nji_gold[:3], tmp_path / "out.docx", embedder, corpus=nji_corpus(nji_gold))


def test_cli_synthesize_and_themes(tmp_path, corpus_store):
    @click.group()
    @click.pass_context
    def main(ctx: click.Context) -> None:
        ctx.obj = Settings()

    @main.group()
    def evaluate() -> None:
        pass

    register(main, evaluate)
    runner = CliRunner()
    out = tmp_path / "nji.md"
    result = runner.invoke(main, ["synthesize", "--out", str(out), "--source", "nji"])
    assert result.exit_code == 0, result.output
    assert "177 items cited" in result.output and out.exists()

    db = tmp_path / "copy.sqlite"
    with sqlite3.connect(corpus_store) as source, sqlite3.connect(db) as target:
        source.backup(target)
    listed = runner.invoke(main, ["themes", "--db", str(db), "--doel", "D1"])
    assert listed.exit_code == 0, listed.output
    assert (tmp_path / "copy.themes.json").exists() and "D1-" in listed.output
    again = runner.invoke(main, ["recluster", "--db", str(db)])
    assert again.exit_code == 0 and "unchanged" in again.output
    missing = runner.invoke(main, ["themes", "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 1 and "ingest" in missing.output


def test_summary_sentences_drop_a_heading_that_runs_into_the_text() -> None:
    from pipeline.synthesize import _body

    text = ("Aanbeveling 2: Gemeenten kunnen van elkaar leren Uit een interview blijkt dat er geen cijfers over "
            "effectiviteit van de jeugdhulp beschikbaar zijn in gemeente Hoogeveen.")
    assert _body(text, "Gemeenten kunnen van elkaar leren").startswith("Uit een interview blijkt")
    punctuated = "Zorg voor overzicht. Stel een monitor op met de raad."
    assert _body(punctuated, "Zorg voor overzicht") == punctuated  # a full stop already separates them
    assert _body("Zorg dat de raad weet wat er speelt.", "Zorg dat de raad") == "Zorg dat de raad weet wat er speelt."
