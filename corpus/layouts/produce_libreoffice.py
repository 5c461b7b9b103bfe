"""Render a layout-corpus spec with LibreOffice Writer: python-docx builds a .docx, soffice exports the PDF.

The .docx uses real Word constructs, which LibreOffice imports as its own:
  * Heading 1/2 paragraph styles (outline levels → PDF bookmarks when `outline: true`);
  * numbered lists through a numbering definition (one restarted list per block),
    bullets through a second one;
  * tables with a repeated header row, shaded single-cell tables as boxes;
  * real footnotes (a footnotes.xml part, which python-docx cannot write, is added by hand);
  * headers/footers with PAGE fields, a first-page-different cover, sections with two
    columns, a separate zero-margin section for scanned letter pages (full-page PNGs);
  * a TOC field (`TOC \\o "1-2"`) whose cached entries carry the page numbers learned
    from a first conversion (LibreOffice does not update fields when converting headless).

House keys added for the h7 set: `chapter_label` ("HOOFDSTUK") prints a numbered level-1 heading as
"HOOFDSTUK 3 – Conclusies", `caps_headings: true` sets Heading 1 in capitals (the w:caps property: the
text stays in mixed case, LibreOffice draws capitals). A conclusie `items` block with `pair: next` and
style `table` is set together with the next `items` block (its aanbevelingen) in one table: one row per
aanbeveling, the conclusion cell ("Conclusie 1" + text) merged down over the rows of the aanbevelingen
whose `conclusie` key names it. A `reaction_letter` paragraph may be `{quote, text}`: the quoted
recommendation in italics, then the answer in the same paragraph.

House and block keys added for the h10 set (a report built the way MS Word reports are built; none of them
is read unless a spec sets it, so earlier specs make the same .docx):
  house.word_numbering: true   headings numbered by Word's multi-level list: one abstractNum whose levels are
                               linked to Heading 1/2/3 ("%1", "%1.%2", "%1.%2.%3"); the heading text carries no
                               number (LibreOffice draws it as outline numbering); a heading with number ""
                               gets numId 0 (unnumbered). The renderer counts as Word does and raises when a
                               spec number differs from the automatic one.
  house.word_bullets: true     bullet lists as Word writes them: U+F0B7 in the Symbol font (level 1), "o" in
                               Courier New (level 2), U+F0A7 in Wingdings (level 3).
  para.bullets_from_text: true the paragraph's text up to its first ": " is the paragraph, the rest is split at
                               "; " into list points (the gold text stays the whole text).
  para.table: {caption, columns, rows, source}   a Word caption ("Caption" style, above) and a small table.
  para.table.align: left       (h12d) a table of text: cells left-aligned (not right-aligned figures), the header
                               row repeated on a next page; para.table.bold_last: true sets the last column
                               (a verdict such as "Deels uitgevoerd") in bold.
  items.number_prefix: "5."    a numbered list whose level text is "5.%1" (numbers per chapter, 5.1, 5.2, …);
                               items.lead_ins: {A5: "Aan de gemeenteraad"} a bold line before that item, the
                               list numbering going on after it.
  reaction_table.number_only: true   the first column holds only the item's number ("5.1"), bold;
  reaction_table.widths_mm     column widths.

Block keys added for the h14b document (read only when a spec sets them):
  items.reaction_column: true  an aanbeveling table (style table) whose columns "Reactie college…" and "Termijn"
                               read the item's `reaction` and `termijn` keys: the college's answer in the row of
                               the recommendation (no separate letter); items.widths_mm the column widths.
  items.landscape: true        the table on pages of their own in landscape (a section break to 297 × 210 mm
                               before it, back to portrait after it; header and footer go on).

Then `soffice --headless --convert-to pdf:writer_pdf_Export:{json}` with ExportBookmarks
following the spec, in a private user profile so parallel runs do not collide.
The PDF's CreationDate and /ID are overwritten (same length) so re-rendering gives the same bytes.
"""
from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scan  # noqa: E402
import spec as spec_module  # noqa: E402

# House styles: the font names are the ones a Word/LibreOffice user would pick; on this
# machine LibreOffice substitutes the metric-compatible Liberation/DejaVu faces.
HOUSES = {
    "leiden": {"font": "Arial", "head_font": "Arial", "color": "A6192E", "light": "F6E3E5", "grey": "595959",
               "size": 10},
    "eindhoven": {"font": "Verdana", "head_font": "Verdana", "color": "1F4E79", "light": "DEEAF6", "grey": "595959",
                  "size": 9},
    "rmb": {"font": "Times New Roman", "head_font": "Arial", "color": "2E7D32", "light": "E8F3E8", "grey": "4D4D4D",
            "size": 11},
    "default": {"font": "Arial", "head_font": "Arial", "color": "1F3864", "light": "E7ECF5", "grey": "595959",
                "size": 10},
}

TEXT_WIDTH_MM = 160  # A4 210 mm − 2 × 25 mm margins
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
LABELS = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _house(spec: dict[str, Any]) -> dict[str, Any]:
    house = dict(HOUSES["default"])
    key = spec.get("house") if isinstance(spec.get("house"), str) else None
    if key is None:
        for name in HOUSES:
            if spec["id"].startswith(name):
                key = name
    house.update(HOUSES.get(key or "default", {}))
    if isinstance(spec.get("house"), dict):
        house.update(spec["house"])
    return house


