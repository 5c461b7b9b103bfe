"""Render a layout-corpus spec with reportlab (platypus), the way a reportlab-built report looks.

`render(spec, out_pdf)` typesets the spec's blocks in reading order:

- page templates: a cover (colour panel, no header/footer), one-column body, two-column body
  (two frames side by side), and a full-page template for scanned letter pages (no text layer,
  no header/footer);
- headings become TOC entries (`TableOfContents`, two passes with `multiBuild`) and, when
  `outline: true`, PDF bookmarks (`bookmarkPage` + `addOutlineEntry`); with `outline: false`
  no outline entry is written at all;
- footnotes: reportlab has no footnote machinery, so the marker is a superscript in the text
  and a zero-size flowable after the paragraph registers the note on the page it lands on;
  the page template's `onPageEnd` prints the page's notes above the footer;
- tables are real `Table`s (header row repeated, rows may split across pages), lists are
  `ListFlowable`s, boxes are one-cell tables with a background colour;
- `invariant=1`, so re-rendering gives the same bytes.

The house style (fonts, colours) is chosen per rekenkamer (`HOUSES`), with a default.

Optional spec keys (h13b set; none is read unless a spec sets it, so the other specs render as before):
  house: {body, head, colour, tint, size, leading, align: left|justify,    the house style given in the spec
          page_number: dashes,                                             "- 7 -" centred at the page foot
          cover: plain,                                                    a cover without the colour panel:
                                                                           black text, centred
          table_grid: true}                                                tables with thin rules round every
                                                                           cell, a grey header row with black
                                                                           text, repeated on the next page
  para.style: bolditalic                   a paragraph in bold italics (a "Hoofdconclusie")
  para.runin_number / para.runin           a paragraph number ("3.1") and a bold run-in heading
  findings item.runin_number / .runin      ("Wachtlijsten.") before the text; not part of the gold text
  findings item.footnote                   a footnote at the end of a findings paragraph
  items.pair: next (style table)           a conclusie table set with the next `items` block in one
                                           two-column table; each aanbeveling's `conclusies: [C2]` names
                                           the row it stands in (the first one named), a row no
                                           aanbeveling names has an empty cell; the partner block is
                                           not rendered again
  reaction_letter.bold_prefixes            paragraph openings printed in bold ("Overnemen.", ...)

Optional spec keys (h15b set; read only when a spec sets them):
  endnotes: true (top level)               every footnote's marker stays a superscript in the text, but
                                           the note is not printed at the page foot: the notes are
                                           collected and printed, numbered, after the heading that has
  heading.endnotes: true                   this key (e.g. "Noten" at the end of the report)
  items.label_bare / repeat.label_bare     style label without the word: the item's own number in bold
                                           ("C1", "R3") at the start of the paragraph, no colon

Optional spec keys (h20c set; read only when a spec sets them):
  infographic: {title, intro, figures_title, figures: [{value, caption}], route_title,
                steps: [{number, label}], quote: {text, source}, note, accent, footer}
                                           a designed one-page summary ("In één oogopslag") right after
                                           the cover, drawn on the canvas directly: five numbered circles
                                           along a curved dashed route with a short 8 pt label beside each,
                                           large key figures with captions, a quote; every line of text is
                                           placed by coordinates, and the text is drawn in layers (the
                                           circles' numbers, then all labels, the figures' values, their
                                           captions, the quote, the title), not in reading order; the page
                                           is a TOC entry and a bookmark; never an item
  items.label_circle (style label)         each item as a small coloured circle with its number beside
                                           the label line ("Aanbeveling 3", house colour, bold) and under
                                           it the bold lead and the explanation
  house.accent                             the colour of the circles (default: the house colour)
"""
from __future__ import annotations

import datetime
import io
import os
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import spec as spec_module  # noqa: E402

PAGE_W, PAGE_H = A4

FONT_FILES = {
    "LiberationSans": ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf",
                       "liberation/LiberationSans-Italic.ttf", "liberation/LiberationSans-BoldItalic.ttf"),
    "LiberationSerif": ("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf",
                        "liberation/LiberationSerif-Italic.ttf", "liberation/LiberationSerif-BoldItalic.ttf"),
    "Lato": ("lato/Lato-Regular.ttf", "lato/Lato-Bold.ttf", "lato/Lato-Italic.ttf", "lato/Lato-BoldItalic.ttf"),
    "DejaVuSans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf",
                   "dejavu/DejaVuSans-Oblique.ttf", "dejavu/DejaVuSans-BoldOblique.ttf"),
}
BASE14 = {"Helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"),
          "Times": ("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic")}

# House styles: body font, heading font, main colour, light tint, body size, chapters numbered in colour.
HOUSES: dict[str, dict[str, Any]] = {
    "Rekenkamer WVOLV": {"body": "LiberationSans", "head": "LiberationSans", "colour": "#00677F",
                         "tint": "#E3F1F4", "size": 10, "leading": 14.5, "align": TA_LEFT},
    "Rekenkamer Lelystad": {"body": "LiberationSerif", "head": "LiberationSans", "colour": "#9B1B30",
                            "tint": "#F6E7EA", "size": 10.5, "leading": 14, "align": TA_JUSTIFY},
    "Rekenkamer Arnhem": {"body": "Helvetica", "head": "Helvetica", "colour": "#1F4E79",
                          "tint": "#E4ECF5", "size": 10, "leading": 14, "align": TA_LEFT},
}
DEFAULT_HOUSE = {"body": "DejaVuSans", "head": "DejaVuSans", "colour": "#3A5A40", "tint": "#E8EFE9",
                 "size": 10, "leading": 14, "align": TA_LEFT}

