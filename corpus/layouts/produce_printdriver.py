"""Render a layout-corpus spec as a report "printed to PDF" by a printer driver that loses the text's Unicode mapping.

A common real-world defect: the PDF looks perfect, but some or all of its fonts are embedded as subsets with a
custom encoding (character codes 1, 2, 3, … in the order the glyphs were first used, or Identity-H glyph ids) and
without a /ToUnicode map. A PDF printer driver (Windows "Print to PDF" drivers, PostScript drivers distilled
afterwards, some scan-and-merge tools) writes them so when it cannot map the glyphs back to characters. Whoever
reads the page sees the report; whoever extracts its text gets control characters, wrong letters or `(cid:NN)`.
Often only part of a report is hit: a reaction letter printed from the gemeente's own system and bound into the
rekenkamer's PDF has fonts the report's own pages do not share.

How it is made here:
1. the report is rendered by an existing producer (`printdriver.base`, default `libreoffice`, whose
   `render` is called; for LibreOffice with the `Builder` subclass below, which can set the reaction letter in a
   font of its own) into a temporary PDF — the "clean" PDF;
2. pikepdf removes the /ToUnicode map from the chosen fonts: `printdriver.strip_fonts` (regular expressions matched
   against the font's BaseFont without its subset prefix, e.g. "DejaVuSans" or "LiberationSerif") on every page, and
   `printdriver.strip_pages` (1-based page numbers) for every font used on those pages — the fonts of those pages
   are copied first (the copy shares the embedded font program), so other pages that use the same fonts keep their
   maps. Fonts inside form XObjects are treated the same way. Nothing else in a font changes: the encoding stays the
   producer's (LibreOffice: simple TrueType subsets with codes from 1 and no /Encoding; Chromium: Type0
   Identity-H), so the embedded font programs hold no usable character map either (LibreOffice's subsets have a
   (1,0) cmap from code to glyph and a format-3 post table: no glyph names);
3. what a printer driver also loses, when the spec asks: `printdriver.outline: drop` removes the bookmarks
   (/Outlines, /PageMode), `printdriver.structure: drop` the tags (/StructTreeRoot, /MarkInfo, the pages'
   /StructParents) and the link annotations; `printdriver.info` replaces the info dictionary (e.g. Title "Microsoft
   Word - rapport.docx", Creator "PScript5.dll Version 5.2.2"); without it the base producer's info stays;
4. the result is saved by pikepdf with a /ID derived from the content (`deterministic_id`) and no XMP, so
   re-rendering gives the same bytes; then every page of the result and of the clean PDF is rendered with pypdfium2
   and compared pixel for pixel: the producer raises if any page image differs (the defect must be invisible).

Builder keys (LibreOffice base only; read only by this producer):
  reaction_letter.font: "Verdana"     every run of the letter (letterhead, address, meta lines, paragraphs,
                                      signature) in this font — on this machine LibreOffice substitutes DejaVu Sans;
  reaction_letter.size: 9.5           the letter's text size (default the house size);
  reaction_letter.letterhead_lines    small grey lines under the letterhead (the gemeente's address);
  reaction_letter.color               the letterhead's colour (default the house grey).

The gold is what a human reader sees printed, as for every producer. make.py cannot find the items in the text of
a PDF whose body font has lost its map, so it asks this module for the page texts of the clean render
(`gold_page_texts`, registered in make.py): the pages are the same page for page (step 4 checks that).
"""
from __future__ import annotations

import importlib
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import clean_text  # noqa: E402
import produce_libreoffice as lo  # noqa: E402

DEFAULTS: dict[str, Any] = {"base": "libreoffice", "strip_fonts": [], "strip_pages": [], "outline": "keep",
                            "structure": "keep", "info": None, "check_scale": 1.5}

_clean_texts: dict[str, list[str]] = {}  # out_pdf → page texts of the clean render (filled by render)


