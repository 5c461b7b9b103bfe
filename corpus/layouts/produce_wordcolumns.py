"""Render a layout-corpus spec as a Word report set in two columns (python-docx → LibreOffice Writer PDF export).

Many rekenkamers have their reports laid out like a magazine: the cover, the inhoud and every chapter title span
the full width of the page, the running text stands in two justified columns, and tables, the recommendations and
the college's reaction break out of the columns at full width. In Word this is done with **continuous section
breaks** whose section properties (`w:sectPr`) carry `w:cols w:num="2"` or a single column; LibreOffice imports
each such section as a Writer *section* with its own column settings, balanced where the next section begins, so a
full-width table can stand in the middle of a page with two-column text above and below it.

This producer builds such a .docx on top of `produce_libreoffice.Builder` (footnotes, bullets, numbered lists, the
caption table and the header/footer fields are that Builder's; that module is not changed) and converts it with its
`_convert` and `_freeze`. What it does differently:
  * page: `house.margins_mm` [left, right, top, bottom] (default 20, 20, 22, 20); the text width follows from them;
  * styles: Normal in `house.font` at `house.size` with line spacing `house.line`; Heading 1 at 20 pt in
    `house.head_font`, the house colour, a full-width rule under it and a page break before it (a heading block may
    say `new_page: false`); Heading 2 at 11 pt, bold, house colour; Heading 3 at body size, bold;
  * `columns` blocks: the section break is attached to the last paragraph before it (no empty paragraph carries it),
    and the new section gets `w:cols` with `house.col_gap_mm` between the columns (default 8 mm); no separator line;
  * running text (para, findings, bold-lead and numbered items) is justified in one column and in two;
  * cover: a band in the house colour with the rekenkamer's name, the title in large type, the subtitle, the date;
    the toc block sets "Inhoud" (chapters and sections, page numbers at a right tab with dot leaders) and the colofon
    block that follows it stands at the foot of the same page;
  * header: `running_header` left, grey 8 pt, a hairline under it; footer: the page number right in the house
    colour; not on the cover;
  * items `table` with `number_in_cell: true`: a full-width table whose first column (`columns[0]`, e.g.
    "Aanbeveling") holds the number and the bold lead as a first paragraph and the explanation as a second; a column
    "Gericht aan…" holds "College" / "Gemeenteraad", a column "Termijn" the item's `termijn`;
  * reaction_table with a column "Planning": "Aanbeveling" holds the number and the lead, "Reactie…" the row's
    `reaction` (prose), "Planning" the row's `planning`.
Not supported (raise): scanned letters, kader, norm boxes and the other item styles are those of the base Builder.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import produce_libreoffice as lo  # noqa: E402

ADDRESSEES = {"college": "College", "raad": "Gemeenteraad"}


class Builder(lo.Builder):
    def __init__(self, spec: dict[str, Any], toc_pages: list[int] | None):
        for block in spec["blocks"]:
            if block["kind"] == "kader" or (block["kind"] == "reaction_letter" and block.get("scanned")):
                raise ValueError(f"wordcolumns: block kind {block['kind']!r} (scanned/kader) is not supported")
        house = lo._house(spec)
        left, right, top, bottom = house.get("margins_mm", [20, 20, 22, 20])
        self.margins = (left, right, top, bottom)
        self.text_mm = 210 - left - right
        super().__init__(spec, toc_pages)

    # ---------------------------------------------------------------- styles
    def _setup_styles(self) -> None:
        super()._setup_styles()
        h = self.house
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.paragraph_format.line_spacing = float(h.get("line", 1.12))
        normal.paragraph_format.space_after = Pt(5)
        for name, size, before, after, color in (("Heading 1", 20, 0, 16, h["color"]),
                                                 ("Heading 2", 11, 9, 3, h["color"]),
                                                 ("Heading 3", h["size"], 6, 2, "000000")):
            st = styles[name]
            lo._set_fonts(st.element, h["head_font"])
            st.font.size = Pt(size)
            st.font.bold = True
            st.font.color.rgb = RGBColor.from_string(color)
            st.paragraph_format.space_before = Pt(before)
            st.paragraph_format.space_after = Pt(after)
            st.paragraph_format.line_spacing = 1.0
            st.paragraph_format.keep_with_next = True
            ppr = st.element.get_or_add_pPr()
            for tabs in ppr.findall(qn("w:tabs")):
                ppr.remove(tabs)
            st.paragraph_format.tab_stops.add_tab_stop(Cm(1.0 if name == "Heading 1" else 0.9))
        h1 = styles["Heading 1"].element.get_or_add_pPr()
        h1.append(parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="8" w:space="6" '
                            f'w:color="{h["color"]}"/></w:pBdr>'))
        for name in ("toc 1", "toc 2"):
            st = styles[name]
            ppr = st.element.get_or_add_pPr()
            for tabs in ppr.findall(qn("w:tabs")):
                ppr.remove(tabs)
            st.paragraph_format.tab_stops.add_tab_stop(Mm(self.text_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
            st.paragraph_format.left_indent = Cm(0 if name == "toc 1" else 1.0)

    # ---------------------------------------------------------------- page furniture
    def _setup_page(self, section, first: bool = False) -> None:
        left, right, top, bottom = self.margins
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.header_distance, section.footer_distance = Mm(10), Mm(9)
        section.different_first_page_header_footer = first
        self._fill_header_footer(section)
        if first:
            section.first_page_header.is_linked_to_previous = False
            section.first_page_footer.is_linked_to_previous = False

    def _fill_header_footer(self, section) -> None:
        h = self.house
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        hp = section.header.paragraphs[0]
        if self.spec.get("running_header"):
            r = hp.add_run(self.spec["running_header"])
            r.font.size = Pt(8)
            r.font.color.rgb = RGBColor.from_string(h["grey"])
            lo._set_fonts(r._r, h["head_font"])
            hp.paragraph_format.space_after = Pt(0)
            lo._bottom_border(hp, h["grey"], 2)
        fp = section.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        lo._field(fp, "PAGE", size=9, color=h["color"])

    # ---------------------------------------------------------------- columns
    def _last_paragraph(self) -> Paragraph | None:
        body = self.doc.element.body
        children = [c for c in body if c.tag != qn("w:sectPr")]
        if children and children[-1].tag == qn("w:p"):
            ppr = children[-1].pPr
            if ppr is None or ppr.find(qn("w:sectPr")) is None:
                return Paragraph(children[-1], self.doc._body)
        return None

    def b_columns(self, block: dict[str, Any]) -> None:
        count = int(block.get("count", 1))
        if count == self.columns:
            return
        section = self._break_section(WD_SECTION.CONTINUOUS, attach_to=self._last_paragraph())
        section.different_first_page_header_footer = False
        sectpr = section._sectPr
        for old in sectpr.findall(qn("w:cols")):
            sectpr.remove(old)
        gap = int(float(self.house.get("col_gap_mm", 8)) * 56.7)
        cols = parse_xml(f'<w:cols {nsdecls("w")} w:num="{count}" w:space="{gap}"/>' if count > 1
                         else f'<w:cols {nsdecls("w")} w:space="720"/>')
        anchor = sectpr.find(qn("w:docGrid"))
        if anchor is not None:
            anchor.addprevious(cols)
        else:
            sectpr.append(cols)
        self.columns = count

    # ---------------------------------------------------------------- front matter
    def b_cover(self, block: dict[str, Any]) -> None:
        h = self.house
        lines = list(block["lines"])
        top, title, rest = lines[0], lines[1] if len(lines) > 1 else "", lines[2:]
        date = rest.pop() if rest else ""
        table = self.doc.add_table(rows=1, cols=1)
        lo._widths(table, [self.text_mm])
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        lo._cell_margins(table, 260, 260, 300, 300)
        cell = table.cell(0, 0)
        lo._shade(cell, h["color"])
        p = cell.paragraphs[0]
        r = p.add_run(top.upper())
        r.bold = True
        r.font.size = Pt(11)
        r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        lo._set_fonts(r._r, h["head_font"])
        p.paragraph_format.space_after = Pt(0)
        self.para("", after=150)
        p = self.para("", after=10)
        r = p.add_run(title)
        r.bold = True
        r.font.size = Pt(34)
        r.font.color.rgb = RGBColor.from_string(h["color"])
        lo._set_fonts(r._r, h["head_font"])
        p.paragraph_format.line_spacing = 1.0
        rule = self.para("", after=12)
        lo._bottom_border(rule, h["color"], 12)
        for sub in rest:
            p = self.para("", after=4)
            r = p.add_run(sub)
            r.font.size = Pt(14)
            r.font.color.rgb = RGBColor.from_string(h["grey"])
            lo._set_fonts(r._r, h["head_font"])
            p.paragraph_format.line_spacing = 1.1
        self.para("", after=260)
        if date:
            p = self.para("", after=0)
            r = p.add_run(date)
            r.font.size = Pt(12)
            r.font.color.rgb = RGBColor.from_string(h["color"])
            lo._set_fonts(r._r, h["head_font"])
        self.page_break()

    def b_toc(self, block: dict[str, Any]) -> None:
        h = self.house
        p = self.para("", after=16)
        r = p.add_run(block.get("title", "Inhoud"))
        r.bold = True
        r.font.size = Pt(20)
        r.font.color.rgb = RGBColor.from_string(h["color"])
        lo._set_fonts(r._r, h["head_font"])
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
            if number:
                p.paragraph_format.tab_stops.add_tab_stop(Cm(1.0 if level == 1 else 2.0))
            label = f"{number}\t{heading['text']}" if number else heading["text"]
            page = str(self.toc_pages[n]) if self.toc_pages else "00"
            p.add_run(f"{label}\t{page}")
            if n == len(headings) - 1:
                p.add_run()._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
        if not any(b["kind"] == "colofon" for b in self.spec["blocks"]):
            self.page_break()

    def b_colofon(self, block: dict[str, Any]) -> None:
        """The colofon at the foot of the inhoud page (a frame-free spacer, then small lines)."""
        h = self.house
        self.para("", after=int(self.house.get("colofon_space", 170)))
        p = self.para("", after=4)
        r = p.add_run("Colofon")
        r.bold = True
        r.font.size = Pt(h["size"])
        r.font.color.rgb = RGBColor.from_string(h["color"])
        lo._set_fonts(r._r, h["head_font"])
        lo._bottom_border(p, h["color"], 4)
        for line in block["lines"]:
            self.para(line, size=h["size"] - 1, after=0)

    def b_heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        number = str(block.get("number", "") or "")
        text = f"{number}\t{block['text']}" if number else block["text"]
        p = self.doc.add_heading(text, level=min(level, 3))
        if level == 1 and block.get("new_page", True):
            p.paragraph_format.page_break_before = True

    # ---------------------------------------------------------------- text
    def _justified(self, method, block):
        saved, self.columns = self.columns, 1  # the base Builder justifies only in one column
        try:
            method(block)
        finally:
            self.columns = saved

    def b_para(self, block: dict[str, Any]) -> None:
        self._justified(super().b_para, block)

    def b_findings(self, block: dict[str, Any]) -> None:
        self._justified(super().b_findings, block)

    def b_items(self, block: dict[str, Any], repeat: bool = False) -> None:
        items = block["items"] if not repeat else [self.items[ref] for ref in block["refs"]]
        short = bool(block.get("short")) if repeat else False
        if block["style"] == "numbered" and not block.get("number_prefix"):
            num_id = self._new_list(90, int(items[0].get("number", 1) or 1) if items else 1)
            for item in items:
                p = self.doc.add_paragraph()
                self._numbered(p, num_id)
                p.paragraph_format.space_after = Pt(5)
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                self._item_runs(p, item, bold_lead=block.get("bold_lead", False), short=short)
            return
        if block["style"] == "table" and block.get("number_in_cell") and not repeat:
            self._number_in_cell_table(block, items)
            return
        saved, self.columns = self.columns, 1
        try:
            super().b_items(block, repeat)
        finally:
            self.columns = saved

    def _grid_table(self, columns: list[str]):
        h = self.house
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        lo._table_borders(table, "".join(
            f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{h["grey"]}"/>'
            for e in ("top", "bottom", "insideH")) + "".join(
            f'<w:{e} w:val="nil"/>' for e in ("left", "right", "insideV")))
        lo._cell_margins(table, 70, 70, 100, 100)
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for cell, name in zip(header.cells, columns):
            lo._shade(cell, h["color"])
            p = cell.paragraphs[0]
            r = p.add_run(name)
            r.bold = True
            r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            lo._set_fonts(r._r, h["head_font"])
            p.paragraph_format.space_after = Pt(0)
        return table

    def _number_in_cell_table(self, block: dict[str, Any], items: list[dict[str, Any]]) -> None:
        h = self.house
        columns = block["columns"]
        table = self._grid_table(columns)
        for n, item in enumerate(items):
            row = table.add_row()
            row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
            for c, (cell, name) in enumerate(zip(row.cells, columns)):
                p = cell.paragraphs[0]
                p.paragraph_format.space_after = Pt(2)
                key = name.lower()
                if c == 0:
                    r = p.add_run(f"{item.get('number', '')}.\u00a0")
                    r.bold = True
                    r.font.color.rgb = RGBColor.from_string(h["color"])
                    r = p.add_run(item.get("lead", ""))
                    r.bold = True
                    if item.get("text"):
                        p2 = cell.add_paragraph()
                        p2.paragraph_format.space_after = Pt(2)
                        p2.add_run(item["text"])
                elif key.startswith("gericht"):
                    p.add_run(ADDRESSEES.get(item.get("addressee") or "", "—"))
                elif key.startswith("termijn"):
                    p.add_run(item.get("termijn", ""))
                else:
                    p.add_run(str(item.get(key, "")))
                if n % 2 == 1:
                    lo._shade(cell, h["light"])
        lo._widths(table, block.get("widths_mm") or [self.text_mm - 60, 30, 30])
        self.para("", after=4)

    def b_reaction_table(self, block: dict[str, Any]) -> None:
        columns = block.get("columns") or []
        if not any(c.lower().startswith("planning") for c in columns):
            return super().b_reaction_table(block)
        h = self.house
        table = self._grid_table(columns)
        for n, row_spec in enumerate(block["rows"]):
            row = table.add_row()
            row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
            item = self.items.get(row_spec.get("ref", ""), {})
            for cell, name in zip(row.cells, columns):
                p = cell.paragraphs[0]
                p.paragraph_format.space_after = Pt(2)
                key = name.lower()
                if key.startswith("aanbeveling"):
                    r = p.add_run(f"{item.get('number', '')}.\u00a0")
                    r.bold = True
                    r.font.color.rgb = RGBColor.from_string(h["color"])
                    p.add_run(row_spec.get("quote", item.get("lead", "")))
                elif key.startswith("planning"):
                    p.add_run(row_spec.get("planning", ""))
                else:
                    p.add_run(row_spec.get("reaction", ""))
                if n % 2 == 1:
                    lo._shade(cell, h["light"])
        lo._widths(table, block.get("widths_mm") or [50, self.text_mm - 80, 30])
        self.para("", after=4)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    lo.render(spec, out_pdf, builder=Builder)
