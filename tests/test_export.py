"""Exports for Dutch Excel, read back the way Excel and pandas read them; and the names they use."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from pipeline import display as nl
from pipeline import errors
from pipeline.explore import Explorer
from pipeline.export import COLUMNS, export_rows, to_csv, to_xlsx
from pipeline.settings import PROJECT_ROOT, Settings
from pipeline.store import Store

EXTRA = PROJECT_ROOT / "annotations" / "extra" / "rekenkamer_items.jsonl"
EXPECTED = ["rapport", "rekenkamer", "gemeente", "jaar", "soort bron", "type", "tekst", "doelen", "categorie",
            "label door", "reactie college", "standpunt", "onderbouwing standpunt", "pagina", "link", "kenmerk"]


@pytest.fixture(scope="module")
def records(labelled_store: Settings, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """Every item of the labelled corpus store plus five imported rekenkamer items (no PDF)."""
    from pipeline.importer import import_items

    root = tmp_path_factory.mktemp("export")
    db = root / "export.sqlite"
    shutil.copy(labelled_store.db_path, db)
    five = root / "vijf.jsonl"
    five.write_text("".join(EXTRA.read_text(encoding="utf-8").splitlines(keepends=True)[:5]), encoding="utf-8")
    settings = labelled_store.replace(db_path=db)
    with Store(db) as store:
        assert import_items([five], store, settings).items_new == 5
    return Explorer(settings).records()


def test_csv_opens_in_dutch_excel(records: list[dict]) -> None:
    import pandas as pd

    data = to_csv(export_rows(records, "http://localhost:8501/"))
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8, accents intact
    assert data.split(b"\r\n", 1)[0].decode("utf-8-sig") == ";".join(EXPECTED)
    frame = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame.columns) == EXPECTED == list(COLUMNS)
    assert len(frame) == len(records)
    raalte = frame[frame["kenmerk"] == "raalte_2019:A1"].iloc[0]
    assert raalte["rapport"] == "Onderzoek naar de jeugdhulp in de gemeente Raalte"
    assert (raalte["rekenkamer"], raalte["gemeente"], raalte["jaar"]) == ("Rekenkamercommissie Raalte", "Raalte", "2019")
    assert (raalte["soort bron"], raalte["type"], raalte["standpunt"], raalte["pagina"]) == (
        "rekenkamerrapport", "aanbeveling", "overgenomen", "10")
    assert raalte["tekst"].startswith("Zorg als raad voor continuïteit van financiering")
    assert raalte["reactie college"] and raalte["onderbouwing standpunt"]
    assert raalte["link"] == "http://localhost:8501/?p=rapport&rapport=raalte_2019&item=raalte_2019%3AA1"
    # names, never codes
    assert not frame["doelen"].str.contains(r"\bD[1-5]\b(?! · )", regex=True).any()
    assert not frame["categorie"].str.contains("_").any()
    assert (frame["categorie"] == "Cliëntervaring en participatie").any() or \
        (frame["categorie"] == "Financiën en budget").any()  # diacritics survive the round trip
    assert set(frame["label door"]) <= {"model", "annotator", "correctie", "import", ""}
    assert set(frame["standpunt"]) <= {"overgenomen", "deels overgenomen", "niet overgenomen", "onbekend", ""}
    imported = frame[frame["soort bron"] == nl.source_kind("import")]
    assert len(imported) == 5
    assert imported["link"].str.startswith("https://").all()  # their web page: there is no PDF
    assert (imported["pagina"] == "").all()


def test_xlsx_has_a_frozen_header_a_filter_and_widths(records: list[dict]) -> None:
    import pandas as pd
    from openpyxl import load_workbook

    data = to_xlsx(export_rows(records))
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == EXPECTED
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:P{len(records) + 1}"
    assert sheet[1][0].font.bold
    assert sheet.column_dimensions["G"].width == 80  # tekst
    assert all((sheet.column_dimensions[c].width or 0) >= 7 for c in "ABCDEFGHIJKLMNOP")
    frame = pd.read_excel(io.BytesIO(data), dtype=str)
    assert list(frame.columns) == EXPECTED and len(frame) == len(records)


def test_text_that_looks_like_a_formula_stays_text() -> None:
    row = {"id": "x:1", "report_id": "x", "type": "bevinding", "text": "=HYPERLINK(\"http://x\")",
           "page_start": 1, "page_end": 1}
    csv_text = to_csv(export_rows([row])).decode("utf-8-sig")
    assert ';"\'=HYPERLINK' in csv_text  # a leading apostrophe: Excel shows text, runs nothing
    from openpyxl import load_workbook

    cell = load_workbook(io.BytesIO(to_xlsx(export_rows([row])))).active["G2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")"


def test_items_command_writes_both_exports(labelled_store: Settings, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["items", "--db", str(labelled_store.db_path), "--type", "aanbeveling",
                                  "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfrapport;rekenkamer;")
    out = tmp_path / "items.xlsx"
    result = runner.invoke(main, ["items", "--db", str(labelled_store.db_path), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    result = runner.invoke(main, ["items", "--db", str(labelled_store.db_path), "--format", "xlsx"])
    assert result.exit_code != 0 and "--out" in result.output


def test_display_names_plurals_and_numbers() -> None:
    assert nl.doel_name("D2") == "D2 · ruimte voor professionals"
    assert nl.doel_name("algemeen") == "Algemeen (beleidscyclus)"
    assert nl.categorie_name("clientervaring_en_participatie") == "Cliëntervaring en participatie"
    assert [nl.label_origin(s) for s in ("model", "gold", "human", "import")] == ["model", "annotator", "correctie",
                                                                                    "import"]
    assert [nl.stance_name(s) for s in ("overgenomen", "deels", "niet overgenomen", None)] == [
        "overgenomen", "deels overgenomen", "niet overgenomen", "onbekend"]
    assert nl.stance_phrase("deels") == "het college neemt de aanbeveling deels over"
    assert (nl.counted(1, "resultaat"), nl.counted(3, "resultaat")) == ("1 resultaat", "3 resultaten")
    assert (nl.counted(1, "aanbeveling"), nl.counted(3, "aanbeveling")) == ("1 aanbeveling", "3 aanbevelingen")
    assert (nl.counted(1, "bevinding"), nl.counted(2, "pagina"), nl.counted(0, "thema")) == (
        "1 bevinding", "2 pagina's", "0 thema's")
    assert (nl.decimal(0.3456), nl.percent(0.87), nl.number(12345)) == ("0,35", "87%", "12.345")
    record = {"rekenkamer": "Rekenkamercommissie Raalte", "year": 2019, "page_start": 10, "page_end": 10}
    assert nl.citation(record) == "Rekenkamercommissie Raalte 2019, p. 10"
    assert nl.citation({**record, "page_end": 11}) == "Rekenkamercommissie Raalte 2019, p. 10–11"
    thesis = {"report_title": "Sturing op de toegang tot de jeugdhulp", "source_kind": "scriptie", "year": 2020,
              "page_start": 7}
    assert nl.citation(thesis) == "Scriptie ‘Sturing op de toegang tot de jeugdhulp’ 2020, p. 7"


@pytest.mark.parametrize(("error", "dutch"), [
    (errors.UnreadablePDF("x.pdf", "no trailer"), "x.pdf: de PDF is beschadigd of onvolledig — download het bestand opnieuw"),
    (errors.EncryptedPDF("x.pdf"), "x.pdf: de PDF is met een wachtwoord beveiligd — vraag een onbeveiligde versie op"),
    (errors.NotDutch("x.pdf", "lijkt 'en'"),
     "x.pdf: de tekst lijkt niet Nederlands — alleen Nederlandstalige rapporten worden gelezen"),
    (errors.NoTextLayer("x.pdf", "2 gescande pagina's, en de tekstherkenning vond er geen leesbare tekst op"),
     "x.pdf: de gescande pagina's konden niet worden gelezen — vraag een PDF met tekst op"),
    (errors.NoReadPermission("x.pdf", "Permission denied"), "x.pdf: het bestand kon niet worden geopend — probeer het opnieuw"),
])
def test_upload_failures_in_dutch_without_command_line_advice(error: errors.InputFileError, dutch: str) -> None:
    """The library's message (with command-line advice: qpdf, --any-language, chmod) → the explorer's own."""
    assert nl.failure_message(str(error), "x.pdf") == dutch
