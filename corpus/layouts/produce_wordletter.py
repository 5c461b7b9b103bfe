"""Render a layout-corpus spec as a letter typed in Word: a "rekenkamerbrief" (python-docx → LibreOffice PDF export).

A rekenkamerbrief is a short investigation reported as a letter to the raad. The .docx is built the way a
secretary's letter template is: a first-page header with the letterhead (name in colour, address lines right),
the window-envelope address block and a borderless reference table (Datum, Ons kenmerk, Onderwerp, ...) at the top
of the body, "Geachte ..." and letter paragraphs; the following pages have a continuation header (name, date,
kenmerk and "Pagina N" from a PAGE field, on a tab line with a rule below). Level-2 headings are bold paragraphs at
body size (the letter's question headings), not Heading styles, so there is no outline; numbered items are typed
numbers with a hanging indent ("1.<tab>…"), `items.layout: dashes` gives an unnumbered dash list. A `para` with
`closing: true` is followed by the two-column signature table of `letter.signature`.
A `reaction_letter` is an attached letter of the gemeente in a section of its own (new page, page numbers restart,
its own first-page letterhead and continuation header), with an "attachment" line above the letterhead; a level-1
heading with `appendix: true` starts a plain section (new page) for a bijlage.

Spec keys (renderer only): `letter: {font, size, color, letterhead, letterhead_lines, address, reference, continuation,
footer, signature}`; on reaction_letter: `attachment, letterhead, letterhead_lines, color, address, reference,
continuation, signature` (rows of two cells); `items.layout: dashes`; `para.closing`; `heading.appendix`;
(h22b) `items.layout: paragraphs` — each item a plain letter paragraph (lead and text run on, no mark), as a letter
states its conclusions ("Wij concluderen dat …").
Not supported (raise): cover, colofon, toc, norm, reaction_table, columns, kader, repeat, scanned letters.

The conversion and the freezing of CreationDate and /ID are produce_libreoffice's (`_convert`, `_freeze`);
the info dictionary gets Title and Author from the .docx core properties when `pdf_info` is true.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from produce_libreoffice import _bottom_border, _convert, _field, _freeze  # noqa: E402

LEFT, RIGHT = 25, 20
TEXT_W = 210 - LEFT - RIGHT
GREY = "6B6B6B"


def _fonts(style, name: str, size: float) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f'<w:rFonts {nsdecls("w")}/>')
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), name)


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    tblpr.append(parse_xml(
        f'<w:tblBorders {nsdecls("w")}>' + "".join(f'<w:{e} w:val="nil"/>' for e in
                                                  ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"))
    tblpr.append(parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
                           f'<w:right w:w="60" w:type="dxa"/></w:tblCellMar>'))


def _widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)


class Letter:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.cfg = spec["letter"]
        self.size = float(self.cfg.get("size", 10))
        self.doc = Document()
        _fonts(self.doc.styles["Normal"], self.cfg.get("font", "Arial"), self.size)
        pf = self.doc.styles["Normal"].paragraph_format
        pf.space_after = Pt(0)
        pf.space_before = Pt(0)
        pf.line_spacing = 1.15
        if spec.get("pdf_info"):
            self.doc.core_properties.title = spec["meta"]["title"]
            self.doc.core_properties.author = spec["meta"].get("rekenkamer", "")
        else:
            self.doc.core_properties.title = ""
            self.doc.core_properties.author = ""
        self.doc.core_properties.comments = ""
        self.doc.core_properties.last_modified_by = ""

    # ------------------------------------------------------------ text
    def para(self, text: str = "", bold: bool = False, after: float = 0, before: float = 0, size: float | None = None,
             color: str | None = None, align=None, keep: bool = False, container=None):
        target = container if container is not None else self.doc
        p = target.add_paragraph()
        if text:
            r = p.add_run(text)
            r.bold = bold
            if size:
                r.font.size = Pt(size)
            if color:
                r.font.color.rgb = RGBColor.from_string(color)
        p.paragraph_format.space_after = Pt(after)
        p.paragraph_format.space_before = Pt(before)
        if align is not None:
            p.alignment = align
        if keep:
            p.paragraph_format.keep_with_next = True
        return p

    def body(self, text: str, keep: bool = False):
        return self.para(text, after=self.size, keep=keep)

    # ------------------------------------------------------------ page furniture
    def _page_setup(self, section) -> None:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
        section.top_margin, section.bottom_margin = Mm(45), Mm(22)
        section.header_distance, section.footer_distance = Mm(12), Mm(10)

    def _restart_numbering(self, section) -> None:
        section._sectPr.append(parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'))

    def _letterhead(self, header, name: str, lines: list[str], color: str, attachment: str = "") -> None:
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        if attachment:
            r = p.add_run(attachment)
            r.italic = True
            r.font.size = Pt(8)
            r.font.color.rgb = RGBColor.from_string(GREY)
            p.paragraph_format.space_after = Pt(6)
            p = header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        r = p.add_run(name)
        r.bold = True
        r.font.size = Pt(17)
        r.font.color.rgb = RGBColor.from_string(color)
        p.paragraph_format.space_after = Pt(3)
        for line in lines:
            q = header.add_paragraph()
            q.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            rr = q.add_run(line)
            rr.font.size = Pt(7.5)
            rr.font.color.rgb = RGBColor.from_string(GREY)

    def _continuation(self, header, parts: list[str], color: str) -> None:
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_W), WD_TAB_ALIGNMENT.RIGHT)
        r = p.add_run(parts[0])
        r.bold = True
        r.font.size = Pt(8)
        r.font.color.rgb = RGBColor.from_string(color)
        for part in parts[1:]:
            rr = p.add_run("    " + part)
            rr.font.size = Pt(8)
            rr.font.color.rgb = RGBColor.from_string(GREY)
        rr = p.add_run("\tPagina ")
        rr.font.size = Pt(8)
        rr.font.color.rgb = RGBColor.from_string(GREY)
        _field(p, "PAGE", "2", size=8, color=GREY)
        _bottom_border(p, color, 4)

    def _footer(self, footer, text: str) -> None:
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            r = p.add_run(text)
            r.font.size = Pt(7)
            r.font.color.rgb = RGBColor.from_string(GREY)

    def _empty(self, part) -> None:
        part.is_linked_to_previous = False

    def _address_and_refs(self, address: list[str], refs: list[list[str]]) -> None:
        for line in address:
            self.para(line)
        self.para("", after=22)
        table = self.doc.add_table(rows=len(refs), cols=2)
        _no_borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for row, (label, value) in zip(table.rows, refs):
            lp = row.cells[0].paragraphs[0]
            lr = lp.add_run(label)
            lr.font.size = Pt(8)
            lr.font.color.rgb = RGBColor.from_string(GREY)
            vp = row.cells[1].paragraphs[0]
            vp.add_run(value)
            vp.paragraph_format.space_after = Pt(2)
        _widths(table, [32, TEXT_W - 32])
        self.para("", after=16)

    def _signature(self, rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=len(rows), cols=2)
        _no_borders(table)
        for row, cells in zip(table.rows, rows):
            for cell, text in zip(row.cells, cells):
                p = cell.paragraphs[0]
                p.paragraph_format.keep_with_next = True
                if text:
                    p.add_run(text)
                else:
                    p.paragraph_format.space_after = Pt(14)
        _widths(table, [TEXT_W / 2, TEXT_W / 2])

    # ------------------------------------------------------------ document
    def build(self) -> Document:
        cfg = self.cfg
        color = cfg.get("color", "333333")
        section = self.doc.sections[0]
        self._page_setup(section)
        section.different_first_page_header_footer = True
        self._letterhead(section.first_page_header, cfg["letterhead"], cfg.get("letterhead_lines", []), color)
        self._footer(section.first_page_footer, cfg.get("footer", ""))
        self._continuation(section.header, cfg["continuation"], color)
        self._footer(section.footer, "")
        self._address_and_refs(cfg.get("address", []), cfg.get("reference", []))
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind == "para":
                self.body(block["text"], keep=bool(block.get("closing")))
                if block.get("closing"):
                    self._signature(cfg.get("signature", []))
            elif kind == "heading":
                if block.get("appendix"):
                    self.new_section(plain=True)
                    self.para(block["text"], bold=True, size=self.size + 3, after=self.size, color=color)
                else:
                    self.para(block["text"], bold=True, keep=True, after=2)
            elif kind == "items":
                self.items(block)
            elif kind == "findings":
                for item in block["items"]:
                    self.body(item["text"])
            elif kind == "reaction_letter":
                self.reaction(block)
            elif kind == "page_break":
                self.doc.add_page_break()
            else:
                raise ValueError(f"wordletter: block kind {kind!r} is not supported")
        return self.doc

    def items(self, block: dict[str, Any]) -> None:
        if block.get("layout") == "paragraphs":  # (h22b) each item a plain letter paragraph: no mark, no indent
            for item in block["items"]:
                self.body(" ".join(x for x in (item.get("lead", ""), item.get("text", "")) if x))
            return
        dashes = block.get("layout") == "dashes"
        n = len(block["items"])
        for k, item in enumerate(block["items"]):
            mark = "–" if dashes else f"{item.get('number', '')}."
            text = " ".join(x for x in (item.get("lead", ""), item.get("text", "")) if x)
            p = self.doc.add_paragraph()
            p.paragraph_format.left_indent = Mm(7)
            p.paragraph_format.first_line_indent = Mm(-7)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(7))
            p.paragraph_format.space_after = Pt(self.size if k == n - 1 else 4)
            p.add_run(f"{mark}\t{text}")

    def new_section(self, plain: bool = False):
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page_setup(section)
        self._restart_numbering(section)
        if plain:
            section.top_margin = Mm(25)
            section.different_first_page_header_footer = False
            self._empty(section.header)
            self._footer(section.footer, "")
            p = section.footer.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            r = p.add_run("Bijlage bij rekenkamerbrief RKW 2023-07 — ")
            r.font.size = Pt(7)
            r.font.color.rgb = RGBColor.from_string(GREY)
            _field(p, "PAGE", "1", size=7, color=GREY)
        return section

    def reaction(self, block: dict[str, Any]) -> None:
        if block.get("scanned"):
            raise ValueError("wordletter: scanned letters are not supported")
        color = block.get("color", "333333")
        section = self.new_section()
        section.different_first_page_header_footer = True
        self._letterhead(section.first_page_header, block["letterhead"], block.get("letterhead_lines", []), color,
                         attachment=block.get("attachment", ""))
        self._footer(section.first_page_footer, "")
        self._continuation(section.header, block["continuation"], color)
        self._footer(section.footer, "")
        self._address_and_refs(block.get("address", []), block.get("reference", []))
        paragraphs = block.get("paragraphs", [])
        for k, text in enumerate(paragraphs):
            self.body(text, keep=(k == len(paragraphs) - 1))
        self._signature(block.get("signature", []))


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    if "letter" not in spec:
        raise ValueError("wordletter: the spec needs a 'letter' section")
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="wl_render_") as tmp:
        tmp_dir = Path(tmp)
        docx_path = tmp_dir / f"{spec['id']}.docx"
        Letter(spec).build().save(str(docx_path))
        pdf = _convert(docx_path, tmp_dir, bookmarks=False)
        _freeze(pdf, int(spec["meta"].get("year") or 2020))
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