def _set_fonts(rpr_parent, name: str) -> None:
    """Set all four rFonts slots and drop theme-font attributes (they would win over the name)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), name)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    for old in tcpr.findall(qn("w:shd")):
        tcpr.remove(old)
    tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _cell_borders(cell, **edges: str) -> None:
    """edges: top/left/bottom/right = 'single:12:COLOR' or 'nil'."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = parse_xml(f"<w:tcBorders {nsdecls('w')}/>")
        tcpr.append(borders)
    for edge, value in edges.items():
        if value == "nil":
            borders.append(parse_xml(f'<w:{edge} {nsdecls("w")} w:val="nil"/>'))
        else:
            kind, size, color = value.split(":")
            borders.append(parse_xml(f'<w:{edge} {nsdecls("w")} w:val="{kind}" w:sz="{size}" w:space="0" w:color="{color}"/>'))


def _table_borders(table, spec_xml: str) -> None:
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblBorders")):
        tblpr.remove(old)
    tblpr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{spec_xml}</w:tblBorders>"))


def _cell_margins(table, top=60, bottom=60, left=100, right=100) -> None:
    tblpr = table._tbl.tblPr
    tblpr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:top w:w="{top}" w:type="dxa"/><w:left w:w="{left}" w:type="dxa"/>'
        f'<w:bottom w:w="{bottom}" w:type="dxa"/><w:right w:w="{right}" w:type="dxa"/></w:tblCellMar>'))


def _widths(table, mm_widths: list[float]) -> None:
    """Fixed column widths: tblW, tblGrid and every cell's tcW agree (LibreOffice reads the grid)."""
    table.autofit = False
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    total = int(sum(mm_widths) * 56.7)
    tblpr.append(parse_xml(f'<w:tblW {nsdecls("w")} w:w="{total}" w:type="dxa"/>'))
    for col, width in zip(table.columns, mm_widths):
        col.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, mm_widths):
            cell.width = Mm(width)


