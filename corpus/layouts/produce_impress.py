"""Render a layout-corpus spec as a slide deck: python-pptx builds a .pptx, LibreOffice Impress exports the PDF.

A report published as a presentation (16:9, 13.333 x 7.5 in; one PDF page per slide). The spec's blocks are read
as slides:
  cover                    the title slide (lines: organisation, title, subtitle, date)
  heading (level 1)        starts a new slide; its text is the slide title (a title placeholder, so Impress
                           bookmarks it when `outline: true`); `size` sets the body type size of that slide
  para                     a paragraph of the slide body; `bullet: true` (or `finding: Bn`) makes it a bullet
  findings                 each item a bullet (• drawn by Impress from the paragraph's bullet property)
  kader                    `figures: [[value, label], ...]`: a row of big numbers with a caption each, above the
                           body (a chart-like "infographic" row); `source` a small line under it. Never an item.
  items                    style `numbered`: PowerPoint auto-numbering (a:buAutoNum arabicPeriod, startAt = the
                           item's number), bold lead, then the text; `lead_in` a plain line above the list
  reaction_table           a table: `columns` (e.g. Aanbeveling | Standpunt college); a row's first cell is
                           "<number>. <row.label>", the second `row.reaction`; `widths_in` column widths
Each slide gets a footer line (`deck.footer`) at the left and its slide number at the right, as static text
(what PowerPoint's footer and slide-number fields print). `deck` keys: accent, dark, light, footer, font.

Conversion: `soffice --headless --convert-to pdf:impress_pdf_Export:{json}` in a private profile (Debian
`libreoffice-impress-nogui` 7.4). The .pptx has fixed core properties (created/modified = the report date); the
PDF's clock CreationDate and /ID are overwritten in place (produce_libreoffice._freeze), so the bytes repeat.
"""
from __future__ import annotations

import datetime as _dt
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import spec as spec_module  # noqa: E402
from produce_libreoffice import _convert, _freeze  # noqa: E402

DEFAULT_DECK = {"accent": "1B5E7A", "dark": "1D2B33", "light": "E6F0F4", "font": "Liberation Sans",
                "footer": "", "date": [2023, 3, 14]}
W, H = Inches(13.333), Inches(7.5)


def _rgb(hexstr: str) -> RGBColor:
    return RGBColor.from_string(hexstr.lstrip("#").upper())


