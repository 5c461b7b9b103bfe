"""Render a layout-corpus spec as a report written in a municipal Word template whose headings differ from the
body text only by colour (python-docx → LibreOffice Writer PDF export).

Many gemeenten hand their rekenkamercommissie the organisation's own Word template ("huisstijlsjabloon"): one
font and one size for everything (Arial 10 pt), and the heading styles ("Kop 1", "Kop 2", "Kop 3") changed
to that same font, size and weight, only in the house colour and with a little space above. Chapters are
numbered "2", sections "2.1", the third level is not numbered; the chapter heading is as small as the body
text. Bold is used only for the leads of the recommendations. The inhoudsopgave is set in the same 10 pt, its
page numbers at a right tab without dot leaders, and the PDF is exported without bookmarks.

This producer builds such a .docx on top of `produce_libreoffice.Builder` (numbered lists, footnotes, the
caption table, page breaks and the two-pass inhoudsopgave are that Builder's; that module is not changed) and
converts it with its `_convert` and `_freeze`. What it does differently:
  * styles: Normal at `house.size` with a fixed line pitch (`house.line_pt`, "exact"), `house.after_pt`
    after each paragraph, left-aligned; Heading 1/2/3 at the SAME size, not bold, in `house.color`, with
    `house.heading_before` (points above, per level) and nothing below; the headings keep their outline level
    (the TOC is learned from the first conversion's bookmarks), but the final PDF has none (`outline: false`);
  * toc 1 / toc 2: regular, same size, page number at a right tab WITHOUT leader;
  * cover: the rekenkamer's name in the house colour, a coloured rule, the title at `house.cover_title_pt`
    (regular, house colour), the subtitle, the date at the foot; colofon at the foot of page 2 under a coloured
    line "Colofon" (the same size as the text);
  * footer: the report's short title (`footer_title`, else the meta title) left, the page number right, grey
    8 pt; no running header;
  * items `bold_lead`: the lead in bold, the explanation plain, left-aligned (no number printed unless
    `show_number`);
  * reaction_letter: `letterhead` in the house colour; paragraphs may be `{label, text}`: the label
    ("Aanbeveling 1") on a line of its own in the house colour, regular (like a heading), the answer below.
Not supported (raise): scanned letters, columns, kader.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import produce_libreoffice as lo  # noqa: E402


class Builder(lo.Builder):
    def __init__(self, spec: dict[str, Any], toc_pages: list[int] | None):
        for block in spec["blocks"]:
            if block["kind"] in ("columns", "kader") or (block["kind"] == "reaction_letter" and block.get("scanned")):
                raise ValueError(f"wordtemplate: block kind {block['kind']!r} (scanned/columns/kader) is not supported")
        super().__init__(spec, toc_pages)

    # ---------------------------------------------------------------- styles
    def _setup_styles(self) -> None:
        super()._setup_styles()
        h = self.house
        size = h["size"]
        styles = self.doc.styles
        normal = styles["Normal"]
        pf = normal.paragraph_format
        pf.line_spacing = Pt(float(h.get("line_pt", 13)))  # a Length: lineRule "exact"
        pf.space_after = Pt(float(h.get("after_pt", 7)))
        pf.space_before = Pt(0)
        before = h.get("heading_before", [0, 10, 4])
        for n, name in enumerate(("Heading 1", "Heading 2", "Heading 3")):
            st = styles[name]
            lo._set_fonts(st.element, h["font"])
            st.font.size = Pt(size)
            st.font.bold = False
            st.font.italic = False
            st.font.all_caps = False
            st.font.color.rgb = RGBColor.from_string(h["color"])
            st.paragraph_format.space_before = Pt(before[n])
            st.paragraph_format.space_after = Pt(13 if n == 0 else 0)
            st.paragraph_format.line_spacing = Pt(float(h.get("line_pt", 13)))
            st.paragraph_format.keep_with_next = True
            ppr = st.element.get_or_add_pPr()
            for tabs in ppr.findall(qn("w:tabs")):
                ppr.remove(tabs)
            st.paragraph_format.tab_stops.add_tab_stop(Cm(1.0))
        for name, indent in (("toc 1", 0), ("toc 2", 1.0)):
            st = styles[name]
            st.font.bold = False
            st.paragraph_format.left_indent = Cm(indent)
            st.paragraph_format.space_before = Pt(6 if name == "toc 1" else 0)
            st.paragraph_format.space_after = Pt(0)
            ppr = st.element.get_or_add_pPr()
            for tabs in ppr.findall(qn("w:tabs")):
                ppr.remove(tabs)
            # the page number at a right tab, no leader (Word: "Opvulteken: (geen)")
            st.paragraph_format.tab_stops.add_tab_stop(Mm(lo.TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)

    # ---------------------------------------------------------------- page furniture
    def _fill_header_footer(self, section) -> None:
        h = self.house
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        fp = section.footer.paragraphs[0]
        footer_ppr = self.doc.styles["Footer"].element.get_or_add_pPr()
        for tabs in footer_ppr.findall(qn("w:tabs")):  # the template's centre and right tabs (8.25 / 16.5 cm)
            footer_ppr.remove(tabs)
        fp.paragraph_format.tab_stops.add_tab_stop(Mm(lo.TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
        r = fp.add_run(self.spec.get("footer_title") or self.spec["meta"]["title"])
        r.font.size = Pt(8)
        r.font.color.rgb = RGBColor.from_string(h["grey"])
        fp.add_run("\t")
        lo._field(fp, "PAGE", size=8, color=h["grey"])

    def b_cover(self, block: dict[str, Any]) -> None:
        h = self.house
        lines = list(block["lines"])
        top, title, rest = lines[0], lines[1] if len(lines) > 1 else "", lines[2:]
        date = rest.pop() if rest else ""
        self.para(top, size=h["size"] + 2, color=h["color"], after=4)
        rule = self.para("", after=150)
        lo._bottom_border(rule, h["color"], 24)
        p = self.para(title, size=float(h.get("cover_title_pt", 20)), color=h["color"], after=10)
        p.paragraph_format.line_spacing = 1.0
        for sub in rest:
            p = self.para(sub, size=h["size"] + 2, after=4)
            p.paragraph_format.line_spacing = 1.1
        self.para("", after=300)
        if date:
            self.para(date, size=h["size"], after=0)
        self.page_break()

    def b_colofon(self, block: dict[str, Any]) -> None:
        h = self.house
        self.para("", after=480)
        self.para("Colofon", color=h["color"], after=6)
        for line in block["lines"]:
            self.para(line, size=h["size"] - 1, after=0)
        self.page_break()

    def b_toc(self, block: dict[str, Any]) -> None:
        h = self.house
        p = self.para(block.get("title", "Inhoudsopgave"), color=h["color"], after=13)
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
        self.page_break()

    # ---------------------------------------------------------------- text
    def b_para(self, block: dict[str, Any]) -> None:
        super().b_para({**block, "justify": block.get("justify", False)})

    def b_findings(self, block: dict[str, Any]) -> None:
        for item in block["items"]:
            self.para(item["text"])

    def b_items(self, block: dict[str, Any], repeat: bool = False) -> None:
        if block["style"] != "bold_lead":
            return super().b_items(block, repeat)
        items = block["items"] if not repeat else [self.items[ref] for ref in block["refs"]]
        short = bool(block.get("short")) if repeat else False
        for item in items:
            p = self.doc.add_paragraph()
            if block.get("show_number"):
                r = p.add_run(f"{item.get('number', '')}. ")
                r.bold = True
            self._item_runs(p, item, bold_lead=True, short=short)

    # ---------------------------------------------------------------- the letter
    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        h = self.house
        if block.get("letterhead"):
            self.para(block["letterhead"], size=h["size"] + 2, color=h["color"], after=10, before=14)
        for line in block.get("address", []):
            self.para(line, after=0)
        if block.get("address"):
            self.para("", after=6)
        for line in block.get("meta_lines", []):
            self.para(line, after=0)
        if block.get("meta_lines"):
            self.para("", after=6)
        for text in block["paragraphs"]:
            if isinstance(text, dict) and "label" in text:
                p = self.para(text["label"], color=h["color"], after=0, before=3)
                p.paragraph_format.keep_with_next = True
                self.para(text["text"])
            elif isinstance(text, dict):
                p = self.para(text.get("quote", ""), italic=True)
                p.add_run(" " + text.get("text", ""))
            else:
                self.para(text)
        if block.get("signature"):  # the closing and the signature kept together on one page
            self.para("", after=4).paragraph_format.keep_with_next = True
            for n, line in enumerate(block["signature"]):
                p = self.para(line, after=0)
                p.paragraph_format.keep_with_next = n < len(block["signature"]) - 1
            self.para("", after=6)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    lo.render(spec, out_pdf, builder=Builder)
