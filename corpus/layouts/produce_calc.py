"""Render a layout-corpus spec as a SPREADSHEET printed to PDF from LibreOffice Calc.

Small rekenkamercommissies sometimes publish an "onderzoek in het kort" or an opvolgingsonderzoek as a workbook:
one sheet per part, each printed on its own landscape pages, text in cells. This renderer builds the workbook with
openpyxl (.xlsx) and has LibreOffice Calc 7.4 (Debian `libreoffice-calc-nogui`) open it and export it as PDF
(`calc_pdf_Export`, all sheets), as the secretary would: File → Export as PDF.

The spec's blocks are read as sheets and rows:
  heading (level 1)   starts a new sheet named `text` (the tab name, printed in the page header by "&A");
                      `title` a bold title row at the top of the sheet; `widths_mm` the column widths;
                      `gridlines: true` prints the cell grid (Format → Page → Sheet → Grid)
  cover               title rows at the top of the sheet (organisation on a coloured band, title, subtitle, date),
                      merged over all columns
  para                a merged cell with wrapped text: with `label` (may be "") a bold label cell in column A and
                      the text merged over the other columns; with `label_above: true` the label in a row of its own
                      and the text merged over all columns under it; without `label` merged over all columns.
                      "\n" in the text is a line break inside the cell. `small: true` 9 pt grey
  colofon             like a labelled para, its lines joined by line breaks in one cell
  findings            a table `columns` (Thema | Bevinding | Bron): the Thema cell is merged down over the rows of
                      its theme (vertically centred), one finding per row, `bron` in the last column
  items               style `table`: `columns`; "Nr" prints the number (a number cell), the item-type column the
                      lead (bold with `bold_lead: true`), a line break inside the cell and the text; "Gericht aan"
                      the item's `gericht_aan`; "Reactie college" its `reaction`; "Standpunt" its `standpunt` (bold)
  table               a plain table, never an item (`kind: table`, known to spec.py only as a block kind): `columns`,
                      `data` (rows: lists of cells, or {cells, format, bold}); numbers stay number cells with the row's
                      number format, "=..." is a formula that Calc calculates on loading
The table header rows have a fill colour and white bold text and are repeated on every page (print titles);
table cells have thin borders. Page setup per sheet: A4 landscape, Calc's header with the sheet name and a footer
"Pagina &P van &N" (the page numbers run on over the sheets, as Calc counts them).

Row heights: Calc does not work out row heights for an imported .xlsx without them, and never for merged cells
(the secretary sets those by hand). So the export is driven over UNO with the system Python (python3-uno): every
row with text gets "optimal height", and each row with a merged text cell gets the height its text needs at the
merged width (measured in a scratch sheet with one unmerged column that wide), plus `workbook.merged_pad_pt`.

Top-level `workbook` keys: font, size, header_fill, label_fill, title_fill, header, footer, subject, keywords,
date [y, m, d], merged_pad_pt, locale (the LANG soffice runs under: a Dutch Calc writes "4,1" and "54%"). The PDF's clock CreationDate and /ID are overwritten in place
(produce_libreoffice._freeze), so the bytes repeat. Info dictionary: Title, Author (the rekenkamer), Subject,
Keywords with `pdf_info: true`; Creator "Calc", Producer "LibreOffice 7.4"; no bookmarks.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"

DEFAULT_WORKBOOK = {"font": "Liberation Sans", "size": 10, "header_fill": "3E6B48", "label_fill": "E4EEE2",
                    "title_fill": "3E6B48", "header": "&A", "footer": "Pagina &P van &N", "subject": "",
                    "keywords": "", "date": [2023, 1, 1], "merged_pad_pt": 3,
                    "locale": "nl_NL.UTF-8"}
# Calc reads an .xlsx column width in characters of the default font (Liberation Sans 10: 1.958 mm each, measured)
MM_PER_CHAR = 1.958


# ====================================================================== the workbook (openpyxl, in the venv)
class Builder:
    def __init__(self, spec: dict[str, Any]):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self.spec = spec
        self.wbk = {**DEFAULT_WORKBOOK, **(spec.get("workbook") or {})}
        self.wb = Workbook()
        self.wb._named_styles["Normal"].font = Font(name=self.wbk["font"], size=self.wbk["size"])
        self.ws = None
        self.row = 0
        self.ncols = 1
        self.plan: list[dict[str, Any]] = []  # per sheet: rows for optimal height, merged rows to measure

    # ------------------------------------------------------------------ styles
    def font(self, size: float | None = None, bold: bool = False, italic: bool = False, color: str = "000000"):
        from openpyxl.styles import Font
        return Font(name=self.wbk["font"], size=size or self.wbk["size"], bold=bold, italic=italic, color=color)

    @staticmethod
    def fill(hexstr: str):
        from openpyxl.styles import PatternFill
        return PatternFill("solid", start_color=hexstr, end_color=hexstr)

    @staticmethod
    def border():
        from openpyxl.styles import Border, Side
        thin = Side(style="thin", color="000000")
        return Border(left=thin, right=thin, top=thin, bottom=thin)

    @staticmethod
    def align(horizontal: str = "left", vertical: str = "top", wrap: bool = True):
        from openpyxl.styles import Alignment
        return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)

    # ------------------------------------------------------------------ sheets
    def new_sheet(self, block: dict[str, Any]) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.page import PageMargins

        if self.ws is None:
            self.ws = self.wb.active
            self.ws.title = block["text"]
        else:
            self.ws = self.wb.create_sheet(block["text"])
        ws = self.ws
        widths = block.get("widths_mm") or [40, 220]
        self.ncols = len(widths)
        for n, mm in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = round(mm / MM_PER_CHAR, 2)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_margins = PageMargins(left=0.59, right=0.59, top=0.83, bottom=0.83, header=0.35, footer=0.35)
        ws.print_options.gridLines = bool(block.get("gridlines"))
        for part, text in ((ws.oddHeader.center, self.wbk["header"]), (ws.oddFooter.center, self.wbk["footer"])):
            part.text = text
            part.font = f"{self.wbk['font']},Regular"
            part.size = 9
        ws.sheet_view.showGridLines = True
        self.row = 0
        self.plan.append({"sheet": block["text"], "auto": [], "merged": []})
        if block.get("title"):
            self.row += 1
            cell = ws.cell(self.row, 1, block["title"])
            cell.font = self.font(14, bold=True, color=self.wbk["title_fill"])
            cell.alignment = self.align(vertical="center", wrap=False)
            ws.row_dimensions[self.row].height = 26
            self.row += 1
            ws.row_dimensions[self.row].height = 6

    def merged(self, first_col: int, last_col: int, value, font=None, fill=None, border=None, align=None) -> None:
        ws = self.ws
        cell = ws.cell(self.row, first_col, value)
        if font is not None:
            cell.font = font
        cell.alignment = align or self.align()
        for col in range(first_col, last_col + 1):
            target = ws.cell(self.row, col)
            if fill is not None:
                target.fill = fill
            if border is not None:
                target.border = border
        if last_col > first_col:
            ws.merge_cells(start_row=self.row, start_column=first_col, end_row=self.row, end_column=last_col)

    def cover(self, block: dict[str, Any]) -> None:
        ws, last = self.ws, self.ncols
        lines = list(block["lines"]) + [""] * 4
        org, title, sub, date = lines[:4]
        rows = [(org, self.font(11, bold=True, color="FFFFFF"), self.fill(self.wbk["title_fill"]), 22),
                (title, self.font(20, bold=True, color=self.wbk["title_fill"]), None, 36),
                (sub, self.font(12), None, 20),
                (date, self.font(10, italic=True), None, 18)]
        for text, font, fill, height in rows:
            self.row += 1
            self.merged(1, last, text, font=font, fill=fill, align=self.align(vertical="center", wrap=False))
            ws.row_dimensions[self.row].height = height
        self.row += 1
        ws.row_dimensions[self.row].height = 10

    def para(self, block: dict[str, Any], text: str | None = None) -> None:
        ws, last = self.ws, self.ncols
        text = block["text"] if text is None else text
        small = block.get("small")
        font = self.font(9, color="444444") if small else self.font()
        plan = self.plan[-1]
        if "label" in block and not block.get("label_above"):
            self.row += 1
            label = ws.cell(self.row, 1, block["label"] or None)
            label.font = self.font(bold=True)
            label.fill = self.fill(self.wbk["label_fill"])
            label.alignment = self.align()
            self.merged(2, last, text, font=font)
            plan["auto"].append(self.row - 1)
            plan["merged"].append([self.row - 1, 1, last - 1])
            return
        if block.get("label_above"):
            self.row += 1
            cell = ws.cell(self.row, 1, block["label"])
            cell.font = self.font(bold=True)
            cell.alignment = self.align(wrap=False)
            plan["auto"].append(self.row - 1)
        self.row += 1
        self.merged(1, last, text, font=font)
        plan["auto"].append(self.row - 1)
        plan["merged"].append([self.row - 1, 0, last - 1])
        if block.get("space_after", True) and not small:
            self.row += 1
            ws.row_dimensions[self.row].height = 8

    def colofon(self, block: dict[str, Any]) -> None:
        self.para({"label": block.get("label", "Colofon")}, text="\n".join(block["lines"]))

    def header_row(self, columns: list[str], repeat: bool = True) -> None:
        ws = self.ws
        self.row += 1
        for n, name in enumerate(columns, start=1):
            cell = ws.cell(self.row, n, name)
            cell.font = self.font(bold=True, color="FFFFFF")
            cell.fill = self.fill(self.wbk["header_fill"])
            cell.border = self.border()
            cell.alignment = self.align(vertical="center")
        ws.row_dimensions[self.row].height = 20
        if repeat:
            ws.print_title_rows = f"{self.row}:{self.row}"

    def findings(self, block: dict[str, Any]) -> None:
        ws = self.ws
        columns = block.get("columns") or ["Thema", "Bevinding", "Bron"]
        self.header_row(columns)
        plan = self.plan[-1]
        groups: list[tuple[int, int, str]] = []
        for item in block["items"]:
            self.row += 1
            plan["auto"].append(self.row - 1)
            thema = item.get("thema", "")
            if groups and groups[-1][2] == thema:
                groups[-1] = (groups[-1][0], self.row, thema)
            else:
                groups.append((self.row, self.row, thema))
            for n, name in enumerate(columns, start=1):
                key = name.lower()
                cell = ws.cell(self.row, n)
                cell.border = self.border()
                cell.alignment = self.align()
                if key == "thema":
                    continue
                if key == "bron":
                    cell.value = item.get("bron", "")
                    cell.font = self.font(9, italic=True, color="333333")
                else:
                    cell.value = item["text"]
                    cell.font = self.font()
        for start, end, thema in groups:
            cell = ws.cell(start, 1, thema)
            cell.font = self.font(bold=True)
            cell.fill = self.fill(self.wbk["label_fill"])
            cell.alignment = self.align(vertical="center")
            for r in range(start, end + 1):
                ws.cell(r, 1).border = self.border()
                ws.cell(r, 1).fill = self.fill(self.wbk["label_fill"])
            if end > start:
                ws.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
        self.row += 1
        ws.row_dimensions[self.row].height = 8

    def table(self, block: dict[str, Any]) -> None:
        """A plain table (never an item): `columns`, `data`: rows as lists of cells or {cells, format, bold}. A number
        stays a number cell (`format` is its number format, e.g. "0%" or "0.0"); a string that starts with "="
        is a formula, "{-1}" in it the row number of the row above ("=C{-2}-C{-1}")."""
        ws = self.ws
        self.header_row(block["columns"], repeat=block.get("repeat_header", True))
        plan = self.plan[-1]
        for spec_row in block["data"]:
            row = spec_row if isinstance(spec_row, dict) else {"cells": spec_row}
            self.row += 1
            plan["auto"].append(self.row - 1)
            for n, value in enumerate(row["cells"], start=1):
                cell = ws.cell(self.row, n)
                if isinstance(value, str) and value.startswith("="):
                    for k in range(1, 10):
                        value = value.replace(f"{{-{k}}}", str(self.row - k))
                cell.value = value
                numeric = isinstance(value, (int, float)) or (isinstance(value, str) and value.startswith("="))
                cell.font = self.font(bold=bool(row.get("bold")) or (n == 1 and block.get("first_bold", False)))
                cell.border = self.border()
                cell.alignment = self.align(horizontal="right" if numeric else "left")
                if numeric and row.get("format"):
                    cell.number_format = row["format"]
        self.row += 1
        ws.row_dimensions[self.row].height = 8

    def items(self, block: dict[str, Any]) -> None:
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont

        ws = self.ws
        columns = block["columns"]
        self.header_row(columns)
        plan = self.plan[-1]
        kind = block["type"]
        for item in block["items"]:
            self.row += 1
            plan["auto"].append(self.row - 1)
            for n, name in enumerate(columns, start=1):
                key = name.lower()
                cell = ws.cell(self.row, n)
                cell.border = self.border()
                cell.alignment = self.align()
                cell.font = self.font()
                if key in ("nr", "nr."):
                    number = str(item.get("number", ""))
                    cell.value = int(number) if number.isdigit() else number
                    cell.font = self.font(bold=True)
                    cell.alignment = self.align(horizontal="center")
                elif key == kind:
                    lead, text = item.get("lead", ""), item.get("text", "")
                    if block.get("bold_lead"):
                        size = float(self.wbk["size"])
                        parts = [TextBlock(InlineFont(rFont=self.wbk["font"], sz=size, b=True), lead)]
                        if text:
                            parts.append(TextBlock(InlineFont(rFont=self.wbk["font"], sz=size), "\n" + text))
                        cell.value = CellRichText(parts)
                    else:
                        cell.value = "\n".join(p for p in (lead, text) if p)
                elif key == "gericht aan":
                    cell.value = item.get("gericht_aan", "")
                elif key.startswith("reactie"):
                    cell.value = item.get("reaction", "")
                elif key.startswith("standpunt"):
                    cell.value = item.get("standpunt", "")
                    cell.font = self.font(bold=True)
                else:
                    cell.value = str(item.get(key.replace(" ", "_"), ""))
        self.row += 1
        ws.row_dimensions[self.row].height = 8

    # ------------------------------------------------------------------ all
    def build(self):
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind == "heading":
                self.new_sheet(block)
            elif kind in ("page_break", "toc", "columns"):
                continue
            elif self.ws is None:
                raise ValueError("calc: content before the first sheet (a level-1 heading)")
            elif kind == "cover":
                self.cover(block)
            elif kind == "para":
                self.para(block)
            elif kind == "colofon":
                self.colofon(block)
            elif kind == "findings":
                self.findings(block)
            elif kind == "table":
                self.table(block)
            elif kind == "items" and block.get("style") == "table":
                self.items(block)
            else:
                raise ValueError(f"calc: block kind {kind!r} (style {block.get('style')!r}) is not supported")
        props = self.wb.properties
        import datetime as _dt
        when = _dt.datetime(*self.wbk["date"], 10, 0, 0)
        props.created = props.modified = when
        props.lastModifiedBy = None
        if self.spec.get("pdf_info", True):
            meta = self.spec["meta"]
            props.title = meta.get("title", "")
            props.creator = meta.get("rekenkamer", "")
            props.subject = self.wbk["subject"]
            props.keywords = self.wbk["keywords"]
        else:
            props.creator = None
        return self.wb


# ====================================================================== the export (UNO, system Python)
def _uno_export(xlsx: Path, plan: list[dict[str, Any]], pdf: Path, pad_pt: float, locale: str) -> None:
    import uno
    from com.sun.star.beans import PropertyValue

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    profile = Path(tempfile.mkdtemp(prefix="calc_profile_"))
    pipe = f"calc_render_{os.getpid()}"
    proc = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
                             "--norestore", "--nologo", "--nodefault",
                             f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "LANG": locale, "LC_ALL": locale})
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.25)
        if ctx is None:
            raise RuntimeError("calc: could not connect to soffice")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(xlsx)), "_blank", 0, (prop("Hidden", True),))
        sheets = doc.Sheets
        sheets.insertNewByName("__scratch", sheets.Count)
        scratch = sheets.getByName("__scratch")
        pad = int(round(pad_pt * 2540 / 72))
        for entry in plan:
            sheet = sheets.getByName(entry["sheet"])
            rows, cols = sheet.Rows, sheet.Columns
            for r in entry["auto"]:
                rows.getByIndex(r).OptimalHeight = True
            for r, c0, c1 in entry["merged"]:
                width = sum(cols.getByIndex(c).Width for c in range(c0, c1 + 1))
                source = sheet.getCellRangeByPosition(c0, r, c1, r).RangeAddress
                scratch.copyRange(scratch.getCellByPosition(0, 0).CellAddress, source)
                scratch.getCellRangeByPosition(0, 0, c1 - c0, 0).merge(False)
                scratch.Columns.getByIndex(0).Width = width
                scratch.Rows.getByIndex(0).OptimalHeight = True
                need = scratch.Rows.getByIndex(0).Height + pad
                scratch.getCellRangeByPosition(0, 0, c1 - c0, 0).clearContents(1023)
                row = rows.getByIndex(r)
                if need > row.Height:
                    row.Height = need
        sheets.removeByName("__scratch")
        filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", tuple([
            prop("ExportBookmarks", False), prop("ExportNotes", False), prop("UseTaggedPDF", False),
            prop("EmbedStandardFonts", True)]))
        doc.storeToURL(uno.systemPathToFileUrl(str(pdf)), (prop("FilterName", "calc_pdf_Export"),
                                                            prop("FilterData", filter_data)))
        if os.environ.get("CALC_KEEP_ODS"):
            doc.storeToURL(uno.systemPathToFileUrl(str(pdf.with_suffix(".ods"))), (prop("FilterName", "calc8"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    from produce_libreoffice import _freeze

    out_pdf = Path(out_pdf)
    builder = Builder(spec)
    wb = builder.build()
    wbk = builder.wbk
    with tempfile.TemporaryDirectory(prefix="calc_render_") as tmp:
        tmp_dir = Path(tmp)
        xlsx = tmp_dir / f"{spec['id']}.xlsx"
        wb.save(str(xlsx))
        plan = tmp_dir / "plan.json"
        pdf = tmp_dir / f"{spec['id']}.pdf"
        plan.write_text(json.dumps({"plan": builder.plan, "pad": wbk["merged_pad_pt"], "locale": wbk["locale"]}),
                        encoding="utf-8")
        subprocess.run([SYSTEM_PYTHON, str(Path(__file__).resolve()), str(xlsx), str(plan), str(pdf)], check=True,
                       timeout=600)
        if not pdf.exists():
            raise RuntimeError(f"calc: soffice produced no PDF for {xlsx}")
        _freeze(pdf, int(spec["meta"].get("year") or 2020))
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
        if os.environ.get("CALC_KEEP_XLSX"):
            shutil.copyfile(xlsx, out_pdf.with_suffix(".xlsx"))


if __name__ == "__main__":  # the UNO half, run by the system Python
    _args = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    _uno_export(Path(sys.argv[1]), _args["plan"], Path(sys.argv[3]), float(_args["pad"]), _args["locale"])