class Deck:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.deck = {**DEFAULT_DECK, **(spec.get("deck") or {})}
        self.items = spec_module.items_by_id(spec)
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = W, H
        self.slides: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ grouping blocks into slides
    def group(self) -> None:
        current: dict[str, Any] | None = None
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind == "cover":
                current = {"cover": block, "blocks": []}
                self.slides.append(current)
            elif kind == "heading":
                current = {"title": block["text"], "size": block.get("size", 20), "blocks": []}
                self.slides.append(current)
            elif kind in ("page_break", "toc", "columns"):
                continue
            else:
                if current is None:
                    raise ValueError("impress: content before the first slide")
                current["blocks"].append(block)

    # ------------------------------------------------------------------ helpers
    def _run(self, paragraph, text: str, size: float, bold: bool = False, color: str | None = None,
             italic: bool = False):
        run = paragraph.add_run()
        run.text = text
        font = run.font
        font.size = Pt(size)
        font.bold = bold
        font.italic = italic
        font.name = self.deck["font"]
        font.color.rgb = _rgb(color or self.deck["dark"])
        return run

    def _textbox(self, slide, left, top, width, height):
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = Inches(0.05)
        frame.margin_top = frame.margin_bottom = Inches(0.03)
        return frame

    @staticmethod
    def _bullet(paragraph, char: str | None = None, autonum: int | None = None, color: str = "1B5E7A",
                indent_in: float = 0.32) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.set("marL", str(int(Inches(indent_in))))
        ppr.set("indent", str(-int(Inches(indent_in))))
        clr = etree.SubElement(ppr, qn("a:buClr"))
        etree.SubElement(clr, qn("a:srgbClr")).set("val", color)
        etree.SubElement(ppr, qn("a:buFont")).set("typeface", "Liberation Sans")
        if autonum is not None:
            node = etree.SubElement(ppr, qn("a:buAutoNum"))
            node.set("type", "arabicPeriod")
            node.set("startAt", str(autonum))
        elif char:
            etree.SubElement(ppr, qn("a:buChar")).set("char", char)

    @staticmethod
    def _space(paragraph, before_pt: float) -> None:
        paragraph.space_before = Pt(before_pt)

    def _decorate(self, slide, number: int) -> None:
        d = self.deck
        rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0.6), Inches(6.92), W - Inches(1.2), Emu(9525))
        rule.fill.solid()
        rule.fill.fore_color.rgb = _rgb(d["accent"])
        rule.line.fill.background()
        frame = self._textbox(slide, Inches(0.6), Inches(6.98), Inches(10.5), Inches(0.35))
        self._run(frame.paragraphs[0], d["footer"], 10, color="5A6A72")
        frame = self._textbox(slide, Inches(11.7), Inches(6.98), Inches(1.03), Inches(0.35))
        frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
        self._run(frame.paragraphs[0], str(number), 10, bold=True, color=d["accent"])

    # ------------------------------------------------------------------ slides
    def cover_slide(self, block: dict[str, Any], number: int) -> None:
        d = self.deck
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[0])  # "Title Slide"
        for ph in list(slide.placeholders):
            if ph.placeholder_format.idx != 0:  # drop the subtitle placeholder; keep the title
                ph._element.getparent().remove(ph._element)
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, W, Inches(4.6))
        band.fill.solid()
        band.fill.fore_color.rgb = _rgb(d["accent"])
        band.line.fill.background()
        tree = slide.shapes._spTree  # the band behind the title placeholder (z-order: first drawn)
        tree.remove(band._element)
        tree.insert(2, band._element)
        org, title, sub, *rest = block["lines"] + [""] * 3
        frame = self._textbox(slide, Inches(0.8), Inches(0.7), Inches(11), Inches(0.5))
        self._run(frame.paragraphs[0], org.upper(), 16, bold=True, color="FFFFFF")
        title_shape = slide.shapes.title  # a title placeholder: Impress bookmarks the slide by it
        title_shape.left, title_shape.top = Inches(0.8), Inches(1.6)
        title_shape.width, title_shape.height = Inches(11.5), Inches(1.6)
        tf = title_shape.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.TOP
        tf.paragraphs[0].alignment = PP_ALIGN.LEFT
        self._run(tf.paragraphs[0], title, 44, bold=True, color="FFFFFF")
        frame = self._textbox(slide, Inches(0.8), Inches(3.3), Inches(11.5), Inches(1.0))
        self._run(frame.paragraphs[0], sub, 22, color="FFFFFF")
        frame = self._textbox(slide, Inches(0.8), Inches(5.0), Inches(11.5), Inches(1.4))
        for i, line in enumerate(x for x in rest if x):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            self._run(p, line, 18, color=d["dark"])
        self._decorate(slide, number)

    def content_slide(self, data: dict[str, Any], number: int) -> None:
        d = self.deck
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # "Title Only"
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = Inches(0.6), Inches(0.35), Inches(12.1), Inches(0.95)
        tf = title.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        tf.paragraphs[0].alignment = PP_ALIGN.LEFT
        self._run(tf.paragraphs[0], data["title"], 30, bold=True, color=d["accent"])
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0.6), Inches(1.32), Inches(1.4), Inches(0.07))
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(d["accent"])
        bar.line.fill.background()

        top = Inches(1.6)
        pending: list[dict[str, Any]] = []
        for block in data["blocks"]:
            if (block["kind"] == "kader" and block.get("figures")) or block["kind"] == "reaction_table":
                if pending:  # text above a figure row or a table: a box of its estimated height
                    top = self.body(slide, pending, top, float(data["size"]), fit=True)
                    pending = []
                top = (self.figures if block["kind"] == "kader" else self.table)(slide, block, top)
            else:
                pending.append(block)
        if pending:
            self.body(slide, pending, top, float(data["size"]))
        self._decorate(slide, number)

    def body(self, slide, blocks: list[dict[str, Any]], top, size: float, fit: bool = False):
        """The slide's text blocks in one text box from `top` down (fit: only as high as the text needs)."""
        d = self.deck
        lines = 0
        for block in blocks:
            for text in ([block.get("text", "")] if block["kind"] != "findings" else [i["text"] for i in block["items"]]):
                lines += 1 + int(len(text) * size * 0.5 / (12.0 * 72))
        height = Inches(lines * size * 1.25 / 72 + 0.15) if fit else Inches(6.8) - top
        frame = self._textbox(slide, Inches(0.6), top, Inches(12.1), height)
        first = [True]

        def para():
            if first[0]:
                first[0] = False
                return frame.paragraphs[0]
            p = frame.add_paragraph()
            self._space(p, size * 0.55)
            return p
        for block in blocks:
            kind = block["kind"]
            if kind == "para":
                p = para()
                if block.get("bullet") or block.get("finding"):
                    self._bullet(p, char="•", color=d["accent"])
                self._run(p, block["text"], size, italic=bool(block.get("italic")))
            elif kind == "findings":
                for it in block["items"]:
                    p = para()
                    self._bullet(p, char="•", color=d["accent"])
                    self._run(p, it["text"], size)
            elif kind == "items":
                if block.get("lead_in"):
                    p = para()
                    self._run(p, block["lead_in"], size, bold=True, color=d["accent"])
                for it in block["items"]:
                    if it.get("lead_in"):
                        p = para()
                        self._run(p, it["lead_in"], size, bold=True, color=d["accent"])
                    p = para()
                    self._bullet(p, autonum=int(it["number"]), color=d["accent"], indent_in=0.45)
                    self._run(p, it.get("lead", ""), size, bold=True)
                    if it.get("text"):
                        self._run(p, " " + it["text"], size)
            elif kind == "quote":
                p = para()
                self._run(p, block["text"], size, italic=True)
            else:
                raise ValueError(f"impress: block kind {kind!r} not supported on a slide")
        return top + height + Inches(0.1)

    def figures(self, slide, block: dict[str, Any], top):
        d = self.deck
        figs = block["figures"]
        gap = Inches(0.25)
        width = int((Inches(12.1) - gap * (len(figs) - 1)) / len(figs))
        height = Inches(1.55)
        for i, (value, label) in enumerate(figs):
            left = Inches(0.6) + i * (width + gap)
            card = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
            card.fill.solid()
            card.fill.fore_color.rgb = _rgb(d["light"])
            card.line.fill.background()
            frame = self._textbox(slide, left + Inches(0.15), top + Inches(0.08), width - Inches(0.3), Inches(0.8))
            self._run(frame.paragraphs[0], str(value), 40 if len(figs) <= 3 else 34, bold=True, color=d["accent"])
            frame = self._textbox(slide, left + Inches(0.15), top + Inches(0.9), width - Inches(0.3), Inches(0.6))
            self._run(frame.paragraphs[0], label, 13, color=d["dark"])
        top = top + height + Inches(0.08)
        if block.get("source"):
            frame = self._textbox(slide, Inches(0.6), top, Inches(12.1), Inches(0.3))
            self._run(frame.paragraphs[0], block["source"], 10, italic=True, color="5A6A72")
            top += Inches(0.32)
        return top + Inches(0.12)

    def table(self, slide, block: dict[str, Any], top):
        d = self.deck
        columns = block.get("columns") or ["Aanbeveling", "Standpunt college"]
        rows = block["rows"]
        widths = block.get("widths_in") or [4.3, 7.8]
        row_h = Inches(block.get("row_height_in", 0.8))
        shape = slide.shapes.add_table(len(rows) + 1, len(columns), Inches(0.6), top, Inches(sum(widths)),
                                       row_h * (len(rows) + 1))
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = Inches(w)
        size = float(block.get("size", 14))

        def fill(cell, text, bold=False, color=None, bg=None, lead=None):
            cell.margin_left = cell.margin_right = Inches(0.08)
            cell.margin_top = cell.margin_bottom = Inches(0.04)
            frame = cell.text_frame
            frame.word_wrap = True
            p = frame.paragraphs[0]
            if lead:
                self._run(p, lead, size, bold=True, color=d["accent"])
            self._run(p, text, size, bold=bold, color=color)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(bg or "FFFFFF")
        for j, name in enumerate(columns):
            fill(table.cell(0, j), name, bold=True, color="FFFFFF", bg=d["accent"])
        table.rows[0].height = Inches(0.5)
        for i, row in enumerate(rows, start=1):
            item = self.items.get(row.get("ref"), {})
            bg = d["light"] if i % 2 == 0 else "FFFFFF"
            fill(table.cell(i, 0), row.get("label", ""), bg=bg, lead=f"{item.get('number', '')}. " if item else None)
            fill(table.cell(i, 1), row.get("reaction", ""), bg=bg)
            table.rows[i].height = row_h
        return top + Inches(0.5) + row_h * len(rows) + Inches(0.2)

    # ------------------------------------------------------------------ build
    def build(self) -> Presentation:
        self.group()
        for number, data in enumerate(self.slides, start=1):
            if "cover" in data:
                self.cover_slide(data["cover"], number)
            else:
                self.content_slide(data, number)
        meta = self.spec["meta"]
        y, m, d = self.deck["date"]
        props = self.prs.core_properties
        when = _dt.datetime(y, m, d, 9, 0, 0)
        props.created = props.modified = when
        props.last_printed = when
        props.revision = 1
        props.last_modified_by = meta["rekenkamer"]
        if self.spec.get("pdf_info", True):
            props.title = meta["title"]
            props.author = meta["rekenkamer"]
            props.subject = self.deck.get("subject", "")
            props.keywords = "jeugdhulp; rekenkamer; " + meta.get("gemeente", "")
        else:
            props.title = props.author = props.subject = props.keywords = ""
        return self.prs


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="impress_render_") as tmp:
        tmp_dir = Path(tmp)
        pptx_path = tmp_dir / f"{spec['id']}.pptx"
        Deck(spec).build().save(str(pptx_path))
        pdf = _convert(pptx_path, tmp_dir, bookmarks=bool(spec.get("outline")), export_filter="impress_pdf_Export",
                       missing_hint=" (is libreoffice-impress installed?)")
        _freeze(pdf, int(spec["meta"].get("year") or 2023))
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
