"""Precedent that ranks, on what `make demo` builds (the bundled corpus plus the imported rekenkamer
items): hits by similarity, weak ones cut, distinct rekenkamers, reactions inline, keyword matches fused in."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.explore import Explorer
from pipeline.settings import Settings

WACHTTIJDEN = "Zorg dat de raad periodiek inzicht krijgt in de wachttijden voor specialistische jeugdhulp"
HUISARTSEN = "Investeer in de samenwerking tussen huisartsen en het wijkteam"


@pytest.fixture(scope="module")
def explorer(demo_store: Settings) -> Explorer:
    return Explorer(demo_store)


@pytest.mark.parametrize("draft", [WACHTTIJDEN, HUISARTSEN])
def test_must_show_drafts_find_at_least_five_rekenkamers(explorer: Explorer, draft: str) -> None:
    found = explorer.precedent(draft)
    assert found.n_rekenkamers >= 5, [h.rekenkamer for h in found.hits]
    assert len({h.rekenkamer for h in found.hits}) == found.n_rekenkamers
    assert not found.message
    similarities = [h.similarity for h in found.hits]
    assert similarities == sorted(similarities, reverse=True)  # most similar first


def test_a_draft_about_huisartsen_finds_raaltes_recommendation_on_verwijzingen(explorer: Explorer) -> None:
    found = explorer.precedent(HUISARTSEN)
    hit = next(h for h in found.hits if h.item["id"] == "raalte_2019:A5")
    assert "verwijzingen door (huis)artsen" in hit.item["text"]
    assert hit.keyword_rank is not None and (hit.similarity or 0) < 0.3  # found by its words, not the embeddings
    assert hit.stance == "overgenomen" and hit.reaction.startswith("Het college")  # reaction inline
    assert hit.has_pdf and not hit.source_url


def test_imported_hits_link_to_their_source(explorer: Explorer) -> None:
    hit = next(h for h in explorer.precedent(HUISARTSEN).hits if h.item["source_kind"] == "import")
    assert not hit.has_pdf and hit.source_url.startswith("http")
    with pytest.raises(Exception, match="geïmporteerd zonder PDF"):
        explorer.page_image(hit.item["report_id"], 1)


def test_nothing_similar_says_so(explorer: Explorer) -> None:
    found = explorer.precedent("de kleur van de lucht boven de zee")
    assert found.hits == () and found.n_rekenkamers == 0
    assert found.message.startswith("geen sterke overeenkomst")


def test_no_report_fills_the_list_alone(explorer: Explorer) -> None:
    found = explorer.precedent("Borg de financiering van het Centrum voor Jeugd en Gezin", limit=15)
    per_report: dict[str, int] = {}
    for hit in found.hits:
        per_report[hit.item["report_id"]] = per_report.get(hit.item["report_id"], 0) + 1
    assert max(per_report.values()) <= 3
    assert found.hits[0].item["id"] == "raalte_2019:A1"


def test_own_gemeente_and_primary_sources(explorer: Explorer) -> None:
    found = explorer.precedent(HUISARTSEN, exclude_gemeente="Raalte")
    assert found.hits and all("Raalte" not in h.item["gemeenten"] for h in found.hits)
    kinds = {h.item["source_kind"] for h in explorer.precedent(HUISARTSEN).hits}
    assert kinds <= {"rekenkamerrapport", "import"}
    everything = explorer.precedent(HUISARTSEN, source_kinds=("rekenkamerrapport", "import", "synthese", "onderzoek",
                                                              "scriptie", "presentatie"), limit=40)
    assert {h.item["source_kind"] for h in everything.hits} - {"rekenkamerrapport", "import"}


def test_precedent_cli(demo_store: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["precedent", HUISARTSEN, "--db", str(demo_store.db_path)])
    assert result.exit_code == 0, result.output
    assert "Rekenkamercommissie Gooise Meren" in result.output and "↳ reactie:" in result.output
    assert "↳ bron: https://" in result.output
    assert " van " in result.output and "rekenkamers" in result.output
    nothing = runner.invoke(main, ["precedent", "de kleur van de lucht boven de zee", "--db", str(demo_store.db_path)])
    assert nothing.exit_code == 0 and "geen sterke overeenkomst" in nothing.output
    wide = runner.invoke(main, ["precedent", HUISARTSEN, "--alle-bronnen", "--format", "jsonl", "--limit", "40",
                                "--db", str(demo_store.db_path)])
    assert wide.exit_code == 0 and "nji_synthese_metadossier" in wide.output
