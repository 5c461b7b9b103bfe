"""Exports for Dutch Excel: items as CSV (UTF-8 with BOM, `;`) or as an .xlsx workbook.

Columns carry names, never codes (pipeline.display): the report's title, rekenkamer, gemeente,
year, kind of source, item type, text, doelen, category, the college's reaction with its stance
and the sentence that stance rests on, the page and a link — to the item in the explorer, or
to the web page an imported item was published on. Excel opens the CSV by double-click with
its accents intact and its columns split, because of the BOM and the semicolon.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from . import display

COLUMNS: tuple[str, ...] = (
    "rapport", "rekenkamer", "gemeente", "jaar", "soort bron", "type", "tekst", "doelen", "categorie",
    "label door", "reactie college", "standpunt", "onderbouwing standpunt", "pagina", "link", "kenmerk",
)
WIDTHS: dict[str, int] = {
    "rapport": 40, "rekenkamer": 28, "gemeente": 18, "jaar": 7, "soort bron": 18, "type": 14, "tekst": 80,
    "doelen": 34, "categorie": 28, "label door": 11, "reactie college": 60, "standpunt": 18,
    "onderbouwing standpunt": 50, "pagina": 9, "link": 40, "kenmerk": 24,
}
"""Column widths in the workbook, in characters."""
DEFAULT_BASE_URL = "http://127.0.0.1:8501/"
"""Where `metadossier serve` runs the explorer; links in an export point there unless told otherwise."""
EXCEL_MAX_CELL = 32_767


def item_link(record: Mapping[str, Any], base_url: str = DEFAULT_BASE_URL) -> str:
    """The item in the explorer's Rapport page; an imported item without a PDF links to its web page."""
    url = display.source_url(record)
    if url and not display.has_pdf(record):
        return url
    query = urlencode({"p": "rapport", "rapport": record["report_id"], "item": record["id"]})
    return f"{base_url.rstrip('/')}/?{query}"


def export_rows(records: Iterable[Mapping[str, Any]], base_url: str = DEFAULT_BASE_URL) -> list[dict[str, Any]]:
    """One row per item record (the explorer's / `item_record` shape), with the columns in COLUMNS."""
    rows = []
    for r in records:
        is_recommendation = r.get("type") == "aanbeveling"
        rows.append({
            "rapport": r.get("report_title") or "",
            "rekenkamer": r.get("rekenkamer") or "",
            "gemeente": r.get("gemeente") or "",
            "jaar": r.get("year") or "",
            "soort bron": display.source_kind(display.kind_of(r)),
            "type": display.type_name(r["type"]),
            "tekst": r["text"],
            "doelen": display.doelen_names(r.get("doelen"), bool(r.get("algemeen"))),
            "categorie": display.categorie_name(r.get("categorie")),
            "label door": display.label_origin(r.get("label_source")) if r.get("label_source") else "",
            "reactie college": r.get("reaction") or "",
            "standpunt": display.stance_name(r.get("stance")) if is_recommendation else "",
            "onderbouwing standpunt": r.get("stance_evidence") or "",
            "pagina": display.pages_label(r.get("page_start"), r.get("page_end")).removeprefix("p. ")
            if display.has_pdf(r) else "",
            "link": item_link(r, base_url),
            "kenmerk": r["id"],
        })
    return rows


def to_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark and `;` between fields: what Dutch Excel reads without an import wizard."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), delimiter=";", extrasaction="ignore",
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: _csv_cell(v) for k, v in row.items()} for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """An .xlsx workbook with a bold, frozen header row, an autofilter, column widths and wrapped text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "metadossier"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(row.get(c)) for c in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that starts with '=' is text, not a formula
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = WIDTHS.get(column, 16)
    wrap = Alignment(wrap_text=True, vertical="top")
    for name in ("tekst", "reactie college", "onderbouwing standpunt", "rapport"):
        letter = get_column_letter(COLUMNS.index(name) + 1)
        for cell in sheet[letter][1:]:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(rows) + 1)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """Excel refuses cells over 32,767 characters."""
    return value[:EXCEL_MAX_CELL] if isinstance(value, str) else value


def _csv_cell(value: Any) -> Any:
    """Excel runs a CSV field that starts with '=', '+', '-' or '@' as a formula; a leading apostrophe keeps it text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not value[1:2].isdigit():
        return "'" + value
    return value