class Builder(lo.Builder):
    """produce_libreoffice's Builder, with a reaction letter that may be set in a font of its own."""

    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        if not block.get("font") or block.get("scanned"):
            super().b_reaction_letter(block)
            return
        h = self.house
        body = self.doc.element.body
        first = len(body) - (1 if len(body) and body[-1].tag == qn("w:sectPr") else 0)
        size = float(block.get("size") or h["size"])
        if block.get("letterhead"):
            p = self.para(block["letterhead"], bold=True, size=size + 4, color=block.get("color", h["grey"]),
                          after=1)
            p.paragraph_format.keep_with_next = True
        for line in block.get("letterhead_lines", []):
            self.para(line, size=size - 2, color=h["grey"], after=0)
        if block.get("letterhead") or block.get("letterhead_lines"):
            self.para("", after=18)
        for line in block.get("address", []):
            self.para(line, size=size, after=0)
        if block.get("address"):
            self.para("", after=12)
        for line in block.get("meta_lines", []):
            self.para(line, size=size - 1, after=0)
        if block.get("meta_lines"):
            self.para("", after=12)
        for text in block["paragraphs"]:
            if isinstance(text, dict):  # the recommendation quoted in italics, then the answer
                p = self.para(text.get("quote", ""), italic=True, size=size)
                r = p.add_run(" " + text.get("text", ""))
                r.font.size = Pt(size)
            else:
                p = self.para(text, size=size)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.space_after = Pt(8)
        if block.get("signature"):
            self.para("", after=10)
            for n, line in enumerate(block["signature"]):
                p = self.para(line, size=size, after=0)
                p.paragraph_format.keep_with_next = n < len(block["signature"]) - 1
            self.para("", after=6)
        for element in list(body)[first:]:
            for run in element.iter(qn("w:r")):
                rpr = run.find(qn("w:rPr"))
                if rpr is None:
                    rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
                    run.insert(0, rpr)
                for old in rpr.findall(qn("w:rFonts")):
                    rpr.remove(old)
                fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
                for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
                    fonts.set(qn(f"w:{slot}"), block["font"])
                rpr.insert(0, fonts)


# ------------------------------------------------------------------------------------------------ post-processing
def _font_name(font: pikepdf.Object) -> str:
    name = str(font.get("/BaseFont", ""))[1:]
    return re.sub(r"^[A-Z]{6}\+", "", name)


def _strip(font: pikepdf.Object) -> bool:
    if "/ToUnicode" in font:
        del font["/ToUnicode"]
        return True
    return False


def _walk_resources(resources: pikepdf.Object, visit, seen: set) -> None:
    """Call visit(font_dict_holder, key, font) for every font in these resources and in their form XObjects."""
    if resources is None:
        return
    fonts = resources.get("/Font")
    if fonts is not None:
        for key in list(fonts.keys()):
            visit(fonts, key, fonts[key])
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for key in list(xobjects.keys()):
            xobj = xobjects[key]
            if xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
                seen.add(xobj.objgen)
                _walk_resources(xobj.get("/Resources"), visit, seen)


def strip_fonts(pdf: pikepdf.Pdf, patterns: list[str]) -> list[str]:
    """Remove /ToUnicode from every font whose name matches one of `patterns`; return the names stripped."""
    regexes = [re.compile(p) for p in patterns]
    done: dict[tuple, str] = {}

    def visit(holder, key, font):
        if font.objgen in done:
            return
        name = _font_name(font)
        if any(r.search(name) for r in regexes):
            _strip(font)
            done[font.objgen] = name
    for page in pdf.pages:
        _walk_resources(page.obj.get("/Resources"), visit, set())
    return sorted(set(done.values()))