ADDRESSEE = {"college": "College van B&W", "raad": "Gemeenteraad", None: "", "": ""}
LABEL = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}

MARGIN_L, MARGIN_R = 25 * mm, 22 * mm
BODY_TOP = PAGE_H - 27 * mm          # below the running header
BODY_BOTTOM = 36 * mm                # above the footnote area and the footer
FOOTNOTE_TOP = 33 * mm
FOOTER_Y = 13 * mm
QUOTE_Y, QUOTE_H = 36 * mm, 40 * mm   # (h20c) the quote panel of the infographic page


def _register(family: str) -> tuple[str, str, str, str]:
    if family in BASE14:
        return BASE14[family]
    names = (family, family + "-Bold", family + "-Italic", family + "-BoldItalic")
    if names[0] not in pdfmetrics.getRegisteredFontNames():
        for name, rel in zip(names, FONT_FILES[family]):
            pdfmetrics.registerFont(TTFont(name, f"/usr/share/fonts/truetype/{rel}"))
        pdfmetrics.registerFontFamily(family, normal=names[0], bold=names[1], italic=names[2],
                                      boldItalic=names[3])
    return names


def _x(text: Any) -> str:
    return escape(str(text or ""))


class Heading(Paragraph):
    """A heading paragraph that the doc template turns into a TOC entry and a bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, plain: str, key: str):
        super().__init__(text, style)
        self.level, self.plain, self.key = level, plain, key


class FootnoteMark(Flowable):
    """Zero-size: registers a footnote on the page where it is drawn."""

    def __init__(self, number: int, text: str, sink: dict[int, list[tuple[int, str]]]):
        super().__init__()
        self.number, self.text, self.sink = number, text, sink
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.sink.setdefault(self.canv.getPageNumber(), []).append((self.number, self.text))


class FullPageImage(Flowable):
    """A scanned page: the PNG drawn over the whole page, nothing else."""

    def __init__(self, png: bytes):
        super().__init__()
        self.png = png

    def wrap(self, aw, ah):
        self.width, self.height = aw, ah
        return aw, ah

    def draw(self):
        self.canv.drawImage(ImageReader(io.BytesIO(self.png)), 0, 0, width=self.width, height=self.height)


class BottomBlock(Flowable):
    """The colofon: lines set at the foot of an otherwise empty page."""

    def __init__(self, paras: list[Paragraph]):
        super().__init__()
        self.paras = paras

    def wrap(self, aw, ah):
        self.width, self.height = aw, ah - 1
        self._sizes = [p.wrap(aw, ah) for p in self.paras]
        return self.width, self.height

    def draw(self):
        y = sum(h + 3 for _, h in self._sizes)
        for para, (_, h) in zip(self.paras, self._sizes):
            y -= h + 3
            para.drawOn(self.canv, 0, y)


class CircleNumber(Flowable):
    """(h20c) A filled circle with a number in it (the recommendations list)."""

    def __init__(self, number: str, colour, font: str, size: float = 9 * mm):
        super().__init__()
        self.number, self.colour, self.font, self.size = number, colour, font, size

    def wrap(self, aw, ah):
        self.width = self.height = self.size
        return self.size, self.size

    def draw(self):
        r = self.size / 2
        self.canv.saveState()
        self.canv.setFillColor(self.colour)
        self.canv.circle(r, r, r, stroke=0, fill=1)
        self.canv.setFillColor(colors.white)
        self.canv.setFont(self.font, 12)
        self.canv.drawCentredString(r, r - 4.3, self.number)
        self.canv.restoreState()


class InfographicPage(Flowable):
    """(h20c) "In één oogopslag": a designed summary page drawn on the canvas, every line by coordinates.

    The right half holds a dashed curved route with five numbered circles, zig-zagging down the page,
    each with a short label in 8 pt beside it; the left column three key figures with captions; the
    foot a quote. Shapes are drawn first, then the text in layers by style (numbers, labels, figure
    values, figure captions, quote, title and intro, the small headings, the note), so the order of
    the page text is not the order a reader follows.
    """

    def __init__(self, renderer: Renderer, data: dict[str, Any]):
        super().__init__()
        self.r, self.data = renderer, data
        self.plain = data.get("title", "In één oogopslag")
        self.key = "infographic"

    def wrap(self, aw, ah):
        self.width, self.height = aw, ah
        return aw, ah

    def draw(self):
        from reportlab.lib.utils import simpleSplit

        c, r, d = self.canv, self.r, self.data
        f, h = r.f, r.h
        colour, accent = r.colour, r.accent
        tint = r.tint
        ink = colors.HexColor("#2B2B2B")
        grey = colors.HexColor("#5A5A5A")
        left = MARGIN_L - 6 * mm
        band_bottom = PAGE_H - 40 * mm

        # ---- shapes ---------------------------------------------------------------------------
        c.saveState()
        c.setFillColor(colour)
        c.rect(0, band_bottom, PAGE_W, PAGE_H - band_bottom, stroke=0, fill=1)
        c.setFillColor(tint)
        c.rect(0, QUOTE_Y, PAGE_W, QUOTE_H, stroke=0, fill=1)       # the quote's panel
        # the route: circle centres zig-zag down the right part of the page
        steps = d.get("steps", [])
        top_y, gap = band_bottom - 36 * mm, 29 * mm
        xs = (104 * mm, 150 * mm)
        centres = [(xs[i % 2], top_y - i * gap) for i in range(len(steps))]
        radius = 6.5 * mm
        c.setStrokeColor(accent)
        c.setLineWidth(2)
        c.setDash(4, 3)
        path = c.beginPath()
        x0, y0 = xs[0] - 14 * mm, top_y + 16 * mm
        path.moveTo(x0, y0)
        path.curveTo(x0, y0 - 10 * mm, centres[0][0], centres[0][1] + 10 * mm, *centres[0])
        for (xa, ya), (xb, yb) in zip(centres, centres[1:]):
            k = (ya - yb) * 0.7     # leave each circle downwards, sweep across, arrive from above
            path.curveTo(xa, ya - k, xb, yb + k, xb, yb)
        xe, ye = centres[-1]
        path.curveTo(xe, ye - 12 * mm, xe + 16 * mm, ye - 8 * mm, xe + 16 * mm, ye - 18 * mm)
        c.drawPath(path, stroke=1, fill=0)
        c.setDash()
        c.setFillColor(accent)
        c.circle(x0, y0, 1.6 * mm, stroke=0, fill=1)
        c.circle(xe + 16 * mm, ye - 18 * mm, 1.6 * mm, stroke=0, fill=1)
        for cx, cy in centres:
            c.setFillColor(colors.white)
            c.circle(cx, cy, radius + 1.2, stroke=0, fill=1)
            c.setFillColor(accent)
            c.circle(cx, cy, radius, stroke=0, fill=1)
        # a thin rule between the figures column and the route
        c.setStrokeColor(colors.HexColor("#C9C9C9"))
        c.setLineWidth(0.5)
        c.line(82 * mm, band_bottom - 14 * mm, 82 * mm, QUOTE_Y + QUOTE_H + 12 * mm)
        c.restoreState()

        # ---- text, layer by layer -------------------------------------------------------------
        c.saveState()
        # the numbers in the circles
        c.setFillColor(colors.white)
        c.setFont(h[1], 15)
        for (cx, cy), step in zip(centres, steps):
            c.drawCentredString(cx, cy - 5.2, str(step["number"]))
        # the labels beside the circles, 8 pt: right of the circle, the lines centred on it
        c.setFillColor(ink)
        for (cx, cy), step in zip(centres, steps):
            x = cx + radius + 4 * mm
            width = (PAGE_W - 14 * mm) - x if cx == xs[1] else 56 * mm
            lines = simpleSplit(step["label"], h[1], 8, width)
            y = cy + (len(lines) - 1) * 9.6 / 2 - 2.8
            c.setFont(h[1], 8)
            for line in lines:
                c.drawString(x, y, line)
                y -= 9.6
        # the key figures: values, then captions
        figures = d.get("figures", [])
        fig_top, fig_gap = band_bottom - 33 * mm, 50 * mm
        c.setFillColor(colour)
        c.setFont(h[1], 25)
        for n, fig in enumerate(figures):
            c.drawString(left, fig_top - n * fig_gap, fig["value"])
        c.setFillColor(grey)
        for n, fig in enumerate(figures):
            y = fig_top - n * fig_gap - 14
            c.setFont(f[0], 8.5)
            for line in simpleSplit(fig["caption"], f[0], 8.5, 52 * mm):
                c.drawString(left, y, line)
                y -= 11
        # the quote
        quote = d.get("quote") or {}
        if quote:
            c.setFillColor(accent)
            c.setFont(h[1], 64)
            c.drawString(left, QUOTE_Y + QUOTE_H - 26 * mm, "\u201c")
            c.setFillColor(colour)
            qx = left + 17 * mm
            y = QUOTE_Y + QUOTE_H - 13 * mm
            c.setFont(f[2], 14)
            for line in simpleSplit(quote["text"], f[2], 14, PAGE_W - qx - 22 * mm):
                c.drawString(qx, y, line)
                y -= 18
            c.setFillColor(grey)
            c.setFont(f[0], 8.5)
            c.drawString(qx, y - 4, quote.get("source", ""))
        # the title and the intro in the band
        c.setFillColor(colors.white)
        c.setFont(h[1], 28)
        c.drawString(left, PAGE_H - 20 * mm, self.plain)
        c.setFont(f[0], 10)
        y = PAGE_H - 28 * mm
        for line in simpleSplit(d.get("intro", ""), f[0], 10, PAGE_W - 2 * left):
            c.drawString(left, y, line)
            y -= 13
        # the small headings over the two parts
        c.setFillColor(colour)
        c.setFont(h[1], 9)
        c.drawString(left, band_bottom - 12 * mm, d.get("figures_title", "").upper())
        c.drawString(xs[0] - 14 * mm, band_bottom - 12 * mm, d.get("route_title", "").upper())
        # the note and the footer line
        c.setFillColor(grey)
        c.setFont(f[2], 8)
        y = QUOTE_Y - 9 * mm
        for line in simpleSplit(d.get("note", ""), f[2], 8, PAGE_W - 2 * left):
            c.drawString(left, y, line)
            y -= 10
        c.setFont(h[0], 8.5)
        c.drawRightString(PAGE_W - MARGIN_R, FOOTER_Y, str(c.getPageNumber()))
        c.restoreState()


class ReportTemplate(BaseDocTemplate):
    def __init__(self, filename: str, renderer: Renderer, **kw):
        super().__init__(filename, **kw)
        self.renderer = renderer

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            self.notify("TOCEntry", (flowable.level - 1, flowable.plain, self.page, flowable.key))
            self.canv.bookmarkPage(flowable.key)   # a named destination: the TOC lines link to it
            if self.renderer.outline:
                self.canv.showOutline()   # open the viewer with the bookmarks panel
                self.canv.addOutlineEntry(flowable.plain, flowable.key, level=flowable.level - 1,
                                          closed=flowable.level > 1)
        elif isinstance(flowable, InfographicPage):   # (h20c) the summary page is a TOC entry too
            self.notify("TOCEntry", (0, flowable.plain, self.page, flowable.key))
            self.canv.bookmarkPage(flowable.key)
            if self.renderer.outline:
                self.canv.showOutline()
                self.canv.addOutlineEntry(flowable.plain, flowable.key, level=0, closed=False)


class Renderer:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.meta = spec["meta"]
        self.outline = bool(spec.get("outline", False))
        self.items = spec_module.items_by_id(spec)
        house = HOUSES.get(self.meta.get("rekenkamer", ""), DEFAULT_HOUSE)
        if spec.get("house"):  # (h13b) a house style given in the spec
            house = {**DEFAULT_HOUSE, **spec["house"]}
            house["align"] = TA_JUSTIFY if house.get("align") in ("justify", TA_JUSTIFY) else TA_LEFT
        self.house = house
        self.colour = colors.HexColor(house["colour"])
        self.accent = colors.HexColor(house.get("accent") or house["colour"])   # (h20c)
        self.tint = colors.HexColor(house["tint"])
        self.grey = colors.HexColor("#555555")
        self.f = _register(house["body"])
        self.h = _register(house["head"])
        self.footnotes: dict[int, list[tuple[int, str]]] = {}
        self.note_no = 0
        self.endnote_list: list[tuple[int, str]] = []   # (h15b) notes collected for the end
        self.heading_no = 0
        self.repeat_rows = 1 if house.get("table_grid") else 0
        self.paired: set[int] = set()   # (h13b) ids of items blocks set inside a paired table
        self._styles()

    # ---- styles -------------------------------------------------------------------------------
    def _styles(self) -> None:
        hs, f, h = self.house, self.f, self.h
        size, lead = hs["size"], hs["leading"]
        S = {}
        S["body"] = ParagraphStyle("body", fontName=f[0], fontSize=size, leading=lead, alignment=hs["align"],
                                   spaceAfter=6)
        S["cell"] = ParagraphStyle("cell", parent=S["body"], fontSize=size - 1, leading=lead - 1.5,
                                   alignment=TA_LEFT, spaceAfter=0)
        S["cellhead"] = ParagraphStyle("cellhead", parent=S["cell"], fontName=h[1],
                                       textColor=colors.black if hs.get("table_grid") else colors.white)
        S["bolditalic"] = ParagraphStyle("bolditalic", parent=S["body"], fontName=f[3])
        S["h1"] = ParagraphStyle("h1", fontName=h[1], fontSize=17, leading=21, textColor=self.colour,
                                 spaceBefore=14, spaceAfter=10, keepWithNext=1)
        S["h2"] = ParagraphStyle("h2", fontName=h[1], fontSize=12.5, leading=16, textColor=self.colour,
                                 spaceBefore=10, spaceAfter=5, keepWithNext=1)
        S["h3"] = ParagraphStyle("h3", fontName=h[2] if h[0] != f[0] else f[1], fontSize=size + 0.5,
                                 leading=lead, spaceBefore=6, spaceAfter=3, keepWithNext=1)
        S["quote"] = ParagraphStyle("quote", parent=S["body"], fontName=f[2], textColor=colors.HexColor("#333333"),
                                    alignment=TA_LEFT, spaceAfter=0)
        S["norm"] = ParagraphStyle("norm", parent=S["body"], fontName=h[1], textColor=self.colour, spaceAfter=0,
                                   alignment=TA_LEFT)
        S["verdict"] = ParagraphStyle("verdict", parent=S["body"], fontName=f[3], spaceAfter=10)
        S["item"] = ParagraphStyle("item", parent=S["body"], spaceAfter=4)
        S["numline"] = ParagraphStyle("numline", parent=S["body"], fontName=h[1], textColor=self.colour,
                                      spaceAfter=1, keepWithNext=1)
        S["indent"] = ParagraphStyle("indent", parent=S["body"], leftIndent=10 * mm)
        S["footnote"] = ParagraphStyle("footnote", fontName=f[0], fontSize=7.5, leading=9.5)
        S["endnote"] = ParagraphStyle("endnote", parent=S["body"], fontSize=size - 1, leading=lead - 1.5,
                                      leftIndent=7 * mm, firstLineIndent=-7 * mm, alignment=TA_LEFT)
        S["letterhead"] = ParagraphStyle("letterhead", fontName=h[1], fontSize=13, leading=17,
                                         textColor=colors.HexColor("#222222"), spaceAfter=2)
        S["letter"] = ParagraphStyle("letter", parent=S["body"], alignment=TA_LEFT)
        S["small"] = ParagraphStyle("small", parent=S["body"], fontSize=size - 1.5, leading=lead - 2.5,
                                    spaceAfter=0, alignment=TA_LEFT)
        S["toctitle"] = ParagraphStyle("toctitle", parent=S["h1"])
        S["circlelabel"] = ParagraphStyle("circlelabel", parent=S["body"], fontName=h[1], textColor=self.colour,
                                          fontSize=size + 1, leading=lead, spaceAfter=1, alignment=TA_LEFT)
        S["cover_org"] = ParagraphStyle("cover_org", fontName=h[1], fontSize=13, leading=16,
                                        textColor=colors.white)
        S["cover_title"] = ParagraphStyle("cover_title", fontName=h[1], fontSize=30, leading=35,
                                          textColor=colors.white, spaceBefore=18, spaceAfter=10)
        S["cover_sub"] = ParagraphStyle("cover_sub", fontName=h[0], fontSize=14, leading=19,
                                        textColor=colors.white, spaceAfter=22)
        S["cover_line"] = ParagraphStyle("cover_line", fontName=h[0], fontSize=11, leading=15,
                                         textColor=colors.white)
        if hs.get("cover") == "plain":  # (h13b) black text on white, centred
            for key, size_, space in (("cover_org", 13, 0), ("cover_title", 26, 60), ("cover_sub", 14, 14),
                                      ("cover_line", 11, 0)):
                S[key] = ParagraphStyle(key, fontName=h[1] if key in ("cover_org", "cover_title") else h[0],
                                        fontSize=size_, leading=size_ * 1.3, textColor=colors.black,
                                        alignment=1, spaceBefore=space, spaceAfter=10)
        toc1 = ParagraphStyle("toc1", fontName=h[1], fontSize=size + 0.5, leading=lead + 4, leftIndent=0,
                              firstLineIndent=0, rightIndent=12 * mm)
        toc2 = ParagraphStyle("toc2", fontName=f[0], fontSize=size, leading=lead + 1, leftIndent=8 * mm,
                              firstLineIndent=0, rightIndent=12 * mm)
        S["toclevels"] = [toc1, toc2]
        self.S = S

    # ---- page decoration ----------------------------------------------------------------------
    def _draw_cover(self, canv, doc):
        if self.house.get("cover") == "plain":
            return
        canv.saveState()
        canv.setFillColor(self.colour)
        canv.rect(0, PAGE_H * 0.30, PAGE_W, PAGE_H * 0.70, stroke=0, fill=1)
        canv.setFillColor(self.tint)
        canv.rect(0, PAGE_H * 0.30 - 6 * mm, PAGE_W, 6 * mm, stroke=0, fill=1)
        canv.restoreState()

    def _draw_body(self, canv, doc):
        canv.saveState()
        header = self.spec.get("running_header")
        if header:
            canv.setFont(self.h[0], 8)
            canv.setFillColor(self.grey)
            canv.drawString(MARGIN_L, PAGE_H - 16 * mm, header)
            canv.setStrokeColor(self.colour)
            canv.setLineWidth(0.6)
            canv.line(MARGIN_L, PAGE_H - 18 * mm, PAGE_W - MARGIN_R, PAGE_H - 18 * mm)
        canv.setFont(self.h[0], 8.5)
        canv.setFillColor(self.grey)
        if self.house.get("page_number") == "dashes":  # (h13b) "- 7 -", centred
            canv.setFont(self.f[0], 10)
            canv.setFillColor(colors.black)
            canv.drawCentredString((MARGIN_L + PAGE_W - MARGIN_R) / 2, FOOTER_Y, f"- {canv.getPageNumber()} -")
        else:
            canv.drawRightString(PAGE_W - MARGIN_R, FOOTER_Y, str(canv.getPageNumber()))
        canv.restoreState()

    def _draw_footnotes(self, canv, doc):
        notes = self.footnotes.get(canv.getPageNumber())
        if not notes:
            return
        canv.saveState()
        canv.setStrokeColor(self.grey)
        canv.setLineWidth(0.4)
        canv.line(MARGIN_L, FOOTNOTE_TOP, MARGIN_L + 45 * mm, FOOTNOTE_TOP)
        y = FOOTNOTE_TOP - 2
        width = PAGE_W - MARGIN_L - MARGIN_R
        for number, text in notes:
            para = Paragraph(f"<super>{number}</super> {_x(text)}", self.S["footnote"])
            _, h = para.wrap(width, 40 * mm)
            y -= h
            para.drawOn(canv, MARGIN_L, y)
        canv.restoreState()

    def templates(self) -> list[PageTemplate]:
        width = PAGE_W - MARGIN_L - MARGIN_R
        height = BODY_TOP - BODY_BOTTOM
        body = Frame(MARGIN_L, BODY_BOTTOM, width, height, id="body", leftPadding=0, rightPadding=0,
                     topPadding=0, bottomPadding=0)
        gap = 8 * mm
        colw = (width - gap) / 2
        left = Frame(MARGIN_L, BODY_BOTTOM, colw, height, id="left", leftPadding=0, rightPadding=0,
                     topPadding=0, bottomPadding=0)
        right = Frame(MARGIN_L + colw + gap, BODY_BOTTOM, colw, height, id="right", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(MARGIN_L, PAGE_H * 0.30 + 10 * mm, width, PAGE_H * 0.70 - 40 * mm, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        scan = Frame(0, 0, PAGE_W, PAGE_H, id="scan", leftPadding=0, rightPadding=0, topPadding=0,
                     bottomPadding=0)
        out = [
            PageTemplate("body", [body], onPage=self._draw_body, onPageEnd=self._draw_footnotes),
            PageTemplate("twocol", [left, right], onPage=self._draw_body, onPageEnd=self._draw_footnotes),
            PageTemplate("cover", [cover], onPage=self._draw_cover),
            PageTemplate("scan", [scan]),
        ]
        if self.spec["blocks"] and self.spec["blocks"][0]["kind"] == "cover":
            out.insert(0, out.pop(2))
        if self.spec.get("infographic"):   # (h20c) a full-page frame; the page number only
            whole = Frame(0, 0, PAGE_W, PAGE_H, id="infographic", leftPadding=0, rightPadding=0, topPadding=0,
                          bottomPadding=0)
            out.append(PageTemplate("infographic", [whole]))
        return out

    # ---- blocks -------------------------------------------------------------------------------
    def story(self) -> list:
        story: list = []
        self.body_template = "body"
        blocks = self.spec["blocks"]
        has_toc_block = any(b["kind"] == "toc" for b in blocks)
        skip_break = False
        for index, block in enumerate(blocks):
            kind = block["kind"]
            if kind == "page_break":
                if not skip_break:
                    story.append(PageBreak())
                skip_break = False
                continue
            skip_break = False
            if kind == "columns":
                self.body_template = "twocol" if int(block.get("count", 1)) > 1 else "body"
                if story and isinstance(story[-1], PageBreak):
                    story.insert(len(story) - 1, NextPageTemplate(self.body_template))
                else:
                    story += [NextPageTemplate(self.body_template), PageBreak()]
                skip_break = True   # a page_break right after the switch would leave an empty page
                continue
            story += getattr(self, f"b_{kind}")(block)
            if kind == "cover" and self.spec.get("toc") and not has_toc_block:
                nxt = blocks[index + 1]["kind"] if index + 1 < len(blocks) else ""
                if nxt != "colofon":
                    story += self.b_toc({})
            if kind == "colofon" and self.spec.get("toc") and not has_toc_block:
                story += self.b_toc({})
        return story

    def b_cover(self, block):
        lines = [_x(line) for line in block.get("lines", [])]
        out = [Spacer(1, 12 * mm)]
        styles = ["cover_org", "cover_title", "cover_sub"] + ["cover_line"] * max(0, len(lines) - 3)
        for line, style in zip(lines, styles):
            out.append(Paragraph(line, self.S[style]))
        nxt = "infographic" if self.spec.get("infographic") else "body"   # (h20c)
        out += [NextPageTemplate(nxt), PageBreak()]
        if self.spec.get("infographic"):
            out += [NextPageTemplate("body"), InfographicPage(self, self.spec["infographic"])]
        return out

    def b_colofon(self, block):
        paras = [Paragraph("<b>Colofon</b>", self.S["small"]), Spacer(1, 2)]
        paras += [Paragraph(_x(line), self.S["small"]) for line in block.get("lines", [])]
        return [BottomBlock(paras)]

    def b_toc(self, block):
        toc = TableOfContents(levelStyles=self.S["toclevels"], dotsMinLevel=0)
        return [Paragraph("Inhoud", self.S["toctitle"]), Spacer(1, 4 * mm), toc]

    def b_heading(self, block):
        level = int(block.get("level", 1))
        number = str(block.get("number", "") or "")
        plain = f"{number} {block['text']}".strip() if number else block["text"]
        self.heading_no += 1
        shown = f"{_x(number)}&nbsp;&nbsp;&nbsp;{_x(block['text'])}" if number else _x(block["text"])
        style = self.S[f"h{min(level, 3)}"]
        out = []
        if level == 1:
            out.append(CondPageBreak(40 * mm))
        out.append(Heading(shown, style, min(level, 2), plain, f"h{self.heading_no}"))
        if block.get("endnotes"):  # (h15b) the collected notes, numbered, under this heading
            for number, note in self.endnote_list:
                out.append(Paragraph(f"{number}&nbsp;&nbsp;{_x(note)}", self.S["endnote"]))
        return out

    def _para_text(self, text: str, footnote: str | None) -> tuple[str, list]:
        if not footnote:
            return _x(text), []
        self.note_no += 1
        if self.spec.get("endnotes"):  # (h15b) marker only; the note goes to the end
            self.endnote_list.append((self.note_no, footnote))
            return f"{_x(text)}<super>{self.note_no}</super>", []
        mark = FootnoteMark(self.note_no, footnote, self.footnotes)
        return f"{_x(text)}<super>{self.note_no}</super>", [mark]

    def b_para(self, block):
        text, extra = self._para_text(block["text"], block.get("footnote"))
        style = self.S["bolditalic"] if block.get("style") == "bolditalic" else self.S["body"]
        return [Paragraph(self._runin(block) + text, style), *extra]

    @staticmethod
    def _runin(block) -> str:
        """(h13b) A paragraph number and a bold run-in heading before the text."""
        out = ""
        if block.get("runin_number"):
            out += f"{_x(block['runin_number'])}&nbsp;&nbsp;&nbsp;"
        if block.get("runin"):
            out += f"<b>{_x(block['runin'])}</b> "
        return out

    def b_quote(self, block):
        text, extra = self._para_text(block["text"], block.get("footnote"))
        table = Table([[Paragraph(text, self.S["quote"])]], colWidths=["100%"], splitInRow=1)
        table.setStyle(TableStyle([
            ("LINEBEFORE", (0, 0), (0, -1), 2.2, self.colour),
            ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        table.hAlign = "LEFT"
        return [Spacer(1, 2), table, *extra, Spacer(1, 8)]

    # items ----------------------------------------------------------------------------------------
    def _full(self, item, short=False) -> str:
        lead, text = item.get("lead", ""), item.get("text", "")
        if short:
            return lead or text
        return " ".join(p for p in (lead, text) if p)

    def _render_items(self, items: list[dict], style: str, kind: str, block: dict, short: bool = False):
        label = LABEL.get(kind, kind.capitalize())
        S = self.S
        if style == "numbered":
            list_items = []
            for n, item in enumerate(items, start=1):
                number = int(item.get("number") or n)
                list_items.append(ListItem(Paragraph(_x(self._full(item, short)), S["item"]), value=number))
            return [ListFlowable(list_items, bulletType="1", bulletFormat="%s.", leftIndent=8 * mm,
                                 bulletFontName=self.f[1], bulletColor=self.colour, spaceAfter=6)]
        if style == "number_own_line":
            out = []
            for n, item in enumerate(items, start=1):
                out.append(Paragraph(f"{_x(item.get('number') or n)}.", S["numline"]))
                out.append(Paragraph(_x(self._full(item, short)), S["indent"]))
            return out
        if style == "bold_lead":
            out = []
            for n, item in enumerate(items, start=1):
                lead = item.get("lead", "")
                rest = "" if short else item.get("text", "")
                number = f"{_x(item.get('number') or n)}.&nbsp;" if block.get("show_number") else ""
                if lead:
                    html = f"<b>{number}{_x(lead)}</b>" + (f" {_x(rest)}" if rest else "")
                else:
                    html = number + _x(rest)
                out.append(Paragraph(html, S["body"]))
            return out
        if style == "label" and block.get("label_circle"):   # (h20c)
            return self._circle_items(items, label, short)
        if style == "label":
            out = []
            for n, item in enumerate(items, start=1):
                html = f"<b>{label} {_x(item.get('number') or n)}:</b> {_x(self._full(item, short))}"
                if block.get("label_bare"):  # (h15b) "C1  text": the code alone in bold
                    html = f"<b>{_x(item.get('number') or n)}</b>&nbsp;&nbsp;{_x(self._full(item, short))}"
                out.append(Paragraph(html, S["body"]))
            return out
        if style == "table":
            return [self._item_table(items, kind, block, short)]
        if style == "boxes":
            out = []
            for n, item in enumerate(items, start=1):
                lead = item.get("lead", "")
                rest = "" if short else item.get("text", "")
                html = (f"<b>{_x(lead)}</b>" if lead else "") + (f" {_x(rest)}" if rest else "")
                box = Table([[Paragraph(f"{label.upper()} {_x(item.get('number') or n)}", S["cellhead"])],
                             [Paragraph(html.strip(), S["cell"])]], colWidths=["100%"], splitInRow=1)
                box.setStyle(TableStyle([
                    ("BACKGROUND", (0, 0), (-1, 0), self.colour),
                    ("BACKGROUND", (0, 1), (-1, -1), self.tint),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, 0), 4), ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
                    ("TOPPADDING", (0, 1), (-1, -1), 7), ("BOTTOMPADDING", (0, 1), (-1, -1), 8),
                ]))
                out += [box, Spacer(1, 9)]
            return out
        raise ValueError(f"unknown item style {style!r}")

    def _circle_items(self, items, label, short):
        """(h20c) A circle with the number, beside it the label line and the lead + explanation."""
        S = self.S
        width = PAGE_W - MARGIN_L - MARGIN_R
        out = []
        for n, item in enumerate(items, start=1):
            number = str(item.get("number") or n)
            lead = item.get("lead", "")
            rest = "" if short else item.get("text", "")
            html = (f"<b>{_x(lead)}</b>" if lead else "") + (f" {_x(rest)}" if rest else "")
            cell = [Paragraph(f"{label} {_x(number)}", S["circlelabel"]), Paragraph(html.strip(), S["item"])]
            row = Table([[CircleNumber(number, self.accent, self.h[1]), cell]], colWidths=[13 * mm, width - 13 * mm])
            row.setStyle(TableStyle([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]))
            out += [row, Spacer(1, 8)]
        return out

    def _item_table(self, items, kind, block, short):
        default = {"aanbeveling": ["Nr.", "Aanbeveling", "Gericht aan"], "conclusie": ["Nr.", "Conclusie"]}
        columns = block.get("columns") or default.get(kind, ["Nr.", kind.capitalize()])
        S = self.S
        data = [[Paragraph(_x(c), S["cellhead"]) for c in columns]]
        for n, item in enumerate(items, start=1):
            row = []
            for col in columns:
                key = col.lower().rstrip(".")
                if key in ("nr", "nummer", "#"):
                    row.append(Paragraph(f"<b>{_x(item.get('number') or n)}</b>", S["cell"]))
                elif key == "gericht aan":
                    row.append(Paragraph(_x(ADDRESSEE.get(item.get("addressee"), item.get("addressee"))), S["cell"]))
                elif key in ("aanbeveling", "conclusie", "bevinding", kind):
                    row.append(Paragraph(_x(self._full(item, short)), S["cell"]))
                else:
                    row.append(Paragraph(_x(item.get(key, "")), S["cell"]))
            data.append(row)
        width = PAGE_W - MARGIN_L - MARGIN_R
        widths = []
        for col in columns:
            key = col.lower().rstrip(".")
            widths.append(12 * mm if key in ("nr", "nummer", "#") else 34 * mm if key == "gericht aan" else None)
        free = width - sum(w for w in widths if w)
        n_free = sum(1 for w in widths if w is None) or 1
        widths = [w if w else free / n_free for w in widths]
        table = Table(data, colWidths=widths, repeatRows=self.repeat_rows, splitInRow=1)
        table.setStyle(self._grid_style())
        return table

    def _grid_style(self):
        if self.house.get("table_grid"):  # (h13b) thin rules round every cell, grey header row
            return TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), self.tint),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ])
        return TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), self.colour),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, self.tint]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#B0B0B0")),
            ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ])

    def b_items(self, block):
        if id(block) in self.paired:   # (h13b) already set in the paired table before it
            return []
        if block.get("pair") == "next" and block.get("style") == "table":
            return self._paired_table(block)
        return self._render_items(block["items"], block["style"], block["type"], block) + [Spacer(1, 4)]

    def _paired_table(self, block):
        """(h13b) Conclusions | recommendations side by side, one row per conclusion."""
        blocks = self.spec["blocks"]
        index = next(n for n, b in enumerate(blocks) if b is block)
        partner = next(b for b in blocks[index + 1:] if b["kind"] == "items")
        self.paired.add(id(partner))
        by_row: dict[str, list[dict]] = {}
        for item in partner["items"]:
            by_row.setdefault((item.get("conclusies") or [""])[0], []).append(item)
        S = self.S
        columns = block.get("columns") or ["Conclusies", "Aanbevelingen"]
        data = [[Paragraph(_x(c), S["cellhead"]) for c in columns]]

        def cell(item):
            return Paragraph(f"<b>{_x(item.get('number', ''))}.</b>&nbsp;{_x(self._full(item))}", S["cell"])

        for item in block["items"]:
            recs = by_row.get(item["id"], [])
            data.append([cell(item), [cell(r) for r in recs] if recs else ""])
        width = PAGE_W - MARGIN_L - MARGIN_R
        table = Table(data, colWidths=[width / 2, width / 2], repeatRows=1, splitInRow=1)
        table.setStyle(self._grid_style())
        return [table, Spacer(1, 8)]

    def b_repeat(self, block):
        items = [self.items[ref] for ref in block["refs"]]
        kind = items[0]["type"] if items else "aanbeveling"
        return self._render_items(items, block["style"], kind, block, short=bool(block.get("short"))) + [Spacer(1, 4)]

    def b_norm(self, block):
        label = f"Norm {_x(block.get('number', ''))}: " if block.get("number") else "Norm: "
        norm = Table([[Paragraph(f"{label}{_x(block.get('text', ''))}", self.S["norm"])]], colWidths=["100%"])
        norm.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), self.tint),
            ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
            ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        out = [KeepTogether([norm, Spacer(1, 6)])]
        out += [Paragraph(_x(p), self.S["body"]) for p in block.get("findings", [])]
        if block.get("verdict"):
            out.append(Paragraph(_x(block["verdict"]), self.S["verdict"]))
        return out

    def b_findings(self, block):
        out = []
        for item in block["items"]:
            text, extra = self._para_text(item["text"], item.get("footnote"))
            out += [Paragraph(self._runin(item) + text, self.S["body"]), *extra]
        return out

    def b_reaction_letter(self, block):
        if block.get("scanned"):
            from scan import letter_pages

            letterhead = block.get("letterhead") or f"Gemeente {self.meta.get('gemeente', '').split(',')[0]}"
            pages = letter_pages(block.get("paragraphs", []), block.get("signature"), letterhead=letterhead)
            out: list = [NextPageTemplate("scan"), PageBreak()]
            for n, png in enumerate(pages):
                if n == len(pages) - 1:
                    out.append(NextPageTemplate(self.body_template))
                out.append(FullPageImage(png))
            return out
        S = self.S
        out: list = []
        if block.get("letterhead"):
            out.append(Paragraph(_x(block["letterhead"]), S["letterhead"]))
        for line in block.get("address", []):
            out.append(Paragraph(_x(line), S["small"]))
        if block.get("letterhead") or block.get("address"):
            out.append(Spacer(1, 8))
        for para in block.get("paragraphs", []):
            html = _x(para)
            for prefix in block.get("bold_prefixes", []):  # (h13b)
                if para.startswith(prefix):
                    html = f"<b>{_x(prefix)}</b>{_x(para[len(prefix):])}"
                    break
            out.append(Paragraph(html, S["letter"]))
        if block.get("signature"):
            out.append(Spacer(1, 6))
            out += [Paragraph(_x(line), S["small"]) for line in block["signature"]]
        table = Table([[out]], colWidths=["100%"], splitInRow=1)
        table.setStyle(TableStyle([
            ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#9A9A9A")),
            ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ]))
        return [table, Spacer(1, 8)]

    def b_reaction_table(self, block):
        columns = block.get("columns") or ["Aanbeveling", "Reactie college", "Nawoord"]
        S = self.S
        data = [[Paragraph(_x(c), S["cellhead"]) for c in columns]]
        for row in block.get("rows", []):
            item = self.items.get(row.get("ref"), {})
            cells = [Paragraph(f"<b>{_x(item.get('number', ''))}.</b> {_x(self._full(item))}", S["cell"]),
                     Paragraph(_x(row.get("reaction", "")), S["cell"])]
            if len(columns) > 2:
                cells.append(Paragraph(_x(row.get("nawoord", "")), S["cell"]))
            data.append(cells[: len(columns)])
        width = PAGE_W - MARGIN_L - MARGIN_R
        if len(columns) > 2:
            widths = [width * 0.36, width * 0.34, width * 0.30]
        else:
            widths = [width * 0.45, width * 0.55]
        table = Table(data, colWidths=widths[: len(columns)], repeatRows=self.repeat_rows, splitInRow=1)
        table.setStyle(self._grid_style())
        return [table, Spacer(1, 8)]


def render(spec: dict, out_pdf: Path) -> None:
    renderer = Renderer(spec)
    meta = spec["meta"]
    info = bool(spec.get("pdf_info", True))
    doc = ReportTemplate(
        str(out_pdf), renderer, pagesize=A4, invariant=1,
        leftMargin=MARGIN_L, rightMargin=MARGIN_R, topMargin=PAGE_H - BODY_TOP, bottomMargin=BODY_BOTTOM,
        title=meta.get("title", "") if info else "",
        author=meta.get("rekenkamer", "") if info else "",
        subject=(f"Rekenkameronderzoek {meta.get('gemeente', '')} {meta.get('year', '')}".strip() if info else ""),
        creator="ReportLab",
        lang="nl-NL",
    )
    doc.addPageTemplates(renderer.templates())
    story = renderer.story()
    # multiBuild re-runs the layout until the table of contents has settled; the footnote
    # register is rebuilt on every pass.
    original = doc.build

    def build_pass(flowables, **kw):
        renderer.footnotes.clear()
        return original(flowables, **kw)

    doc.build = build_pass
    # invariant=1 fixes the document ID; SOURCE_DATE_EPOCH (which reportlab honours) puts the
    # report's own date into CreationDate/ModDate instead of reportlab's invariant 2000-01-01.
    when = str(spec.get("date") or f"{meta.get('year') or 2000}-06-30")
    epoch = int(datetime.datetime.strptime(when, "%Y-%m-%d").replace(
        hour=12, tzinfo=datetime.timezone.utc).timestamp())
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        doc.multiBuild(story)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
