"""Source kinds: what a report is (rekenkamerrapport, synthese, onderzoek, scriptie, presentatie, import),
primary sources by default, gemeenten counted from rekenkamer evidence only; store migration; the
store's own PDF copies."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.explore import Explorer, SearchFilters
from pipeline.ingest import ingest, pdf_copy_path
from pipeline.records import PRIMARY_SOURCE_KINDS, SOURCE_KINDS, source_kind
from pipeline.settings import PROJECT_ROOT, Settings
from pipeline.store import SCHEMA_VERSION, Store


def test_source_kinds_of_the_bundled_corpus(corpus_store: Path) -> None:
    with Store(corpus_store) as store:
        kinds = {r["id"]: r["doc_type"] for r in store.reports()}
    assert kinds == {"raalte_2019": "rekenkamerrapport", "raalte_presentatie_2019": "presentatie",
                     "vws_nader_onderzoek_toegang": "onderzoek", "scriptie_sturing_toegang": "scriptie",
                     "nji_synthese_metadossier": "synthese"}


def test_a_thesis_filed_as_onderzoek_is_a_scriptie() -> None:
    assert source_kind("onderzoek", "scriptie_sturing_toegang.pdf", "Sturing op de toegang") == "scriptie"
    assert source_kind("", "x.pdf", "Masterthesis jeugdhulp") == "scriptie"
    assert source_kind("onderzoek", "vws_nader_onderzoek_toegang.pdf", "Nader onderzoek") == "onderzoek"
    assert source_kind("rapport van iets", "x.pdf") == "onderzoek"  # unknown: never primary by accident


def test_search_shows_primary_sources_unless_asked(demo_store: Settings) -> None:
    ex = Explorer(demo_store)
    default = ex.search("wachtlijsten", limit=200)
    assert default and {h.item["source_kind"] for h in default} <= set(PRIMARY_SOURCE_KINDS)
    everything = ex.search("wachtlijsten", SearchFilters(source_kinds=SOURCE_KINDS), limit=200)
    assert {"synthese", "import", "rekenkamerrapport"} <= {h.item["source_kind"] for h in everything}
    one_report = ex.search("", SearchFilters(report_id="scriptie_sturing_toegang"), limit=5)
    assert one_report and all(h.item["report_id"] == "scriptie_sturing_toegang" for h in one_report)
    assert SearchFilters.from_params(SearchFilters(source_kinds=SOURCE_KINDS).to_params()).source_kinds == SOURCE_KINDS
    assert "bronnen" not in SearchFilters().to_params()
    result = CliRunner().invoke(main, ["search", "wachtlijsten", "--alle-bronnen", "--limit", "200",
                                       "--db", str(demo_store.db_path)])
    assert result.exit_code == 0 and "nji_synthese_metadossier" in result.output


def test_overview_never_counts_a_thesiss_case_municipalities(demo_store: Settings) -> None:
    ex = Explorer(demo_store)
    for kinds in (PRIMARY_SOURCE_KINDS, None):
        overview = ex.overview(kinds)
        assert "Apeldoorn" not in overview["per_gemeente"] and "Hoogeveen" not in overview["per_gemeente"]
        assert len(overview["per_rekenkamer"]) >= 40
    assert ex.overview(None)["items"] > ex.overview()["items"]
    assert ex.overview()["per_source_kind"]["scriptie"] > 0


def test_facets_of_primary_sources(demo_store: Settings) -> None:
    ex = Explorer(demo_store)
    assert "Hoogeveen" in ex.facets()["gemeenten"]
    assert "Hoogeveen" not in ex.facets(PRIMARY_SOURCE_KINDS)["gemeenten"]
    # in SOURCE_KINDS order; the presentation yields no items, so it offers nothing to filter on
    assert ex.facets()["source_kinds"] == ["rekenkamerrapport", "synthese", "onderzoek", "scriptie", "import"]


def test_a_schema_2_store_opens_and_migrates(corpus_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    shutil.copy(corpus_store, db)
    with sqlite3.connect(db) as conn:  # make it what the previous release wrote
        conn.execute("ALTER TABLE reports DROP COLUMN source_url")
        conn.execute("UPDATE reports SET doc_type='onderzoek' WHERE id='scriptie_sturing_toegang'")
        conn.execute("UPDATE meta SET value='2' WHERE key='schema_version'")
    with Store(db) as store:
        assert store.report("scriptie_sturing_toegang")["doc_type"] == "scriptie"  # type: ignore[index]
        assert store.report("raalte_2019")["source_url"] == ""  # type: ignore[index]
        assert store.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
        assert len(store.items(report_id="raalte_2019")) > 50


def test_ingest_keeps_a_copy_so_pages_show_after_the_file_moves(tmp_path: Path) -> None:
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    pdf = elsewhere / "raalte_presentatie_2019.pdf"
    shutil.copy(PROJECT_ROOT / "corpus" / "pdf" / pdf.name, pdf)
    settings = Settings(db_path=tmp_path / "store" / "s.sqlite", cache_dir=tmp_path / "cache",
                        corpus_dir=tmp_path / "no-corpus")
    with Store(settings.db_path) as store:
        summary = ingest([pdf], store, settings)
        digest = store.report(summary.stored[0])["content_hash"]  # type: ignore[index]
    copy = pdf_copy_path(settings.db_path, digest)
    assert copy == settings.db_path.parent / "pdf" / f"{digest}.pdf" and copy.read_bytes() == pdf.read_bytes()
    pdf.unlink()
    ex = Explorer(settings)
    assert ex.pdf_path(summary.stored[0]) == copy
    assert ex.page_image(summary.stored[0], 1).startswith(b"\x89PNG")
    copy.unlink()  # a store made before copies were kept gets them on the next ingest of the file
    shutil.copy(PROJECT_ROOT / "corpus" / "pdf" / pdf.name, pdf)
    with Store(settings.db_path) as store:
        again = ingest([pdf], store, settings)
    assert again.skipped == summary.stored and copy.exists()


def test_info_counts_imported_publications_apart(demo_store: Settings) -> None:
    """`info` after `make demo`: the imported items come from web pages and news articles about reports, so they
    are counted as publications beside the reports read from PDF, not as reports."""
    result = CliRunner().invoke(main, ["info", "--db", str(demo_store.db_path)])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("in de opslag:"))
    assert "bronnen (" in line and "geïmporteerde publicaties)" in line, line
    reports, imported = (int(n) for n in re.findall(r"\((\d+) rapport\w* en (\d+) geïmporteerde", line)[0])
    total = int(re.search(r"in de opslag: (\d+) bronnen", line)[1])
    assert reports + imported == total and imported > reports