def _field(paragraph, instr: str, shown: str = "1", size: float | None = None, color: str | None = None) -> None:
    """A complex field (PAGE, NUMPAGES, ...) with a cached result."""
    def run(xml_inner: str):
        r = paragraph.add_run()
        if size:
            r.font.size = Pt(size)
        if color:
            r.font.color.rgb = RGBColor.from_string(color)
        r._r.append(parse_xml(xml_inner))
        return r
    run(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>')
    run(f'<w:instrText {nsdecls("w")} xml:space="preserve"> {instr} </w:instrText>')
    run(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>')
    r = paragraph.add_run(shown)
    if size:
        r.font.size = Pt(size)
    if color:
        r.font.color.rgb = RGBColor.from_string(color)
    run(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>')


def _bottom_border(paragraph, color: str, size: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="{size}" w:space="4" w:color="{color}"/></w:pBdr>'))


def _top_border(paragraph, color: str, size: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:top w:val="single" w:sz="{size}" w:space="4" w:color="{color}"/></w:pBdr>'))


def _left_border(paragraph, color: str, size: int = 18) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="{size}" w:space="8" w:color="{color}"/></w:pBdr>'))


class Builder:
    """Builds the .docx for one spec; `toc_pages` maps heading index → page number (None: placeholders)."""

    def __init__(self, spec: dict[str, Any], toc_pages: list[int] | None):
        self.spec = spec
        self.house = _house(spec)
        self.toc_pages = toc_pages
        self.doc = Document()
        self.items = spec_module.items_by_id(spec)
        self.footnotes: list[str] = []
        self.columns = 1
        self._setup_styles()
        self._setup_numbering()
        self._setup_page(self.doc.sections[0], first=True)

    # ---------------------------------------------------------------- styles
    def _setup_styles(self) -> None:
        h = self.house
        styles = self.doc.styles
        normal = styles["Normal"]
        _set_fonts(normal.element, h["font"])
        normal.font.size = Pt(h["size"])
        pf = normal.paragraph_format
        pf.space_after = Pt(6)
        pf.space_before = Pt(0)
        pf.line_spacing = 1.15
        pf.widow_control = True
        # docDefaults carry theme fonts in the default template: pin them too
        rpr_default = self.doc.styles.element.find(qn("w:docDefaults"))
        if rpr_default is not None:
            for fonts in rpr_default.iter(qn("w:rFonts")):
                for attr in list(fonts.attrib):
                    del fonts.attrib[attr]
                for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
                    fonts.set(qn(f"w:{slot}"), h["font"])
        for name, size, before, after in (("Heading 1", 18, 0, 12), ("Heading 2", 13, 14, 6), ("Heading 3", 11, 10, 4)):
            st = styles[name]
            _set_fonts(st.element, h["head_font"])
            st.font.size = Pt(size)
            st.font.bold = True
            st.font.italic = False
            st.font.color.rgb = RGBColor.from_string(h["color"] if name != "Heading 3" else h["grey"])
            st.paragraph_format.space_before = Pt(before)
            st.paragraph_format.space_after = Pt(after)
            st.paragraph_format.keep_with_next = True
            st.paragraph_format.tab_stops.add_tab_stop(Cm(1.25 if name == "Heading 1" else 1.25))
            if name == "Heading 1" and h.get("caps_headings"):
                st.font.all_caps = True
        for name, bold, indent in (("toc 1", True, 0), ("toc 2", False, 0.6)):
            st = styles.add_style(name, 1)
            st.base_style = normal
            st.font.bold = bold
            st.paragraph_format.left_indent = Cm(indent)
            st.paragraph_format.space_before = Pt(6 if bold else 0)
            st.paragraph_format.space_after = Pt(2)
            st.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        st = styles.add_style("Kader", 1)
        st.base_style = normal
        st.paragraph_format.space_after = Pt(4)
        st = styles.add_style("Citaat", 1)
        st.base_style = normal
        st.font.italic = True
        st.font.color.rgb = RGBColor.from_string(h["grey"])
        st.paragraph_format.left_indent = Cm(1)
        st.paragraph_format.right_indent = Cm(1)
        st = styles.add_style("Voetnoottekst", 1)
        st.base_style = normal
        st.font.size = Pt(max(h["size"] - 2, 7))
        st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.line_spacing = 1.0

    def _setup_numbering(self) -> None:
        numbering = self.doc.part.numbering_part.element
        decimal = (
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="singleLevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
            '<w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="425"/></w:tabs>'
            '<w:ind w:left="425" w:hanging="425"/></w:pPr></w:lvl></w:abstractNum>')
        bullet = (
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:multiLevelType w:val="singleLevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/>'
            '<w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="360"/></w:tabs>'
            '<w:ind w:left="360" w:hanging="360"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{self.house["font"]}" w:hAnsi="{self.house["font"]}"/></w:rPr></w:lvl></w:abstractNum>')
        extra = []
        if self.house.get("word_numbering"):
            levels = ""
            for ilvl, (style, text, indent) in enumerate((("Heading1", "%1", 567), ("Heading2", "%1.%2", 709),
                                                         ("Heading3", "%1.%2.%3", 851))):
                levels += (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                           f'<w:pStyle w:val="{style}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                           f'<w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl>')
            extra.append(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="92"><w:multiLevelType w:val="multilevel"/>'
                         f'{levels}</w:abstractNum>')
        if self.house.get("word_bullets"):
            levels = ""
            for ilvl, (char, font, left) in enumerate((("\uf0b7", "Symbol", 360), ("o", "Courier New", 1080),
                                                       ("\uf0a7", "Wingdings", 1800))):
                levels += (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
                           f'<w:lvlText w:val="{char}"/><w:lvlJc w:val="left"/>'
                           f'<w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr>'
                           f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr></w:lvl>')
            extra.append(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="94"><w:multiLevelType w:val="hybridMultilevel"/>'
                         f'{levels}</w:abstractNum>')
        self.prefixed: dict[str, int] = {}
        for n, prefix in enumerate(sorted({b["number_prefix"] for b in self.spec["blocks"]
                                           if b.get("number_prefix")})):
            self.prefixed[prefix] = 95 + n
            extra.append(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{95 + n}"><w:multiLevelType w:val="singleLevel"/>'
                         f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{prefix}%1"/>'
                         '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="709" w:hanging="709"/></w:pPr>'
                         '<w:rPr><w:b/></w:rPr></w:lvl></w:abstractNum>')
        first_num = numbering.find(qn("w:num"))
        for xml in (decimal, bullet, *extra):
            el = parse_xml(xml)
            if first_num is not None:
                first_num.addprevious(el)
            else:
                numbering.append(el)
        if self.house.get("word_numbering"):
            self.heading_num = numbering.add_num(92).numId
            for ilvl, name in enumerate(("Heading 1", "Heading 2", "Heading 3")):
                ppr = self.doc.styles[name].element.get_or_add_pPr()
                ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/>'
                                        f'<w:numId w:val="{self.heading_num}"/></w:numPr>'))
            self.heading_counts = [0, 0, 0]

    def _new_list(self, abstract: int, start: int = 1) -> int:
        numbering = self.doc.part.numbering_part.element
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

    @staticmethod
    def _numbered(paragraph, num_id: int) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))

    # ---------------------------------------------------------------- pages
    def _setup_page(self, section, first: bool = False) -> None:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin, section.bottom_margin = Mm(25), Mm(22)
        section.header_distance, section.footer_distance = Mm(10), Mm(10)
        section.different_first_page_header_footer = first
        self._fill_header_footer(section)
        if first:
            section.first_page_header.is_linked_to_previous = False
            section.first_page_footer.is_linked_to_previous = False

    def _fill_header_footer(self, section) -> None:
        h = self.house
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        header, footer = section.header, section.footer
        hp = header.paragraphs[0]
        running = self.spec.get("running_header")
        if running:
            r = hp.add_run(running)
            r.font.size = Pt(8)
            r.font.color.rgb = RGBColor.from_string(h["grey"])
            hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _bottom_border(hp, h["color"], 4)
        fp = footer.paragraphs[0]
        style = self.spec.get("footer_style", "right")
        if style == "pagina_van":
            fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = fp.add_run("Pagina ")
            r.font.size = Pt(8)
            _field(fp, "PAGE", size=8)
            r = fp.add_run(" van ")
            r.font.size = Pt(8)
            _field(fp, "NUMPAGES", "1", size=8)
        elif style == "name_left":
            fp.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM - 1), WD_TAB_ALIGNMENT.RIGHT)
            r = fp.add_run(self.spec["meta"]["rekenkamer"])
            r.font.size = Pt(8)
            r.font.color.rgb = RGBColor.from_string(h["color"])
            fp.add_run("\t")
            _field(fp, "PAGE", size=9, color=h["color"])
            _top_border(fp, h["color"], 4)
        else:
            fp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _field(fp, "PAGE", size=9, color=h["grey"])

    def _break_section(self, start, attach_to=None, fresh_headers: bool = False):
        """End the current section (at `attach_to`'s paragraph, or a new empty one); return the new last section.

        fresh_headers: drop the new section's header/footer references, so that new (empty) parts
        can be made for it instead of sharing the previous section's.
        """
        body = self.doc.element.body
        current = body.sectPr
        paragraph = attach_to if attach_to is not None else self.doc.add_paragraph()
        if attach_to is None:
            paragraph.paragraph_format.space_after = Pt(0)
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(copy.deepcopy(current))
        if fresh_headers:
            for ref in current.findall(qn("w:headerReference")) + current.findall(qn("w:footerReference")):
                current.remove(ref)
            for title_pg in current.findall(qn("w:titlePg")):
                current.remove(title_pg)
        section = self.doc.sections[-1]
        section.start_type = start
        return section

    # ---------------------------------------------------------------- text helpers
    def para(self, text: str = "", style: str | None = None, bold: bool = False, italic: bool = False,
             size: float | None = None, color: str | None = None, align=None, after: float | None = None,
             before: float | None = None):
        p = self.doc.add_paragraph(style=style)
        if text:
            r = p.add_run(text)
            r.bold = bold or None
            r.italic = italic or None
            if size:
                r.font.size = Pt(size)
            if color:
                r.font.color.rgb = RGBColor.from_string(color)
        if align is not None:
            p.alignment = align
        if after is not None:
            p.paragraph_format.space_after = Pt(after)
        if before is not None:
            p.paragraph_format.space_before = Pt(before)
        return p

    def page_break(self) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run().add_break(WD_BREAK.PAGE)

    def footnote(self, paragraph, text: str) -> None:
        self.footnotes.append(text)
        number = len(self.footnotes)
        r = paragraph.add_run()
        r._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{number}"/>'))
        r.font.superscript = True

    def _write_footnotes_part(self) -> None:
        if not self.footnotes:
            return
        size = max(self.house["size"] - 2, 7) * 2
        notes = [
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
        ]
        for number, text in enumerate(self.footnotes, start=1):
            safe = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            notes.append(
                f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="Voetnoottekst"/></w:pPr>'
                f'<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="{size}"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:rPr><w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve"> {safe}</w:t></w:r></w:p></w:footnote>')
        xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
               + "".join(notes) + "</w:footnotes>")
        part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, xml.encode("utf-8"), self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)
        settings = self.doc.settings.element
        settings.append(parse_xml(
            f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'))

    # ---------------------------------------------------------------- blocks
    def build(self) -> Document:
        self.heading_index = 0
        self.consumed: set[int] = set()
        for block in self.spec["blocks"]:
            if id(block) in self.consumed:
                continue
            getattr(self, "b_" + block["kind"])(block)
        self._write_footnotes_part()
        props = self.doc.core_properties
        if self.spec.get("pdf_info"):
            props.title = self.spec["meta"]["title"]
            props.author = self.spec["meta"]["rekenkamer"]
            props.subject = "Rekenkameronderzoek jeugdhulp " + str(self.spec["meta"].get("gemeente", ""))
        else:
            props.title = ""
            props.author = ""
            props.subject = ""
        props.last_modified_by = ""
        props.comments = ""
        props.keywords = ""
        props.category = ""
        year = int(self.spec["meta"].get("year") or 2020)
        from datetime import datetime
        props.created = props.modified = datetime(year, 6, 1, 12, 0, 0)
        props.revision = 1
        return self.doc

    def b_cover(self, block: dict[str, Any]) -> None:
        h = self.house
        lines = list(block["lines"])
        top, title = lines[0], lines[1] if len(lines) > 1 else ""
        rest = lines[2:]
        date = rest.pop() if len(rest) >= 1 and re.search(r"\b(19|20)\d\d\b", rest[-1]) else ""
        self.para(top, bold=True, size=15, color=h["color"], after=2)
        line = self.para("", after=60)
        _bottom_border(line, h["color"], 18)
        table = self.doc.add_table(rows=1, cols=1)
        _widths(table, [TEXT_WIDTH_MM])
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell = table.cell(0, 0)
        _shade(cell, h["color"])
        _cell_margins(table, 300, 300, 300, 300)
        p = cell.paragraphs[0]
        r = p.add_run(title)
        r.bold = True
        r.font.size = Pt(28)
        r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        _set_fonts(r._r, h["head_font"])
        p.paragraph_format.space_after = Pt(12)
        for sub in rest:
            p = cell.add_paragraph()
            r = p.add_run(sub)
            r.font.size = Pt(14)
            r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            _set_fonts(r._r, h["head_font"])
        self.para("", after=230)
        if date:
            self.para(date, size=12, color=h["grey"], after=0)
        self.page_break()

    def b_colofon(self, block: dict[str, Any]) -> None:
        h = self.house
        self.para("", after=380)
        p = self.para("Colofon", bold=True, size=h["size"] + 1, color=h["color"], after=6)
        _bottom_border(p, h["color"], 4)
        for line in block["lines"]:
            self.para(line, size=h["size"] - 1, after=1)
        self.page_break()

    def _headings(self) -> list[dict[str, Any]]:
        return [b for b in self.spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]

    def b_toc(self, block: dict[str, Any]) -> None:
        h = self.house
        p = self.para(block.get("title", "Inhoudsopgave"), bold=True, size=18, color=h["color"], after=18)
        p.paragraph_format.keep_with_next = True
        headings = self._headings()
        for n, heading in enumerate(headings):
            level = int(heading.get("level", 1))
            p = self.doc.add_paragraph(style=f"toc {level}")
            if n == 0:
                for xml in (f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>',
                            f'<w:instrText {nsdecls("w")} xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText>',
                            f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'):
                    p.add_run()._r.append(parse_xml(xml))
            number = str(heading.get("number", "") or "")
            label = f"{number}\t{heading['text']}" if number else heading["text"]
            if number:
                p.paragraph_format.tab_stops.add_tab_stop(Cm(0.9 if level == 1 else 1.6))
            page = str(self.toc_pages[n]) if self.toc_pages else "00"
            p.add_run(f"{label}\t{page}")
            if n == len(headings) - 1:
                p.add_run()._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
        self.page_break()

    def b_heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        number = str(block.get("number", "") or "")
        text = f"{number}\t{block['text']}" if number else block["text"]
        if level == 1 and number and self.house.get("chapter_label"):
            text = f"{self.house['chapter_label']} {number} \u2013 {block['text']}"
        if self.house.get("word_numbering"):  # Word's automatic heading numbers: the text carries none
            p = self.doc.add_heading(block["text"], level=min(level, 3))
            if not number:
                p._p.get_or_add_pPr().append(parse_xml(
                    f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'))
                return
            depth = min(level, 3)
            self.heading_counts[depth - 1] += 1
            self.heading_counts[depth:] = [0] * (3 - depth)
            automatic = ".".join(str(c) for c in self.heading_counts[:depth])
            if automatic != number:
                raise ValueError(f"heading {block['text']!r}: spec number {number} but Word would number it {automatic}")
            return
        self.doc.add_heading(text, level=min(level, 3))

    def b_para(self, block: dict[str, Any]) -> None:
        style = {"small": "Voetnoottekst", "quote": "Citaat"}.get(block.get("style", ""), None)
        text = block.get("text", "")
        if block.get("bullets_from_text"):  # "intro: point; point; point." → intro + a bullet list (h10)
            intro, rest = text.split(": ", 1)
            block = {**block, "text": intro + ":", "bullets": rest.split("; ")}
            text = block["text"]
        if block.get("table") and not text:
            self._caption_table(block["table"])
            return
        p = self.para(text, style=style, bold=block.get("bold", False),
                      italic=block.get("italic", False))
        if block.get("justify", True) and self.columns == 1 and not block.get("center"):
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if block.get("center"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if block.get("footnote"):
            self.footnote(p, block["footnote"])
        bullets = block.get("bullets") or []
        if bullets:
            p.paragraph_format.space_after = Pt(3)
            p.paragraph_format.keep_with_next = True
            num_id = self._new_list(94 if self.house.get("word_bullets") else 91)
            for bullet in bullets:
                bp = self.para(bullet, after=2)
                self._numbered(bp, num_id)
            bp.paragraph_format.space_after = Pt(8)
        if block.get("table"):
            self._caption_table(block["table"])
        numbered = block.get("numbered") or []
        if numbered:
            p.paragraph_format.keep_with_next = True
            num_id = self._new_list(90)
            for line in numbered:
                bp = self.para(line, after=3)
                self._numbered(bp, num_id)

    def _caption_table(self, spec_table: dict[str, Any]) -> None:
        """A Word caption above a small table of figures, a source line below (h10)."""
        h = self.house
        caption = self.doc.styles["Caption"]
        caption.font.size = Pt(h["size"] - 1)
        caption.font.italic = True
        caption.font.bold = False
        caption.font.color.rgb = RGBColor.from_string("44546A")
        caption.paragraph_format.space_after = Pt(3)
        caption.paragraph_format.keep_with_next = True
        self.para(spec_table["caption"], style="Caption")
        columns, rows = spec_table["columns"], spec_table["rows"]
        table = self.doc.add_table(rows=1 + len(rows), cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _table_borders(table, "".join(
            f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{h["grey"]}"/>'
            for e in ("top", "left", "bottom", "right", "insideH", "insideV")))
        _cell_margins(table, 30, 30, 80, 80)
        for r, values in enumerate([columns, *rows]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                p = cell.paragraphs[0]
                p.paragraph_format.space_after = Pt(0)
                if c > 0 and spec_table.get("align") != "left":
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run = p.add_run(str(value))
                run.font.size = Pt(h["size"] - 1)
                if r == 0:
                    run.bold = True
                    _shade(cell, h["light"])
                elif spec_table.get("bold_last") and c == len(values) - 1:  # a verdict column (h12d)
                    run.bold = True
        if spec_table.get("align") == "left":  # a text table: the header row repeats on the next page (h12d)
            table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        _widths(table, spec_table.get("widths_mm") or [40] + [25] * (len(columns) - 1))
        if spec_table.get("source"):
            self.para(spec_table["source"], size=h["size"] - 2, italic=True, before=3, after=8)
        else:
            self.para("", after=4)

    def b_quote(self, block: dict[str, Any]) -> None:
        h = self.house
        p = self.para(block["text"], style="Citaat")
        _left_border(p, h["color"], 18)
        if block.get("source"):
            self.para(block["source"], style="Citaat", size=h["size"] - 1)

    def b_page_break(self, block: dict[str, Any]) -> None:
        self.page_break()

    def b_columns(self, block: dict[str, Any]) -> None:
        count = int(block.get("count", 1))
        section = self._break_section(WD_SECTION.CONTINUOUS)
        section.different_first_page_header_footer = False
        sectpr = section._sectPr
        for old in sectpr.findall(qn("w:cols")):
            sectpr.remove(old)
        cols = parse_xml(f'<w:cols {nsdecls("w")} w:num="{count}" w:space="567"/>' if count > 1
                         else f'<w:cols {nsdecls("w")} w:space="720"/>')
        # w:cols must precede w:docGrid etc.; insert after pgMar/pgNumType when present
        anchor = sectpr.find(qn("w:docGrid"))
        if anchor is not None:
            anchor.addprevious(cols)
        else:
            sectpr.append(cols)
        self.columns = count

    # ---------------------------------------------------------------- items
    def _item_runs(self, p, item: dict[str, Any], bold_lead: bool = False, short: bool = False) -> None:
        lead, text = item.get("lead", ""), item.get("text", "")
        r = p.add_run(lead)
        if bold_lead:
            r.bold = True
        if text and not short:
            p.add_run(" " + text)

    def b_items(self, block: dict[str, Any], repeat: bool = False) -> None:
        items = block["items"] if not repeat else [self.items[ref] for ref in block["refs"]]
        typ = block.get("type") or (items[0]["type"] if items else "aanbeveling")
        short = bool(block.get("short")) if repeat else False
        style = block["style"]
        h = self.house
        label = LABELS[typ]
        if style == "numbered" and block.get("number_prefix"):  # "5.%1": numbers per chapter (h10)
            first = str(items[0].get("number", "1")).rsplit(".", 1)[-1]
            num_id = self._new_list(self.prefixed[block["number_prefix"]], int(first))
            for item in items:
                if (block.get("lead_ins") or {}).get(item["id"]):
                    lp = self.para(block["lead_ins"][item["id"]], bold=True, before=6, after=4)
                    lp.paragraph_format.keep_with_next = True
                p = self.doc.add_paragraph()
                self._numbered(p, num_id)
                p.paragraph_format.space_after = Pt(6)
                self._item_runs(p, item, bold_lead=block.get("bold_lead", False), short=short)
        elif style == "numbered":
            num_id = self._new_list(90, int(items[0].get("number", 1) or 1) if items else 1)
            for item in items:
                p = self.doc.add_paragraph()
                self._numbered(p, num_id)
                p.paragraph_format.space_after = Pt(4)
                self._item_runs(p, item, bold_lead=block.get("bold_lead", False), short=short)
        elif style == "number_own_line":
            for item in items:
                p = self.para(f"{item.get('number', '')}.", bold=True, color=h["color"], size=h["size"] + 2, after=0,
                              before=6)
                p.paragraph_format.keep_with_next = True
                p = self.doc.add_paragraph()
                p.paragraph_format.left_indent = Cm(0.75)
                p.paragraph_format.space_after = Pt(6)
                self._item_runs(p, item, bold_lead=block.get("bold_lead", False), short=short)
        elif style == "bold_lead":
            for item in items:
                p = self.doc.add_paragraph()
                p.paragraph_format.space_after = Pt(8)
                if block.get("show_number"):
                    r = p.add_run(f"{item.get('number', '')}. ")
                    r.bold = True
                self._item_runs(p, item, bold_lead=True, short=short)
                if self.columns == 1:
                    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif style == "label":
            for item in items:
                p = self.doc.add_paragraph()
                p.paragraph_format.space_after = Pt(8)
                r = p.add_run(f"{label} {item.get('number', '')}: ")
                r.bold = True
                r.font.color.rgb = RGBColor.from_string(h["color"])
                self._item_runs(p, item, short=short)
        elif style == "table" and block.get("pair") == "next" and not repeat:
            blocks = self.spec["blocks"]
            at = next(n for n, b in enumerate(blocks) if b is block)
            partner = next(b for b in blocks[at + 1:] if b["kind"] == "items")
            self.consumed.add(id(partner))
            self._paired_table(block, items, partner)
        elif style == "table":
            self._items_table(block, items, typ, short)
        elif style == "boxes":
            for item in items:
                self._box(item, label, short)
        else:  # pragma: no cover - spec.load rejects unknown styles
            raise ValueError(style)

    def b_repeat(self, block: dict[str, Any]) -> None:
        self.b_items(block, repeat=True)

    def _items_table(self, block, items, typ, short) -> None:
        h = self.house
        landscape = bool(block.get("landscape")) and not short  # (h14b) the table on landscape pages
        if landscape:
            self._orient(landscape=True)
        columns = block.get("columns") or (["Nr.", LABELS[typ], "Gericht aan"] if typ == "aanbeveling"
                                           else ["Nr.", LABELS[typ]])
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_borders(table, "".join(
            f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{h["grey"]}"/>'
            for e in ("top", "left", "bottom", "right", "insideH", "insideV")))
        _cell_margins(table)
        widths = {"Nr.": 12, "Gericht aan": 30}
        rest = TEXT_WIDTH_MM - sum(widths.get(c, 0) for c in columns)
        flexible = [c for c in columns if c not in widths] or columns
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for cell, name in zip(header.cells, columns):
            _shade(cell, h["color"])
            r = cell.paragraphs[0].add_run(name)
            r.bold = True
            r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        for n, item in enumerate(items):
            row = table.add_row()
            row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")} w:val="false"/>'))
            for cell, name in zip(row.cells, columns):
                p = cell.paragraphs[0]
                p.paragraph_format.space_after = Pt(2)
                key = name.lower()
                if key.startswith("nr"):
                    p.add_run(str(item.get("number", "")))
                elif key.startswith("gericht"):
                    p.add_run({"college": "College", "raad": "Raad"}.get(item.get("addressee") or "", "—"))
                elif key.startswith("reactie") and block.get("reaction_column"):  # (h14b) the college's answer
                    p.add_run(item.get("reaction", ""))
                elif key.startswith("termijn") and block.get("reaction_column"):  # (h14b)
                    p.add_run(item.get("termijn", ""))
                else:
                    self._item_runs(p, item, bold_lead=block.get("bold_lead", True), short=short)
                if n % 2 == 1:
                    _shade(cell, h["light"])
        if block.get("widths_mm") and not short:  # (h14b)
            _widths(table, block["widths_mm"])
        else:
            _widths(table, [widths.get(name, rest / len(flexible)) for name in columns])
        self.para("", after=4)
        if landscape:
            self._orient(landscape=False)

    def _orient(self, landscape: bool) -> None:
        """(h14b) Start a new section on a new page, landscape (297 × 210 mm) or portrait again; the header and
        footer go on (the section keeps the previous one's references)."""
        section = self._break_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))

    def _paired_table(self, block, conclusions, partner) -> None:
        """Conclusions and their recommendations in one table; a conclusion cell spans its recommendations."""
        h = self.house
        columns = block.get("columns") or ["Conclusie", "Aanbeveling"]
        recs = partner["items"]
        rows = sum(max(1, sum(1 for r in recs if r.get("conclusie") == c["id"])) for c in conclusions)
        table = self.doc.add_table(rows=1 + rows, cols=2)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_borders(table, "".join(
            f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{h["grey"]}"/>'
            for e in ("top", "left", "bottom", "right", "insideH", "insideV")))
        _cell_margins(table, 80, 80, 110, 110)
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for cell, name in zip(header.cells, columns):
            _shade(cell, h["color"])
            r = cell.paragraphs[0].add_run(name)
            r.bold = True
            r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        widths = block.get("widths_mm") or [70, TEXT_WIDTH_MM - 70]
        _widths(table, widths)

        def label_and_text(cell, label, item, bold_lead):
            p = cell.paragraphs[0]
            r = p.add_run(label)
            r.bold = True
            r.font.color.rgb = RGBColor.from_string(h["color"])
            p.paragraph_format.space_after = Pt(2)
            p = cell.add_paragraph()
            p.paragraph_format.space_after = Pt(3)
            self._item_runs(p, item, bold_lead=bold_lead)

        at = 1
        for conclusion in conclusions:
            mine = [r for r in recs if r.get("conclusie") == conclusion["id"]]
            span = max(1, len(mine))
            left = table.cell(at, 0)
            if span > 1:
                left = left.merge(table.cell(at + span - 1, 0))
            label_and_text(left, f"Conclusie {conclusion.get('number', '')}", conclusion, True)
            _shade(left, h["light"])
            for k, rec in enumerate(mine):
                label_and_text(table.cell(at + k, 1), f"Aanbeveling {rec.get('number', '')}", rec, False)
            at += span
        self.para("", after=4)

    def _box(self, item, label, short) -> None:
        h = self.house
        table = self.doc.add_table(rows=1, cols=1)
        _widths(table, [TEXT_WIDTH_MM])
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _cell_margins(table, 120, 120, 180, 180)
        cell = table.cell(0, 0)
        _shade(cell, h["light"])
        _cell_borders(cell, top="nil", bottom="nil", right="nil", left=f"single:36:{h['color']}")
        p = cell.paragraphs[0]
        r = p.add_run(f"{label.upper()} {item.get('number', '')}")
        r.bold = True
        r.font.size = Pt(h["size"] - 1)
        r.font.color.rgb = RGBColor.from_string(h["color"])
        p.paragraph_format.space_after = Pt(4)
        p.paragraph_format.keep_with_next = True
        p = cell.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        self._item_runs(p, item, bold_lead=True, short=short)
        self.para("", after=2)

    def b_norm(self, block: dict[str, Any]) -> None:
        h = self.house
        table = self.doc.add_table(rows=1, cols=2)
        _cell_margins(table, 80, 80, 120, 120)
        left, right = table.cell(0, 0), table.cell(0, 1)
        for c in (left, right):
            _shade(c, h["light"])
        _widths(table, [28, TEXT_WIDTH_MM - 28])
        r = left.paragraphs[0].add_run(f"Norm {block.get('number', '')}".strip())
        r.bold = True
        r.font.color.rgb = RGBColor.from_string(h["color"])
        r = right.paragraphs[0].add_run(block.get("text", ""))
        r.italic = True
        for c in (left, right):
            c.paragraphs[0].paragraph_format.space_after = Pt(0)
        self.para("", after=0).paragraph_format.keep_with_next = True
        for finding in block.get("findings", []):
            p = self.para(finding)
            if self.columns == 1:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if block.get("verdict"):
            p = self.para(block["verdict"], bold=True, color=h["color"], after=10)

    def b_findings(self, block: dict[str, Any]) -> None:
        for item in block["items"]:
            p = self.para(item["text"])
            if self.columns == 1:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        h = self.house
        if block.get("scanned"):
            pages = scan.letter_pages(block["paragraphs"], block.get("signature"),
                                      letterhead=block.get("letterhead", ""), seed=int(block.get("seed", 7)))
            section = self._break_section(WD_SECTION.NEW_PAGE, fresh_headers=True)
            section.left_margin = section.right_margin = Mm(0)
            section.top_margin = section.bottom_margin = Mm(0)
            section.header_distance = section.footer_distance = Mm(0)
            section.header.is_linked_to_previous = False
            section.footer.is_linked_to_previous = False
            last = None
            for png in pages:
                p = self.doc.add_paragraph()
                p.paragraph_format.space_after = Pt(0)
                p.paragraph_format.space_before = Pt(0)
                p.paragraph_format.line_spacing = 1.0
                p.add_run().add_picture(io.BytesIO(png), width=Mm(209.5), height=Mm(296.2))
                last = p
            section = self._break_section(WD_SECTION.NEW_PAGE, attach_to=last, fresh_headers=True)
            self._setup_page(section)
            return
        if block.get("letterhead"):
            p = self.para(block["letterhead"], bold=True, size=h["size"] + 2, color=h["grey"], after=2)
        for line in block.get("address", []):
            self.para(line, after=0)
        if block.get("address"):
            self.para("", after=6)
        for line in block.get("meta_lines", []):
            self.para(line, size=h["size"] - 1, after=0)
        if block.get("meta_lines"):
            self.para("", after=6)
        for text in block["paragraphs"]:
            if isinstance(text, dict):  # the recommendation quoted in italics, then the answer
                p = self.para(text.get("quote", ""), italic=True)
                p.add_run(" " + text.get("text", ""))
            else:
                p = self.para(text)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if block.get("signature"):
            self.para("", after=4)
            for line in block["signature"]:
                self.para(line, after=0)
            self.para("", after=6)

    def b_reaction_table(self, block: dict[str, Any]) -> None:
        h = self.house
        columns = block.get("columns") or ["Aanbeveling", "Reactie college"]
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        _table_borders(table, "".join(
            f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{h["grey"]}"/>'
            for e in ("top", "left", "bottom", "right", "insideH", "insideV")))
        _cell_margins(table)
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for cell, name in zip(header.cells, columns):
            _shade(cell, h["color"])
            r = cell.paragraphs[0].add_run(name)
            r.bold = True
            r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        for row_spec in block["rows"]:
            row = table.add_row()
            item = self.items.get(row_spec.get("ref", ""), {})
            for cell, name in zip(row.cells, columns):
                p = cell.paragraphs[0]
                p.paragraph_format.space_after = Pt(2)
                key = name.lower()
                if key.startswith("aanbeveling") and block.get("number_only") and name == columns[0]:
                    r = p.add_run(str(item.get("number", "")))  # the bare number, "5.1" (h10)
                    r.bold = True
                elif key.startswith("aanbeveling"):
                    r = p.add_run(f"{item.get('number', '')}. ")
                    r.bold = True
                    p.add_run(row_spec.get("quote", item.get("lead", "")))
                elif key.startswith("nawoord"):
                    p.add_run(row_spec.get("nawoord", ""))
                else:
                    p.add_run(row_spec.get("reaction", ""))
        _widths(table, block.get("widths_mm") or [TEXT_WIDTH_MM / len(columns)] * len(columns))
        self.para("", after=4)


# -------------------------------------------------------------------- conversion
def _convert(docx_path: Path, out_dir: Path, bookmarks: bool, export_filter: str = "writer_pdf_Export",
             missing_hint: str = "") -> Path:
    """The document as PDF through soffice headless in a throwaway profile; Impress (`impress_pdf_Export`)
    also leaves out its notes pages."""
    options = {
        "ExportBookmarks": {"type": "boolean", "value": "true" if bookmarks else "false"},
        "ExportNotes": {"type": "boolean", "value": "false"},
        **({"ExportNotesPages": {"type": "boolean", "value": "false"}} if export_filter.startswith("impress") else {}),
        "UseTaggedPDF": {"type": "boolean", "value": "false"},
        "EmbedStandardFonts": {"type": "boolean", "value": "true"},
    }
    profile = Path(tempfile.mkdtemp(prefix="lo_profile_"))
    try:
        cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", f"pdf:{export_filter}:" + json.dumps(options, separators=(",", ":")),
               "--outdir", str(out_dir), str(docx_path)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out_dir / (docx_path.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"soffice produced no PDF for {docx_path}{missing_hint}")
    return pdf


def _outline_pages(pdf_path: Path) -> list[tuple[str, int]]:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [(item.get_title() if hasattr(item, "get_title") else item.title,
                 (item.page_index if hasattr(item, "page_index") else item.get_dest().get_index()) + 1)
                for item in pdf.get_toc()]
    finally:
        pdf.close()


def _heading_pages(spec: dict[str, Any], outline: list[tuple[str, int]]) -> list[int]:
    headings = [b for b in spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
    pages, at = [], 0
    for heading in headings:
        want = _squash(heading["text"])
        while at < len(outline) and want not in _squash(outline[at][0]):
            at += 1
        if at >= len(outline):
            raise RuntimeError(f"heading {heading['text']!r} not in the PDF outline")
        pages.append(outline[at][1])
        at += 1
    return pages


def _freeze(pdf_path: Path, year: int) -> None:
    """Overwrite the time-dependent CreationDate and /ID (same byte lengths, so xref offsets stay valid)."""
    data = pdf_path.read_bytes()
    stamp = f"D:{year:04d}0601120000".encode()

    def date(m: re.Match) -> bytes:
        old = m.group(1)
        return b"/CreationDate(" + (stamp + old[len(stamp):] if len(old) >= len(stamp) else old) + b")"
    data = re.sub(rb"/CreationDate\((D:[^)]*)\)", date, data)

    def zeros(m: re.Match) -> bytes:  # hex strings of the trailer /ID and /DocChecksum → zeros
        return re.sub(rb"[0-9A-Fa-f]", b"0", m.group(0)[3:]).join([m.group(0)[:3], b""])
    data = re.sub(rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]", zeros, data)
    data = re.sub(rb"/DocChecksum\s*/[0-9A-Fa-f]+", lambda m: m.group(0)[:13] + re.sub(rb"[0-9A-Fa-f]", b"0", m.group(0)[13:]), data)
    pdf_path.write_bytes(data)


def render(spec: dict[str, Any], out_pdf: Path, builder: type[Builder] | None = None) -> None:
    """Build the .docx (twice when it has an inhoudsopgave: its page numbers come from a first conversion) and
    convert it; `builder` is the Builder subclass of a producer that extends this one (wordboxes, …)."""
    builder = builder or Builder
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="lo_render_") as tmp:
        tmp_dir = Path(tmp)
        docx_path = tmp_dir / f"{spec['id']}.docx"
        toc_pages = None
        # (h22a) a Builder may name a step between the saved .docx and the export (`export_source`: .docx → the
        # file to export, e.g. an .odt patched after LibreOffice's import); the base Builder has none
        source = getattr(builder, "export_source", None) or (lambda path: path)
        if spec.get("toc") or any(b["kind"] == "toc" for b in spec["blocks"]):
            builder(spec, None).build().save(str(docx_path))
            first = _convert(source(docx_path), tmp_dir, bookmarks=True)
            toc_pages = _heading_pages(spec, _outline_pages(first))
            first.unlink()
        builder(spec, toc_pages).build().save(str(docx_path))
        pdf = _convert(source(docx_path), tmp_dir, bookmarks=bool(spec.get("outline")))
        _freeze(pdf, int(spec["meta"].get("year") or 2020))
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
        if os.environ.get("LO_KEEP_DOCX"):
            shutil.copyfile(docx_path, out_pdf.with_suffix(".docx"))
