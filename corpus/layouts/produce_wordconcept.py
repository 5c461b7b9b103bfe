"""Render a layout-corpus spec as a published *concept* of a Word report: line numbers in the margin, a diagonal
"CONCEPT" watermark, a "Concept — vertrouwelijk" header and a version footer (python-docx → LibreOffice Writer PDF).

Rekenkamers send the concept of a report for ambtelijk and bestuurlijk wederhoor as a Word file with **line
numbering** switched on (Layout › Regelnummers › "Elke pagina opnieuw beginnen", every line), so that the
organisation can answer "p. 7, r. 12: …", and with a **watermark** "CONCEPT" (Ontwerpen › Watermerk) in the
header. Now and then that concept, completed with the college's reaction and the nawoord, is what goes online:
attached to the raadsvoorstel because the typeset version was not ready. This producer writes such a document.

It builds the .docx on top of `produce_libreoffice.Builder` (cover table, inhoudsopgave learned from a first
conversion, headings, numbered lists, footnotes and the letter are that Builder's) and hands it to
`produce_libreoffice.render`, which converts it with its `_convert` and `_freeze`. What it adds, all under the spec
key `concept` (no other producer reads it):
  * line numbering: `w:lnNumType` in every section (`concept.line_numbers: {count_by, restart, distance_mm}`:
    restart "newPage" or "continuous"), right-aligned `distance_mm` left of the text, in Word's default style
    (the .docx defines no "Regelnummer" style; LibreOffice sets the numbers in the document's default size,
    11 pt, a little smaller beside paragraphs whose own size is smaller). LibreOffice numbers every text line of
    the body, the cover's and the footnotes' too (the footnote area is counted on its own, from 1), not table
    cells, the header and the footer; it counts empty paragraphs. It draws the numbers after the page's text, so
    in the PDF's text they come after the footer, one number a line;
  * the watermark: a DrawingML text shape ("Watermerk", `wps:wsp`) anchored in every header (the cover's
    first-page header too), centred on the page, rotated −45° (it rises from bottom left to top right), behind
    the text, the word in `concept.watermark_pt` Arial in `concept.watermark_color`. LibreOffice 7.4 imports a
    DrawingML shape with text as a shape plus a linked text frame, and a text frame does not rotate (the word
    comes out horizontal and cut off); Word's own WordArt watermark (VML `textpath`) becomes Fontwork, which the
    PDF export draws as outlines, not text. So the .docx is first converted to .odt, the watermark shape's
    graphic style loses its "Frame" parent (it becomes an ordinary drawing shape whose text turns with it, no
    wrapping) and that .odt is exported: the word is real text, rotated 45°, at the start of each page's text;
  * header: `concept.header` left (grey, 8 pt), a hairline under it; footer: `concept.footer_left` ("versie 0.9,
    14 maart 2023") left and "pagina X van Y" (PAGE / NUMPAGES fields) at a right tab; the cover has neither;
  * `concept.info_title`: the info dictionary's Title as the Word file had it (a working title with the
    version), instead of the meta title;
  * items `numbered` with `lead_ins` ({A5: "Aan de gemeenteraad"}, a bold line before the item, the list
    numbering going on) and items with `bullets: true` (the text up to its first ": " stays in the item's
    paragraph, the rest split at "; " into bullet points indented under it; the gold text stays the whole text);
    the block's `bold_lead` sets the lead in bold;
  * reaction_letter: `letterhead` in the house colour, `letterhead_sub` under it in grey; paragraphs
    `{label, text}`: a bold line ("Aanbeveling 2 – wachttijden") above the answer.
Not supported (raise): scanned letters, columns, kader.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor
from lxml import etree

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import produce_libreoffice as lo  # noqa: E402

WPS_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}
WATERMARK_NAME = "Watermerk"


# -------------------------------------------------------------------- the .odt step
def _odt_with_turning_watermark(docx_path: Path) -> Path:
    """Convert the .docx to .odt and make the watermark shapes ordinary drawing shapes (see the docstring)."""
    out_dir = docx_path.parent
    profile = Path(tempfile.mkdtemp(prefix="lo_profile_"))
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "odt", "--outdir", str(out_dir), str(docx_path)],
                       check=True, capture_output=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    odt = out_dir / (docx_path.stem + ".odt")
    if not odt.exists():
        raise RuntimeError(f"soffice produced no .odt for {docx_path}")
    with zipfile.ZipFile(odt) as zf:
        parts = [(info, zf.read(info.filename)) for info in zf.infolist()]
    patched = []
    found = 0
    for info, data in parts:
        if info.filename in ("styles.xml", "content.xml"):
            root = etree.fromstring(data)
            names = {shape.get(f"{{{ODF['draw']}}}style-name")
                     for shape in root.iter(f"{{{ODF['draw']}}}custom-shape")
                     if (shape.get(f"{{{ODF['draw']}}}name") or "").startswith(WATERMARK_NAME)}
            for style in root.iter(f"{{{ODF['style']}}}style"):
                if style.get(f"{{{ODF['style']}}}name") in names and style.get(f"{{{ODF['style']}}}family") == "graphic":
                    style.attrib.pop(f"{{{ODF['style']}}}parent-style-name", None)
                    for props in style.iter(f"{{{ODF['style']}}}graphic-properties"):
                        props.set(f"{{{ODF['fo']}}}wrap-option", "no-wrap")
                        props.set(f"{{{ODF['draw']}}}auto-grow-width", "false")
                    found += 1
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        patched.append((info, data))
    if not found:
        raise RuntimeError("wordconcept: no watermark shape found in the .odt")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for info, data in patched:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(fixed, data)
    odt.write_bytes(buffer.getvalue())
    return odt


class Builder(lo.Builder):
    # produce_libreoffice.render exports what this returns for the saved .docx
    export_source = staticmethod(_odt_with_turning_watermark)

    def __init__(self, spec: dict[str, Any], toc_pages: list[int] | None):
        for block in spec["blocks"]:
            if block["kind"] in ("columns", "kader") or (block["kind"] == "reaction_letter" and block.get("scanned")):
                raise ValueError(f"wordconcept: block kind {block['kind']!r} (scanned/columns/kader) is not supported")
        self.concept = dict(spec.get("concept") or {})
        self._shape_id = 100
        super().__init__(spec, toc_pages)

    # ---------------------------------------------------------------- pages
    def _setup_page(self, section, first: bool = False) -> None:
        super()._setup_page(section, first)
        numbers = self.concept.get("line_numbers") or {}
        sectpr = section._sectPr
        for old in sectpr.findall(qn("w:lnNumType")):
            sectpr.remove(old)
        distance = int(float(numbers.get("distance_mm", 6)) * 56.7)
        ln = parse_xml(f'<w:lnNumType {nsdecls("w")} w:countBy="{int(numbers.get("count_by", 1))}" '
                       f'w:distance="{distance}" w:restart="{numbers.get("restart", "newPage")}"/>')
        # schema order: … w:pgMar, w:paperSrc, w:pgBorders, w:lnNumType, w:pgNumType, w:cols, … w:titlePg …
        anchor = None
        for tag in ("w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                    "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid"):
            anchor = sectpr.find(qn(tag))
            if anchor is not None:
                break
        if anchor is not None:
            anchor.addprevious(ln)
        else:
            sectpr.append(ln)
        if first:  # the watermark also on the cover (Word puts it into the first-page header as well)
            hp = section.first_page_header.paragraphs[0]
            self._watermark(hp)

    def _fill_header_footer(self, section) -> None:
        h, c = self.house, self.concept
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        hp = section.header.paragraphs[0]
        r = hp.add_run(c.get("header", "Concept"))
        r.font.size = Pt(8)
        r.font.color.rgb = RGBColor.from_string(c.get("header_color", h["grey"]))
        hp.alignment = WD_ALIGN_PARAGRAPH.LEFT
        lo._bottom_border(hp, "A6A6A6", 4)
        self._watermark(hp)
        fp = section.footer.paragraphs[0]
        footer_ppr = self.doc.styles["Footer"].element.get_or_add_pPr()
        for tabs in footer_ppr.findall(qn("w:tabs")):  # the template's centre and right tabs
            footer_ppr.remove(tabs)
        fp.paragraph_format.tab_stops.add_tab_stop(Mm(lo.TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
        r = fp.add_run(c.get("footer_left", ""))
        r.font.size = Pt(8)
        r.font.color.rgb = RGBColor.from_string(h["grey"])
        r = fp.add_run("\tpagina ")
        r.font.size = Pt(8)
        r.font.color.rgb = RGBColor.from_string(h["grey"])
        lo._field(fp, "PAGE", size=8, color=h["grey"])
        r = fp.add_run(" van ")
        r.font.size = Pt(8)
        r.font.color.rgb = RGBColor.from_string(h["grey"])
        lo._field(fp, "NUMPAGES", "1", size=8, color=h["grey"])

    def _watermark(self, paragraph) -> None:
        """A rotated text shape behind the text, centred on the page, anchored in a header paragraph."""
        c = self.concept
        word = c.get("watermark", "CONCEPT")
        size = float(c.get("watermark_pt", 110))
        color = c.get("watermark_color", "D9D9D9")
        width_pt, height_pt = float(c.get("watermark_width_pt", 560)), size * 1.35
        cx, cy = int(width_pt * 12700), int(height_pt * 12700)
        self._shape_id += 1
        xml = (
            f'<w:r {WPS_NS}><w:rPr><w:noProof/></w:rPr><w:drawing>'
            '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" '
            'behindDoc="1" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="page"><wp:align>center</wp:align></wp:positionH>'
            '<wp:positionV relativeFrom="page"><wp:align>center</wp:align></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{self._shape_id}" name="{WATERMARK_NAME} {self._shape_id}"/><wp:cNvGraphicFramePr/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvSpPr txBox="1"/>'
            f'<wps:spPr><a:xfrm rot="-2700000"><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
            '<wps:txbx><w:txbxContent><w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            '<w:jc w:val="center"/></w:pPr>'
            f'<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:color w:val="{color}"/>'
            f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/></w:rPr><w:t>{word}</w:t></w:r></w:p>'
            '</w:txbxContent></wps:txbx>'
            '<wps:bodyPr rot="0" wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" anchorCtr="0">'
            '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')
        paragraph._p.append(parse_xml(xml))

    # ---------------------------------------------------------------- metadata
    def build(self):
        doc = super().build()
        if self.spec.get("pdf_info") and self.concept.get("info_title"):
            doc.core_properties.title = self.concept["info_title"]
        return doc

    # ---------------------------------------------------------------- items
    def b_items(self, block: dict[str, Any], repeat: bool = False) -> None:
        if block["style"] != "numbered" or block.get("number_prefix"):
            return super().b_items(block, repeat)
        items = block["items"] if not repeat else [self.items[ref] for ref in block["refs"]]
        short = bool(block.get("short")) if repeat else False
        num_id = self._new_list(90, int(items[0].get("number", 1) or 1) if items else 1)
        for item in items:
            lead_in = (block.get("lead_ins") or {}).get(item["id"])
            if lead_in:
                lp = self.para(lead_in, bold=True, before=6, after=4)
                lp.paragraph_format.keep_with_next = True
            p = self.doc.add_paragraph()
            self._numbered(p, num_id)
            p.paragraph_format.space_after = Pt(6)
            if item.get("bullets") and not short:
                intro, rest = item.get("text", "").split(": ", 1)
                self._item_runs(p, {**item, "text": intro + ":"}, bold_lead=block.get("bold_lead", False))
                p.paragraph_format.space_after = Pt(3)
                p.paragraph_format.keep_with_next = True
                bullet_id = self._new_list(91)
                points = rest.split("; ")
                for n, point in enumerate(points):
                    bp = self.para(point, after=2 if n < len(points) - 1 else 6)
                    self._numbered(bp, bullet_id)
                    bp.paragraph_format.left_indent = Cm(1.35)
                    bp.paragraph_format.first_line_indent = Cm(-0.6)
            else:
                self._item_runs(p, item, bold_lead=block.get("bold_lead", False), short=short)

    # ---------------------------------------------------------------- the letter
    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        h = self.house
        if block.get("letterhead"):
            self.para(block["letterhead"], bold=True, size=h["size"] + 2, color=h["color"], after=2)
        if block.get("letterhead_sub"):
            self.para(block["letterhead_sub"], size=h["size"] - 2, color=h["grey"], after=10)
        for line in block.get("address", []):
            self.para(line, after=0)
        if block.get("address"):
            self.para("", after=6)
        for line in block.get("meta_lines", []):
            self.para(line, size=h["size"] - 1, after=0)
        if block.get("meta_lines"):
            self.para("", after=6)
        for text in block["paragraphs"]:
            if isinstance(text, dict) and "label" in text:  # a bold line above the answer
                p = self.para(text["label"], bold=True, after=0, before=4)
                p.paragraph_format.keep_with_next = True
                p = self.para(text["text"])
            elif isinstance(text, dict):  # the recommendation quoted in italics, then the answer
                p = self.para(text.get("quote", ""), italic=True)
                p.add_run(" " + text.get("text", ""))
            else:
                p = self.para(text)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if block.get("signature"):  # the closing and the signature kept together
            self.para("", after=4).paragraph_format.keep_with_next = True
            for n, line in enumerate(block["signature"]):
                p = self.para(line, after=0)
                p.paragraph_format.keep_with_next = n < len(block["signature"]) - 1
            self.para("", after=6)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    lo.render(spec, out_pdf, builder=Builder)
