"""Render a layout-corpus spec as a Word report whose recommendations stand in floating text boxes
(python-docx + raw OOXML → LibreOffice Writer PDF export).

Many rekenkamer staff write their reports in Word and put each recommendation in a text box ("Tekstvak")
dragged to the right of the paragraphs it follows from, with square wrapping, so the running text continues
to the left of the box. This producer builds such a .docx on top of `produce_libreoffice.Builder` (cover,
colofon, inhoudsopgave, headings, paragraphs, numbered lists, page set-up, header and footer are that
Builder's; that module is not changed) and converts it with its `_convert` and `_freeze`.

The text boxes are written as Word 2007 writes them (a document in compatibility mode): a VML `w:pict` with a
`v:shape` of type 202 (text box), `mso-position-horizontal:right` relative to the margin,
`mso-position-vertical-relative:text` (relative to the anchor paragraph), a fill and a stroke, square wrapping
(`w10:wrap type="square"`), `mso-fit-shape-to-text` (the box grows with its text), and the content in
`v:textbox/w:txbxContent`. LibreOffice 7.4 imports that as a text frame anchored to the character where the
run stands. The DrawingML form (`wps:wsp` in `wp:anchor`) was tried first: LibreOffice imports it as a shape
with a linked text frame, and when the text frame moves to the next page (its anchor paragraph starts on the
page before) the shape's fill and border stay behind, off the page — the box would print as loose text. The
VML box moves whole.

Spec keys read only by this producer (none of them changes the gold derivation):
  items.float: {anchor, at, top_pt, width_mm}
                         the items of the block (any item style name; `boxes` is used) are set together in ONE
                         floating text box: the title "Aanbeveling <number>" (bold, house colour) over each
                         item, the lead in bold, then the text. `anchor` names the paragraph the box is anchored
                         to: a `para` block's `finding` id or its `anchor_id`; `at: start` puts the box's run at
                         the start of that paragraph (the box stands beside it), `at: end` at its end (when the
                         paragraph runs over a page break, LibreOffice draws the box on the next page: the
                         anchor paragraph starts on the page before). `top_pt` moves the box down from the
                         anchor paragraph's top (or the top of the anchor character's page part); width
                         default 62 mm. The block itself prints nothing where it stands in the spec.
  para.endnote: "..."     a Word endnote: the reference mark after the paragraph's text, the note in
                         word/endnotes.xml; numbered as Word numbers endnotes by default, lower-case Roman
                         (i, ii, …: `w:endnotePr/w:numFmt lowerRoman` in settings and in the section).
  para.anchor_id: "X"    a name for a paragraph that is no finding, to anchor a box to.
  reaction_letter.paragraphs may hold {label, text}: a bold line ("Aanbeveling 1") with the answer in the
                         paragraph under it.
Not supported (raise): scanned letters, columns, kader.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import produce_libreoffice as lo  # noqa: E402

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ENDNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
VML_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
          'xmlns:w10="urn:schemas-microsoft-com:office:word"')


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(text)}</w:t>'


class Builder(lo.Builder):
    def __init__(self, spec: dict[str, Any], toc_pages: list[int] | None):
        self.anchors: dict[str, Any] = {}
        self.endnotes: list[str] = []
        self.boxes = 0
        for block in spec["blocks"]:
            if block["kind"] in ("columns", "kader") or (block["kind"] == "reaction_letter" and block.get("scanned")):
                raise ValueError(f"wordboxes: block kind {block['kind']!r} (scanned/columns/kader) is not supported")
        super().__init__(spec, toc_pages)

    # ---------------------------------------------------------------- paragraphs, endnotes
    def b_para(self, block: dict[str, Any]) -> None:
        body = self.doc.element.body
        before = len(body)
        super().b_para({k: v for k, v in block.items() if k != "endnote"})
        # the body's sectPr stays last: the block's elements were inserted before it
        new = [el for el in list(body)[before - 1:-1] if el.tag == qn("w:p")]
        first = new[0] if new else None
        name = block.get("finding") or block.get("anchor_id")
        if name and first is not None:
            self.anchors[name] = first
        if block.get("endnote") and first is not None:
            self.endnotes.append(block["endnote"])
            number = len(self.endnotes)
            first.append(parse_xml(
                f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="Eindnootmarkering"/></w:rPr>'
                f'<w:endnoteReference w:id="{number}"/></w:r>'))

    def _write_endnotes_part(self) -> None:
        if not self.endnotes:
            return
        size = max(self.house["size"] - 1, 7) * 2
        # Word's built-in styles as a Dutch Word names them ("endnote text" / "endnote reference")
        styles = self.doc.styles.element
        styles.append(parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Eindnoottekst"><w:name w:val="endnote text"/>'
            '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr>'
            '<w:spacing w:after="60" w:line="240" w:lineRule="auto"/></w:pPr>'
            f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>'))
        styles.append(parse_xml(
            f'<w:style {nsdecls("w")} w:type="character" w:styleId="Eindnootmarkering">'
            '<w:name w:val="endnote reference"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'))
        notes = [
            '<w:endnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:endnote>',
            '<w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:endnote>',
        ]
        for number, text in enumerate(self.endnotes, start=1):
            notes.append(
                f'<w:endnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="Eindnoottekst"/></w:pPr>'
                f'<w:r><w:rPr><w:rStyle w:val="Eindnootmarkering"/></w:rPr><w:endnoteRef/></w:r>'
                f'<w:r>{_t(" " + text)}</w:r></w:p></w:endnote>')
        xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:endnotes xmlns:w="{W_NS}">'
               + "".join(notes) + "</w:endnotes>")
        part = Part(PackURI("/word/endnotes.xml"), ENDNOTES_CT, xml.encode("utf-8"), self.doc.part.package)
        self.doc.part.relate_to(part, RT.ENDNOTES)
        self.doc.settings.element.append(parse_xml(
            f'<w:endnotePr {nsdecls("w")}><w:numFmt w:val="lowerRoman"/><w:endnote w:id="-1"/>'
            f'<w:endnote w:id="0"/></w:endnotePr>'))
        sectpr = self.doc.element.body.sectPr
        pgsz = sectpr.find(qn("w:pgSz"))
        endnote_pr = parse_xml(f'<w:endnotePr {nsdecls("w")}><w:numFmt w:val="lowerRoman"/></w:endnotePr>')
        if pgsz is not None:
            pgsz.addprevious(endnote_pr)
        else:
            sectpr.append(endnote_pr)

    def build(self):
        doc = super().build()
        self._write_endnotes_part()
        return doc

    # ---------------------------------------------------------------- floating text boxes
    def _box_xml(self, items: list[dict[str, Any]], width_mm: float, top_pt: float) -> Any:
        h = self.house
        self.boxes += 1
        n = self.boxes
        size = max(h["size"] - 1, 7) * 2
        paras = []
        for k, item in enumerate(items):
            paras.append(
                f'<w:p><w:pPr><w:keepNext/><w:spacing w:before="{120 if k else 0}" w:after="60" w:line="240" '
                f'w:lineRule="auto"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="{h["color"]}"/>'
                f'<w:sz w:val="{size + 2}"/></w:rPr>{_t("Aanbeveling " + str(item.get("number", "")))}</w:r></w:p>')
            runs = f'<w:r><w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr>{_t(item.get("lead", ""))}</w:r>'
            if item.get("text"):
                runs += f'<w:r><w:rPr><w:sz w:val="{size}"/></w:rPr>{_t(" " + item["text"])}</w:r>'
            paras.append(f'<w:p><w:pPr><w:spacing w:after="0" w:line="252" w:lineRule="auto"/></w:pPr>{runs}</w:p>')
        width_pt = round(width_mm * 72 / 25.4, 2)
        return parse_xml(
            f'<w:r {VML_NS}><w:rPr><w:noProof/></w:rPr><w:pict>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            f'<v:shape id="Tekstvak {n}" o:spid="_x0000_s{1025 + n}" type="#_x0000_t202" '
            f'style="position:absolute;margin-left:0;margin-top:{top_pt}pt;width:{width_pt}pt;height:80pt;'
            f'z-index:{n};mso-wrap-distance-left:11.35pt;mso-wrap-distance-top:2pt;mso-wrap-distance-right:0;'
            'mso-wrap-distance-bottom:6pt;mso-position-horizontal:right;mso-position-horizontal-relative:margin;'
            'mso-position-vertical-relative:text;mso-width-relative:margin;mso-height-relative:margin;'
            f'v-text-anchor:top" fillcolor="#{h["light"].lower()}" strokecolor="#{h["color"].lower()}" strokeweight="1pt">'
            '<v:textbox style="mso-fit-shape-to-text:t" inset="3mm,2.5mm,3mm,2.5mm">'
            f'<w:txbxContent>{"".join(paras)}</w:txbxContent></v:textbox>'
            '<w10:wrap type="square"/></v:shape></w:pict></w:r>')

    def b_items(self, block: dict[str, Any], repeat: bool = False) -> None:
        if repeat or not block.get("float"):
            return super().b_items(block, repeat)
        spec_float = block["float"]
        anchor = self.anchors.get(spec_float["anchor"])
        if anchor is None:
            raise ValueError(f"wordboxes: box anchor {spec_float['anchor']!r} is no earlier paragraph")
        run = self._box_xml(block["items"], float(spec_float.get("width_mm", 62)), float(spec_float.get("top_pt", 0)))
        if spec_float.get("at", "start") == "start":
            ppr = anchor.find(qn("w:pPr"))
            (ppr.addnext(run) if ppr is not None else anchor.insert(0, run))
        else:
            anchor.append(run)

    # ---------------------------------------------------------------- the letter
    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        paragraphs = block["paragraphs"]
        if not any(isinstance(p, dict) and "label" in p for p in paragraphs):
            return super().b_reaction_letter(block)
        plain = {**block, "paragraphs": [], "signature": []}
        super().b_reaction_letter(plain)  # letterhead, address, date lines
        for text in paragraphs:
            if isinstance(text, dict) and "label" in text:
                p = self.para(text["label"], bold=True, after=0, before=4)
                p.paragraph_format.keep_with_next = True
                p = self.para(text["text"])
            else:
                p = self.para(text)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if block.get("signature"):
            self.para("", after=4)
            for line in block["signature"]:
                self.para(line, after=0)
            self.para("", after=6)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    lo.render(spec, out_pdf, builder=Builder)
