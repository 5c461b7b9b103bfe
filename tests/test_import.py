"""Import of coded items (pipeline/importer.py, `metadossier import`) on the real items of
annotations/extra/ and corpus/import/, written as the files people bring: CSV with commas or
semicolons, with or without BOM, Excel, JSONL."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.importer import ImportFileError, import_items, read_coded_rows
from pipeline.settings import PROJECT_ROOT, Settings
from pipeline.store import Store

EXTRA = PROJECT_ROOT / "annotations" / "extra" / "rekenkamer_items.jsonl"
EXAMPLE = PROJECT_ROOT / "corpus" / "import" / "voorbeeld.csv"


def _extra_items() -> list[dict[str, Any]]:
    return [json.loads(line) for line in EXTRA.read_text(encoding="utf-8").splitlines() if line.strip()]


def _english_rows(items: list[dict[str, Any]]) -> list[list[str]]:
    """Real items as an English-headed export: text, type, …, labels as 'D1, D5' and a categorie."""
    header = ["text", "type", "municipality", "rekenkamer", "year", "title", "source_url", "goals", "category",
              "general", "retrieved"]
    rows = [header]
    for it in items:
        rows.append([it["text"], it["type"], it["gemeente"], it["rekenkamer"], str(it["year"] or ""), "",
                     it["source_url"], ", ".join(it["doelen"]), it["categorie"], "yes" if it["algemeen"] else "no",
                     it["retrieved"]])
    return rows


def _settings(tmp_path: Path) -> Settings:
    return Settings(db_path=tmp_path / "store.sqlite", cache_dir=tmp_path / "cache")


def _counts(db: Path) -> tuple[int, int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(  # type: ignore[return-value]
            "SELECT (SELECT COUNT(*) FROM reports), (SELECT COUNT(*) FROM items), (SELECT COUNT(*) FROM labels),"
            " (SELECT COUNT(*) FROM items_fts)").fetchone())


def test_the_bundled_jsonl_reads_without_a_bad_row() -> None:
    rows, errors = read_coded_rows(EXTRA)
    assert errors == []
    assert len(rows) == 212
    assert len({r.rekenkamer for r in rows}) == 47
    assert all(r.url.startswith("http") for r in rows)
    wvolv = next(r for r in rows if r.extra.get("id") == "extra-wvolv-2021-2")
    assert wvolv.stem == "Zo werd in alle vier gemeenten:"
    assert wvolv.full_text.startswith("Zo werd in alle vier gemeenten: geen verklaring gegeven")
    assert wvolv.doelen == ("D4",) and wvolv.algemeen is True and wvolv.categorie == "informatievoorziening_raad"
    assert wvolv.extra["labeler"] == "extra-v1 (hand)"  # unknown fields are kept


def test_semicolon_csv_with_bom_and_dutch_columns() -> None:
    assert EXAMPLE.read_bytes().startswith(b"\xef\xbb\xbf")
    rows, errors = read_coded_rows(EXAMPLE)
    assert errors == []
    assert [r.rekenkamer for r in rows] == ["Rekenkamercommissie Woerden"] * 2 + ["Rekenkamercommissie Leiden-Leiderdorp"] * 2
    assert rows[0].text == "maak zichtbaar of de gewenste maatschappelijke effecten van het CJG worden bereikt"
    assert rows[1].doelen == ("D1",) and rows[1].categorie == "indicatoren_en_monitoring"
    assert rows[2].doelen == () and rows[2].algemeen is True  # 'algemeen' in the doelen column
    assert not rows[3].has_labels
    assert rows[0].extra == {"opgehaald": "2026-11-23"}
    assert rows[0].line == 2


def test_comma_csv_without_bom_and_english_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(_english_rows(_extra_items()[:30]))
    rows, errors = read_coded_rows(path)
    assert errors == [] and len(rows) == 30
    assert rows[0].rekenkamer == "Rekenkamer WVOLV" and rows[0].year == 2021 and rows[0].algemeen is True
    assert rows[0].gemeente == "Wassenaar, Voorschoten, Oegstgeest, Leidschendam-Voorburg"  # commas inside quotes


def test_windows_1252_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    text = EXAMPLE.read_text(encoding="utf-8-sig")
    path.write_bytes(text.encode("cp1252"))
    rows, errors = read_coded_rows(path)
    assert errors == [] and rows[1].text.endswith("één gezin, één plan")


def test_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in _english_rows(_extra_items()[:12]):
        sheet.append([int(v) if v.isdigit() else v for v in row])
    path = tmp_path / "metadossier.xlsx"
    book.save(path)
    rows, errors = read_coded_rows(path)
    assert errors == [] and len(rows) == 12
    assert rows[0].year == 2021 and rows[0].line == 2 and rows[0].type == "conclusie"


def test_bad_rows_are_reported_with_their_line_and_the_rest_is_imported(tmp_path: Path) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()
    bad = [
        lines[1].replace(";aanbeveling;", ";advies;"),               # line 3: unknown soort
        lines[1].replace(";2012;", ";twintig;").replace("maak", "toon"),  # line 4: year
        ";aanbeveling;Woerden;Rekenkamercommissie Woerden;2012;;;;;;;",  # line 5: no text
        lines[2].replace(";D1;", ";D7;"),                            # line 6: unknown doel
    ]
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join([lines[0], lines[1], *bad, lines[3]]) + "\n", encoding="utf-8")
    rows, errors = read_coded_rows(path)
    assert [r.line for r in rows] == [2, 7]
    assert [(e.line, e.reason.split(" ")[0]) for e in errors] == [(3, "soort"), (4, "jaar"), (5, "geen"), (6, "doel")]
    assert str(errors[0]) == f"{path}:3: soort 'advies' onbekend — gebruik bevinding, conclusie of aanbeveling — rij overgeslagen"

    settings = _settings(tmp_path)
    result = CliRunner().invoke(main, ["import", str(path), "--db", str(settings.db_path), "--no-classify"])
    assert result.exit_code == 0, result.output
    assert f"fout: {path}:4: jaar 'twintig' is geen jaartal" in result.output
    assert "Traceback" not in result.output
    assert _counts(settings.db_path)[1] == 2


def test_importing_twice_changes_nothing_and_labels_are_imported(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with Store(settings.db_path) as store:
        first = import_items([EXTRA], store, settings)
        after_first = _counts(settings.db_path)
        second = import_items([EXTRA], store, settings)
        labels = store.current_labels()
        rows = store.items()
    assert first.files[0].items_new == 212 and first.files[0].reports_new == first.files[0].reports
    assert first.files[0].labels_from_file == 212 and first.files[0].labels_from_model == 0
    assert second.files[0].items_new == 0 and second.files[0].items_known == 212
    assert second.files[0].reports_new == 0 and second.files[0].labels_from_file == 0
    assert _counts(settings.db_path) == after_first
    assert after_first[1] == after_first[3] == 212  # every item is in the keyword index
    assert {lb["source"] for lb in labels.values()} == {"import"}
    assert {r["doc_type"] for r in rows} == {"import"}
    assert all(r["page_start"] == 0 and r["extra"].get("id", "").startswith("extra-") for r in rows)


def test_missing_labels_come_from_the_model(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with Store(settings.db_path) as store:
        result = import_items([EXAMPLE], store, settings)
        rows = {r["text"]: r for r in store.items()}
    assert result.files[0].labels_from_file == 3 and result.files[0].labels_from_model == 1
    unlabelled = rows["Gebruik de verkregen informatie als gemeenteraad om uw kaderstellende en controlerende rol "
                      "waar te maken."]
    assert unlabelled["label"]["source"] == "model" and unlabelled["label"]["categorie"]
    given = rows["meet of het CJG werkt volgens het principe één gezin, één plan"]
    assert given["label"]["source"] == "import" and given["label"]["doelen"] == ["D1"]


def test_the_same_report_from_two_files_is_one_report(tmp_path: Path) -> None:
    """corpus/import/voorbeeld.csv quotes items of annotations/extra/: same rekenkamer, URL and year."""
    settings = _settings(tmp_path)
    with Store(settings.db_path) as store:
        import_items([EXTRA], store, settings, classify=False)
        result = import_items([EXAMPLE], store, settings, classify=False)
    done = result.files[0]
    assert (done.reports_new, done.items_new, done.items_known) == (0, 0, 4)


@pytest.mark.parametrize("name, content, reason", [
    ("leeg.csv", b"", "bestand is leeg"),
    ("oud.xls", b"\xd0\xcf\x11\xe0 old excel", "oud Excel-formaat"),
    ("kapot.xlsx", b"PK\x03\x04 not really a zip", "geen geldig Excel-bestand"),
    ("notities.docx", b"something", "onbekend bestandstype"),
    ("zonder_tekst.csv", b"naam;soort\nx;aanbeveling\n", "geen kolom 'tekst'"),
    ("geen.jsonl", b"dit is geen json\nook niet\n", "geen enkele regel is een JSON-object"),
    ("binair.csv", b"\x00\x01\x02tekst;soort\n", "binaire gegevens"),
])
def test_malformed_files_get_one_line(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=reason) as caught:
        read_coded_rows(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    settings = _settings(tmp_path)
    result = CliRunner().invoke(main, ["import", str(path), str(EXAMPLE), "--db", str(settings.db_path),
                                       "--no-classify"])
    assert result.exit_code == 1  # one file unreadable: non-zero, the good file is imported all the same
    assert reason in result.output and "Traceback" not in result.output
    assert "de rest is opgeslagen" in result.output
    assert _counts(settings.db_path)[1] == 4


def test_nothing_usable_exits_non_zero(tmp_path: Path) -> None:
    path = tmp_path / "alleen_fout.jsonl"
    path.write_text('{"tekst": "Een tekst zonder soort", "rekenkamer": "Rekenkamer X", "url": "https://x.nl"}\n',
                    encoding="utf-8")
    settings = _settings(tmp_path)
    result = CliRunner().invoke(main, ["import", str(path), "--db", str(settings.db_path)])
    assert result.exit_code == 1
    assert f"{path}:1: geen soort" in result.output and "niets opgeslagen" in result.output


def test_stance_and_reaction_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "met_reactie.jsonl"
    item = next(it for it in _extra_items() if it["id"] == "extra-woerden-2012-b2")
    path.write_text(json.dumps({"text": item["text"], "type": "recommendation", "rekenkamer": item["rekenkamer"],
                                "year": item["year"], "source_url": item["source_url"], "stance": "partly adopted",
                                "reaction": "Het college neemt de aanbeveling gedeeltelijk over."}) + "\n",
                    encoding="utf-8")
    settings = _settings(tmp_path)
    with Store(settings.db_path) as store:
        import_items([path], store, settings, classify=False)
        (row,) = store.items()
    assert row["stance"] == "deels" and row["reaction"].startswith("Het college neemt")
    assert row["label"] is None  # no labels given, no model asked