def strip_pages(pdf: pikepdf.Pdf, numbers: list[int]) -> list[str]:
    """Remove /ToUnicode from every font used on the given pages (1-based), through copies used only there.

    The page's resource dictionary and font dictionaries are copied (a font copy shares the embedded font program,
    its widths and its descriptor), so the same font on other pages keeps its map. Fonts in form XObjects on these
    pages are stripped in place (a form XObject is rarely shared between pages in these PDFs)."""
    names: set[str] = set()
    for number in numbers:
        page = pdf.pages[number - 1].obj
        resources = page.get("/Resources")
        if resources is None:
            continue
        resources = pdf.make_indirect(pikepdf.Dictionary({k: v for k, v in resources.items()}))
        page.Resources = resources
        if "/Font" in resources:
            fonts = pikepdf.Dictionary()
            for key, font in resources.Font.items():
                copy = pikepdf.Dictionary({k: v for k, v in font.items() if k != "/ToUnicode"})
                fonts[key] = pdf.make_indirect(copy)
                names.add(_font_name(font))
            resources.Font = fonts

        def visit(holder, key, font):
            if _strip(font):
                names.add(_font_name(font))
        xobjects = resources.get("/XObject")
        if xobjects is not None:
            _walk_resources(pikepdf.Dictionary(XObject=xobjects), visit, set())
    return sorted(names)


def drop_outline(pdf: pikepdf.Pdf) -> None:
    for key in ("/Outlines", "/PageMode"):
        if key in pdf.Root:
            del pdf.Root[key]


def drop_structure(pdf: pikepdf.Pdf) -> None:
    for key in ("/StructTreeRoot", "/MarkInfo", "/Lang"):
        if key in pdf.Root:
            del pdf.Root[key]
    for page in pdf.pages:
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]
        annots = page.obj.get("/Annots")
        if annots is not None:
            keep = pikepdf.Array([a for a in annots if a.get("/Subtype") != "/Link"])
            if len(keep):
                page.obj.Annots = keep
            else:
                del page.obj["/Annots"]


def _page_images(path: Path, scale: float) -> list[bytes]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].render(scale=scale).to_pil().tobytes() for i in range(len(doc))]
    finally:
        doc.close()


def _render_clean(spec: dict[str, Any], out: Path) -> None:
    cfg = {**DEFAULTS, **(spec.get("printdriver") or {})}
    base_name = cfg["base"]
    base_spec = {**spec, "producer": base_name}
    if base_name == "libreoffice":
        lo.render(base_spec, out, builder=Builder)
    else:
        importlib.import_module(f"produce_{base_name}").render(base_spec, out)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    cfg = {**DEFAULTS, **(spec.get("printdriver") or {})}
    with tempfile.TemporaryDirectory(prefix="printdriver_") as tmp:
        clean = Path(tmp) / "clean.pdf"
        _render_clean(spec, clean)
        with pikepdf.open(clean) as pdf:
            stripped = strip_fonts(pdf, list(cfg["strip_fonts"]))
            if cfg["strip_pages"]:
                stripped += strip_pages(pdf, [int(n) for n in cfg["strip_pages"]])
            if not stripped:
                raise ValueError(f"{spec['id']}: printdriver strips no font (check strip_fonts / strip_pages)")
            if cfg["outline"] == "drop":
                drop_outline(pdf)
            if cfg["structure"] == "drop":
                drop_structure(pdf)
            if cfg["info"] is not None:
                info = pikepdf.Dictionary({f"/{k}": pikepdf.String(str(v)) for k, v in cfg["info"].items()})
                pdf.trailer.Info = pdf.make_indirect(info)
            if "/Metadata" in pdf.Root:
                del pdf.Root["/Metadata"]
            pdf.save(out_pdf, deterministic_id=True)
        scale = float(cfg["check_scale"])
        before, after = _page_images(clean, scale), _page_images(out_pdf, scale)
        if len(before) != len(after) or any(a != b for a, b in zip(before, after)):
            raise RuntimeError(f"{spec['id']}: the page images changed when the /ToUnicode maps were removed")
        _clean_texts[str(out_pdf.resolve())] = clean_text.page_texts(clean)


def gold_page_texts(spec: dict[str, Any], out_pdf: Path) -> list[str]:
    """The page texts the gold pages are located in: those of the clean render (the PDF's own text is unreadable
    where the maps were removed). Rendered again when make.py runs with --gold-only."""
    return clean_text.clean_render_texts(spec, out_pdf, _render_clean, _clean_texts, "printdriver_")
