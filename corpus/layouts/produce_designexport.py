"""Render a layout-corpus spec the way an online design tool (Canva, Figma) exports a designed report to PDF.

Such tools keep a page as a stack of free-standing elements (text boxes, shapes, photos) and write the PDF
element by element, with their own text layout:

  * every word is a separately positioned text object (its own ``BT … ET`` with its own ``Tm``) and there are
    NO space characters: the gap between two words exists only as a difference in position.  Body text is
    justified, so the gaps differ from line to line; the last line of a paragraph is set ragged;
  * the elements are written in the order of the designer's layers (the z-order), not in reading order: on a
    page the background shapes and photos come first, then whatever the designer put on the page first (the
    footer, carried along when pages were duplicated), the title, the letter-spaced label, the text boxes in
    the order they were drawn, big numbers, quotes and captions.  A spec names that order per page
    (``page.layers``);
  * letter-spaced caps labels ("BEVINDINGEN · 1", "AAN HET COLLEGE") are set glyph by glyph, each glyph its own
    text object placed with the tracking;
  * text boxes do not flow into each other: a box that overflows is an error of the spec (a designer would
    have made the box larger);
  * no bookmarks, no tagged structure; the info dictionary holds the design's name as Title, the account as
    Author, the design ids as Keywords, Creator and Producer "Canva".

Written with PyMuPDF (``pymupdf``, pip): one ``insert_text`` call per word or glyph, ``draw_rect`` /
``draw_circle`` for the colour blocks, ``insert_image`` for the photos (JPEG, generated here from a seed, so
the file repeats), fonts embedded as Type0 subsets (Lato, TeX Gyre Adventor for the display type, Liberation
Sans for the letter of the gemeente), each page's content streams merged into one.  The PDF has no /ID and
fixed dates, so two runs give the same bytes.

Spec keys (this producer only):
  design: {page: [w, h], info: {title, author, keywords, date}, colours: {name: "RRGGBB"}, folio: "…",
           images: {name: {kind: landscape|bokeh, size: [px, px], seed}}}
  cover: {label, tag, lines: [rekenkamer, title, subtitle, date], image}
  heading level 1: starts a page; {kicker, size, heading_colour, kicker_colour,
           page: {shapes: [{rect: [x, y, w, h], fill, opacity, radius} | {circle: [cx, cy, r], fill} |
                           {image: name, rect: [x, y, w, h]}],
                  boxes: {name: [x, y, w, h]}, layers: [...], folio_colour,
                  tiles: [x, y, w, h, cols, rows, gap], tile_colours, tile_ink,
                  cards: [x, y, w, h, cols, rows, gap], card_fill, circle_colours, card_order,
                  sheets: [x, y, w, h, gap]}}
  heading level 2 / para / findings: {box: name}; para {colour, size, leading, bullet}
  kader: {style: figure, at: [x, y, w], value, label, caption, size, colour, centred} |
         {style: quote, at: [x, y, w], text, source, size, colour}
  items (style boxes): layout tiles (conclusions: number layer "tilenum", text layer "tiletext", the sixth
         cell `extra` in layer "extra") or cards (recommendations: circled numbers "cardnum", tags "cardtag",
         lead and text "cardtext", written in `card_order`)
  reaction_letter (layout sheets): letterhead, letterhead_lines, address, meta_lines, paragraphs, break_after
         (index of the last paragraph on the first sheet), continuation, signature, signature_columns
  colofon (layout backcover): lines
Layer names: shapes, folio, heading, label, box:<name>, figure, quote, caption, tilenum, tiletext, extra,
cardnum, cardtag, cardtext, letter.  Layers a page does not name follow in the order they were made.
"""
from __future__ import annotations

import io
import math
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw, ImageFilter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

LATO = "/usr/share/fonts/truetype/lato/Lato-{}.ttf"
FONTS = {
    "body": LATO.format("Regular"),
    "bold": LATO.format("Bold"),
    "black": LATO.format("Black"),
    "italic": LATO.format("Italic"),
    "display": "/usr/share/texmf/fonts/opentype/public/tex-gyre/texgyreadventor-bold.otf",
    "letter": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "letterbold": "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
}
ALIASES = {"body": "F1", "bold": "F2", "black": "F3", "italic": "F4", "display": "F5", "letter": "F6",
           "letterbold": "F7"}
_METRICS: dict[str, pymupdf.Font] = {}


def metrics(font: str) -> pymupdf.Font:
    if font not in _METRICS:
        _METRICS[font] = pymupdf.Font(fontfile=FONTS[font])
    return _METRICS[font]


def width(text: str, font: str, size: float) -> float:
    return metrics(font).text_length(text, fontsize=size)


def rgb(hexcode: str) -> tuple[float, float, float]:
    h = hexcode.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


class SpecLayoutError(ValueError):
    pass


# --------------------------------------------------------------------------- images (generated, deterministic)

def _lerp(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def image_landscape(w: int, h: int, seed: int, post: float = 0.4) -> bytes:
    """A flat illustration: sky, rolling hills, a winding path towards the horizon, trees and a signpost."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    top, bottom = (247, 226, 196), (252, 243, 230)
    for y in range(h):
        d.line([(0, y), (w, y)], fill=_lerp(top, bottom, y / h))
    d.ellipse([w * 0.68, h * 0.10, w * 0.68 + h * 0.16, h * 0.26], fill=(240, 179, 62))
    hills = [((156, 200, 176), 0.42), ((104, 166, 150), 0.52), ((58, 128, 122), 0.64), ((32, 92, 100), 0.78)]
    for colour, level in hills:
        phase = rnd.uniform(0, math.tau)
        amp = h * rnd.uniform(0.03, 0.06)
        freq = rnd.uniform(1.2, 2.2)
        pts = [(x, h * level + amp * math.sin(phase + freq * math.tau * x / w)) for x in range(0, w + 8, 8)]
        d.polygon(pts + [(w, h), (0, h)], fill=colour)
    # the path: from the bottom edge, narrowing, swinging towards the horizon
    left, right = [], []
    for i in range(61):
        t = i / 60
        y = h - t * h * 0.52
        cx = w * (0.55 + 0.18 * math.sin(t * 3.3 + seed)) * (1 - t) + w * 0.62 * t
        half = w * 0.13 * (1 - t) ** 1.4 + 3
        left.append((cx - half, y))
        right.append((cx + half, y))
    d.polygon(left + right[::-1], fill=(246, 235, 221))
    for _ in range(26):
        x = rnd.uniform(0, w)
        y = rnd.uniform(h * 0.5, h * 0.95)
        r = rnd.uniform(h * 0.018, h * 0.045) * (0.5 + (y / h))
        d.rectangle([x - r * 0.12, y, x + r * 0.12, y + r * 1.4], fill=(60, 48, 40))
        d.ellipse([x - r, y - r * 1.6, x + r, y + r * 0.4], fill=(27, 59, 90) if rnd.random() < 0.4 else (46, 127, 122))
    sx, sy = w * post, h * 0.60
    d.rectangle([sx - 5, sy - 40, sx + 5, sy + 150], fill=(31, 45, 61))
    d.polygon([(sx, sy - 30), (sx + 120, sy - 30), (sx + 145, sy - 8), (sx + 120, sy + 14), (sx, sy + 14)],
              fill=(232, 112, 95))
    d.polygon([(sx, sy + 26), (sx - 110, sy + 26), (sx - 135, sy + 48), (sx - 110, sy + 70), (sx, sy + 70)],
              fill=(240, 179, 62))
    out = io.BytesIO()
    img.filter(ImageFilter.GaussianBlur(1.2)).save(out, "JPEG", quality=84, optimize=False)
    return out.getvalue()


def image_bokeh(w: int, h: int, seed: int) -> bytes:
    """A blurred 'photo': soft lights in a waiting room, out of focus."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h):
        d.line([(0, y), (w, y)], fill=_lerp((52, 74, 92), (120, 96, 78), y / h))
    layer = Image.new("RGB", (w, h), (0, 0, 0))
    ld = ImageDraw.Draw(layer)
    for _ in range(70):
        x, y = rnd.uniform(0, w), rnd.uniform(0, h)
        r = rnd.uniform(w * 0.02, w * 0.09)
        c = rnd.choice([(240, 190, 120), (250, 220, 170), (200, 150, 110), (140, 180, 190)])
        ld.ellipse([x - r, y - r, x + r, y + r], fill=tuple(int(v * rnd.uniform(0.35, 0.8)) for v in c))
    layer = layer.filter(ImageFilter.GaussianBlur(w * 0.025))
    img = Image.blend(img, layer, 0.5)
    img = ImageChops.add(img, layer, scale=1.6)
    out = io.BytesIO()
    img.filter(ImageFilter.GaussianBlur(2)).save(out, "JPEG", quality=84, optimize=False)
    return out.getvalue()


IMAGE_KINDS = {"landscape": image_landscape, "bokeh": image_bokeh}


# --------------------------------------------------------------------------- a page as a stack of layers

class Canvas:
    """One page: drawing operations collected per layer, written to the PDF in the page's layer order."""

    def __init__(self, doc: Exporter, layers: list[str] | None = None):
        self.doc = doc
        self.order = list(layers or [])
        self.layers: dict[str, list[Callable[[pymupdf.Page], None]]] = {}
        self.made: list[str] = []

    def add(self, layer: str, op: Callable[[pymupdf.Page], None]) -> None:
        if layer not in self.layers:
            self.layers[layer] = []
            self.made.append(layer)
        self.layers[layer].append(op)

    # shapes ------------------------------------------------------------------
    def rect(self, r: list[float], fill: str, opacity: float = 1.0, radius: float | None = None,
             stroke: str | None = None, layer: str = "shapes") -> None:
        x, y, w, h = r
        fill_c, stroke_c = self.doc.colour(fill) if fill else None, self.doc.colour(stroke) if stroke else None

        def op(page: pymupdf.Page) -> None:
            page.draw_rect(pymupdf.Rect(x, y, x + w, y + h), color=stroke_c, fill=fill_c, width=0.6,
                           fill_opacity=opacity, radius=radius)
        self.add(layer, op)

    def circle(self, cx: float, cy: float, r: float, fill: str, layer: str = "shapes") -> None:
        c = self.doc.colour(fill)
        self.add(layer, lambda page: page.draw_circle((cx, cy), r, color=None, fill=c))

    def image(self, name: str, r: list[float], layer: str = "shapes") -> None:
        data = self.doc.image(name)
        x, y, w, h = r
        self.add(layer, lambda page: page.insert_image(pymupdf.Rect(x, y, x + w, y + h), stream=data,
                                                       keep_proportion=False))

    # text --------------------------------------------------------------------
    def word(self, layer: str, x: float, baseline: float, text: str, font: str, size: float, colour: str) -> None:
        c = self.doc.colour(colour)

        def op(page: pymupdf.Page) -> None:
            page.insert_text((x, baseline), text, fontname=self.doc.font_on(page, font), fontsize=size, color=c)
        self.add(layer, op)

    def label(self, layer: str, x: float, baseline: float, text: str, font: str, size: float, colour: str,
              tracking: float = 0.2, right: bool = False) -> float:
        """Letter-spaced caps: every glyph its own text object, the space only an advance."""
        track = tracking * size
        total = sum(width(ch, font, size) + track for ch in text) - track
        if right:
            x -= total
        for ch in text:
            if ch != " ":
                self.word(layer, x, baseline, ch, font, size, colour)
            x += width(ch, font, size) + track
        return total

    def line_of_words(self, layer: str, x: float, baseline: float, words: list[str], font: str, size: float,
                      colour: str, box_w: float | None = None, justify: bool = False, centre: bool = False) -> None:
        widths = [width(w, font, size) for w in words]
        space = width(" ", font, size)
        if justify and len(words) > 1 and box_w:
            gap = (box_w - sum(widths)) / (len(words) - 1)
        else:
            gap = space
        if centre and box_w:
            x += (box_w - (sum(widths) + gap * (len(words) - 1))) / 2
        for w, wd in zip(words, widths):
            self.word(layer, x, baseline, w, font, size, colour)
            x += wd + gap

    def paragraph(self, layer: str, x: float, top: float, box_w: float, text: str, font: str, size: float,
                  leading: float, colour: str, justify: bool = False, centre: bool = False) -> float:
        """Set a paragraph from `top`; returns the y below its last line."""
        lines = wrap(text, font, size, box_w)
        baseline = top + size * 0.95
        for n, words in enumerate(lines):
            last = n == len(lines) - 1
            self.line_of_words(layer, x, baseline, words, font, size, colour, box_w, justify and not last, centre)
            baseline += leading
        return top + leading * (len(lines) - 1) + size * 1.25

    def write(self, page: pymupdf.Page) -> None:
        order = [name for name in self.order if name in self.layers]
        order += [name for name in self.made if name not in order]
        for name in order:
            for op in self.layers[name]:
                op(page)


def wrap(text: str, font: str, size: float, box_w: float) -> list[list[str]]:
    words = text.split()
    space = width(" ", font, size)
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for w in words:
        wd = width(w, font, size)
        if line and used + space + wd > box_w:
            lines.append(line)
            line, used = [w], wd
        else:
            used = used + space + wd if line else wd
            line.append(w)
    if line:
        lines.append(line)
    return lines


# --------------------------------------------------------------------------- the document

class Exporter:
    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.design = spec["design"]
        self.W, self.H = self.design.get("page", [1440, 810])
        self.palette = self.design.get("colours", {})
        self.pdf = pymupdf.open()
        self._images: dict[str, bytes] = {}
        self.pages: list[Canvas] = []
        self.canvas: Canvas | None = None
        self.boxes: dict[str, list[float]] = {}
        self.page_spec: dict[str, Any] = {}

    # resources -----------------------------------------------------------------
    def colour(self, name: str) -> tuple[float, float, float]:
        return rgb(self.palette.get(name, name))

    def image(self, name: str) -> bytes:
        if name not in self._images:
            desc = self.design["images"][name]
            w, h = desc["size"]
            extra = {k: v for k, v in desc.items() if k not in ("kind", "size", "seed")}
            self._images[name] = IMAGE_KINDS[desc["kind"]](w, h, desc.get("seed", 1), **extra)
        return self._images[name]

    def font_on(self, page: pymupdf.Page, font: str) -> str:
        alias = ALIASES[font]
        known = {entry[4] for entry in page.get_fonts()}
        if alias not in known:
            page.insert_font(fontname=alias, fontfile=FONTS[font])
        return alias

    # pages -----------------------------------------------------------------------
    def new_page(self, layers: list[str] | None = None) -> Canvas:
        self.canvas = Canvas(self, layers)
        self.pages.append(self.canvas)
        self.boxes = {}
        return self.canvas

    def folio(self, colour: str = "grey", number_colour: str = "grey") -> None:
        c = self.canvas
        assert c is not None
        text = self.design.get("folio", "")
        c.line_of_words("folio", 70, self.H - 34, text.split(), "body", 10, colour)
        number = str(len(self.pages))
        c.word("folio", self.W - 70 - width(number, "bold", 10), self.H - 34, number, "bold", 10, number_colour)

    # blocks ----------------------------------------------------------------------
    def cover(self, block: dict[str, Any]) -> None:
        c = self.new_page(["shapes", "heading", "subtitle", "date", "label"])
        c.image(block["image"], [0, 0, self.W, self.H])
        c.rect([0, 0, 700, self.H], "navy", opacity=0.93)
        c.rect([70, 470, 12, 150], "coral")
        tag = block.get("tag", "")
        tag_w = sum(width(ch, "bold", 12) + 0.25 * 12 for ch in tag) - 0.25 * 12
        c.rect([70, 150, tag_w + 36, 34], "mustard", radius=0.5)
        lines = block["lines"]
        y = 300
        for words in wrap(lines[1], "display", 78, 600):
            c.line_of_words("heading", 68, y, words, "display", 78, "paper")
            y += 88
        c.paragraph("subtitle", 104, 470, 520, lines[2], "body", 24, 33, "paper")
        c.line_of_words("date", 104, 680, lines[3].split(), "bold", 20, "mustard")
        c.label("label", 70, 96, block.get("label", lines[0].upper()), "bold", 15, "paper", 0.28)
        c.label("label", 88, 172, tag, "bold", 12, "ink", 0.25)

    def heading(self, block: dict[str, Any]) -> None:
        if block.get("level", 1) == 1:
            page = block.get("page", {})
            self.page_spec = page
            c = self.new_page(page.get("layers"))
            for shape in page.get("shapes", []):
                if "image" in shape:
                    c.image(shape["image"], shape["rect"])
                elif "circle" in shape:
                    c.circle(*shape["circle"], fill=shape["fill"])
                else:
                    c.rect(shape["rect"], shape["fill"], shape.get("opacity", 1.0), shape.get("radius"))
            self.folio(page.get("folio_colour", "grey"), page.get("number_colour", "grey"))
            size = block.get("size", 46)
            baseline = 160
            for words in wrap(block["text"], "display", size, block.get("width", 1300)):
                c.line_of_words("heading", 68, baseline, words, "display", size, block.get("heading_colour", "navy"))
                baseline += size * 1.12
            if block.get("kicker"):
                c.label("label", 70, 96, block["kicker"], "bold", 14, block.get("kicker_colour", "coral"), 0.25)
            self.boxes = {name: list(r) for name, r in page.get("boxes", {}).items()}
            return
        box = self._box(block)
        x, y, w, _ = box
        colour = block.get("colour", "teal")
        box[1] = self.canvas.paragraph(f"box:{block['box']}", x, y, w, block["text"], "black", 19, 24,
                                       colour) + 8
        self._check(block, box)

    def _box(self, block: dict[str, Any]) -> list[float]:
        name = block.get("box")
        if name not in self.boxes:
            raise SpecLayoutError(f"block {block.get('kind')} names box {name!r}, not on this page")
        return self.boxes[name]

    def _check(self, block: dict[str, Any], box: list[float]) -> None:
        name = block["box"]
        x, y, w, h = self.page_spec["boxes"][name]
        if box[1] > y + h + 1:
            raise SpecLayoutError(f"box {name} on page {len(self.pages)} overflows ({box[1]:.0f} > {y + h})")

    def para(self, block: dict[str, Any]) -> None:
        box = self._box(block)
        x, y, w, _ = box
        size = block.get("size", 17)
        leading = block.get("leading", size * 1.42)
        colour = block.get("colour", "ink")
        justify = block.get("align", "justify") == "justify"
        layer = f"box:{block['box']}"
        if block.get("bullet"):
            self.canvas.word(layer, x, y + size * 0.95, "•", "body", size, colour)
            x, w = x + size * 1.1, w - size * 1.1
        box[1] = self.canvas.paragraph(layer, x, y, w, block["text"], "body", size, leading, colour, justify) \
            + size * 0.75
        self._check(block, box)

    def findings(self, block: dict[str, Any]) -> None:
        for item in block["items"]:
            self.para({**block, "kind": "para", "text": item["text"]})

    def kader(self, block: dict[str, Any]) -> None:
        c = self.canvas
        x, y, w = block["at"]
        colour = block.get("colour", "ink")
        if block.get("style") == "figure":
            size = block.get("size", 76)
            centre = bool(block.get("centred"))
            base = y + size * 0.85
            c.line_of_words("figure", x, base, block["value"].split(), "black", size, colour, w, centre=centre)
            base += size * 0.05 + 28
            c.line_of_words("figure", x, base, block["label"].split(), "bold", 22, colour, w, centre=centre)
            c.paragraph("caption", x, base + 12, w, block["caption"], "body", 13, 17.5, colour, centre=centre)
        elif block.get("style") == "quote":
            size = block.get("size", 25)
            c.word("quote", x - 6, y + 70, "“", "display", 110, "coral")
            bottom = c.paragraph("quote", x, y + 78, w, block["text"], "italic", size, size * 1.32, colour)
            c.rect([x, bottom + 14, 40, 3], "coral")
            c.label("caption", x, bottom + 46, block["source"].upper(), "bold", 12, colour, 0.18)
        else:
            raise SpecLayoutError(f"kader style {block.get('style')!r} not supported")

    def items(self, block: dict[str, Any]) -> None:
        layout = block.get("layout")
        if layout == "tiles":
            self._tiles(block)
        elif layout == "cards":
            self._cards(block)
        else:
            raise SpecLayoutError(f"items layout {layout!r} not supported")

    def _grid(self, spec: list[float]) -> list[list[float]]:
        x, y, w, h, cols, rows, gap = spec
        cw = (w - gap * (cols - 1)) / cols
        rh = (h - gap * (rows - 1)) / rows
        return [[x + col * (cw + gap), y + row * (rh + gap), cw, rh] for row in range(int(rows))
                for col in range(int(cols))]

    def _tiles(self, block: dict[str, Any]) -> None:
        page = self.page_spec
        c = self.canvas
        cells = self._grid(page["tiles"])
        fills = page.get("tile_colours", ["sand"] * len(cells))
        inks = page.get("tile_ink", ["ink"] * len(cells))
        for n, item in enumerate(block["items"]):
            x, y, w, h = cells[n]
            c.rect(cells[n], fills[n], radius=0.06)
            ink = inks[n]
            c.word("tilenum", x + 26, y + 70, item["number"], "display", 56, ink)
            bottom = c.paragraph("tiletext", x + 26, y + 96, w - 52, item["lead"], "black", 19, 24, ink)
            bottom = c.paragraph("tiletext", x + 26, bottom + 8, w - 52, item.get("text", ""), "body", 15.5,
                                 21, ink)
            if bottom > y + h - 12:
                raise SpecLayoutError(f"tile {item['id']} overflows")
        extra = block.get("extra")
        if extra and len(cells) > len(block["items"]):
            x, y, w, h = cells[len(block["items"])]
            c.rect(cells[len(block["items"])], fills[len(block["items"])], radius=0.06)
            bottom = c.paragraph("extra", x + 26, y + h - 130, w - 52, extra["text"], "bold", 19, 25,
                                 extra.get("colour", "ink"))
            c.word("extra", x + 26, bottom + 40, "→", "body", 40, "coral")

    def _cards(self, block: dict[str, Any]) -> None:
        page = self.page_spec
        c = self.canvas
        cells = self._grid(page["cards"])
        circles = page.get("circle_colours", ["coral"] * len(cells))
        order = page.get("card_order", list(range(len(block["items"]))))
        for n, item in enumerate(block["items"]):
            x, y, w, h = cells[n]
            c.rect(cells[n], page.get("card_fill", "paper"), radius=0.05)
            c.circle(x + 52, y + 52, 28, circles[n])
            num = item["number"]
            c.word("cardnum", x + 52 - width(num, "display", 28) / 2, y + 62, num, "display", 28, "paper")
            c.label("cardtag", x + 96, y + 57, item.get("tag", ""), "bold", 11.5,
                    "teal" if item.get("addressee") != "raad" else "coral", 0.2)
        for n in order:
            item = block["items"][n]
            x, y, w, h = cells[n]
            bottom = c.paragraph("cardtext", x + 28, y + 100, w - 56, item["lead"], "black", 21, 26, "navy")
            bottom = c.paragraph("cardtext", x + 28, bottom + 8, w - 56, item.get("text", ""), "body", 16, 22,
                                 "ink")
            if bottom > y + h - 10:
                raise SpecLayoutError(f"card {item['id']} overflows")

    def reaction_letter(self, block: dict[str, Any]) -> None:
        page = self.page_spec
        c = self.canvas
        sx, sy, sw, sh, gap = page["sheets"]
        sheets = [[sx, sy, sw, sh], [sx + sw + gap, sy, sw, sh]]
        for r in sheets:
            c.rect([r[0] + 6, r[1] + 8, r[2], r[3]], "1F2D3D", opacity=0.12)
            c.rect(r, "paper", stroke="D5D0C8")
        size, lead, margin = block.get("size", 10), block.get("leading", 14.2), 44
        L = "letter"
        # sheet 1: letterhead, address, reference lines
        x0, y0, w0 = sheets[0][0] + margin, sheets[0][1] + margin, sheets[0][2] - 2 * margin
        for k in range(3):
            c.rect([x0 + k * 11, y0 + 2, 8, 20 - k * 5], "teal")
        c.line_of_words(L, x0 + 40, y0 + 18, block["letterhead"].split(), "letterbold", 15, "ink")
        yy = y0 + 12
        for line in block.get("letterhead_lines", []):
            wd = sum(width(w, "letter", 7.5) for w in line.split()) + width(" ", "letter", 7.5) * (len(line.split()) - 1)
            c.line_of_words(L, x0 + w0 - wd, yy, line.split(), "letter", 7.5, "grey")
            yy += 10
        y = y0 + 80
        for line in block.get("address", []):
            c.line_of_words(L, x0, y, line.split(), "letter", size, "ink")
            y += lead
        y += lead * 1.5
        for line in block.get("meta_lines", []):
            c.line_of_words(L, x0, y, line.split(), "letter", size, "ink")
            y += lead
        y += lead
        top = y - size * 0.95
        bottom_limit = sheets[0][1] + sheets[0][3] - margin
        for n, text in enumerate(block["paragraphs"]):
            if n == block.get("break_after", 10 ** 6) + 1:
                x0, w0 = sheets[1][0] + margin, sheets[1][2] - 2 * margin
                cont = block.get("continuation", "")
                c.line_of_words(L, x0, sheets[1][1] + margin - 10, cont.split(), "letter", 7.5, "grey")
                top = sheets[1][1] + margin + 14
                bottom_limit = sheets[1][1] + sheets[1][3] - margin
            top = c.paragraph(L, x0, top, w0, text, "letter", size, lead, "ink") + lead * 0.55
            if top > bottom_limit:
                raise SpecLayoutError(f"letter paragraph {n} runs off its sheet")
        top += lead * 0.5
        for line in block.get("signature", []):
            c.line_of_words(L, x0, top + size, line.split(), "letter", size, "ink")
            top += lead
        top += lead * 2.5
        for k, column in enumerate(block.get("signature_columns", [])):
            t = top
            for line in column:
                c.line_of_words(L, x0 + k * 210, t + size, line.split(), "letter", size, "ink")
                t += lead
        if top + lead * 2 > bottom_limit:
            raise SpecLayoutError("letter signature runs off its sheet")

    def colofon(self, block: dict[str, Any]) -> None:
        c = self.new_page(["shapes", "heading", "colofon", "label"])
        c.rect([0, 0, self.W, self.H], "navy")
        c.circle(self.W - 120, 140, 260, "teal")
        c.circle(self.W - 330, self.H - 40, 120, "coral")
        lines = block["lines"]
        c.line_of_words("heading", 70, 180, lines[0].split(), "display", 40, "paper")
        y = 300
        for line in lines[1:]:
            if not line:
                y += 14
                continue
            y = c.paragraph("colofon", 70, y, 720, line, "body", 15, 21, "paper") + 4
        c.label("label", 70, 96, "WIE WIJST DE WEG?", "bold", 14, "mustard", 0.25)

    # ------------------------------------------------------------------------------
    def build(self) -> None:
        handlers = {"cover": self.cover, "heading": self.heading, "para": self.para, "findings": self.findings,
                    "kader": self.kader, "items": self.items, "reaction_letter": self.reaction_letter,
                    "colofon": self.colofon}
        for block in self.spec["blocks"]:
            kind = block["kind"]
            if kind not in handlers:
                raise SpecLayoutError(f"block kind {kind!r} not supported by the designexport producer")
            handlers[kind](block)

    def save(self, out_pdf: Path) -> None:
        for canvas in self.pages:
            page = self.pdf.new_page(width=self.W, height=self.H)
            canvas.write(page)
            page.clean_contents()
        info = self.design.get("info", {})
        stamp = info.get("date", "2024-01-01T00:00:00").replace("-", "").replace(":", "").replace("T", "")
        self.pdf.set_metadata({
            "title": info.get("title", self.spec["meta"]["title"]) if self.spec.get("pdf_info", True) else "",
            "author": info.get("author", "") if self.spec.get("pdf_info", True) else "",
            "subject": "", "keywords": info.get("keywords", ""),
            "creator": "Canva", "producer": "Canva",
            "creationDate": f"D:{stamp}+00'00'", "modDate": f"D:{stamp}+00'00'",
        })
        self.pdf.subset_fonts()
        fix_tounicode(self.pdf)
        self.pdf.save(str(out_pdf), garbage=4, deflate=True, no_new_id=True)


def fix_tounicode(pdf: pymupdf.Document) -> None:
    """Give every font a ToUnicode CMap of the glyphs it shows, each glyph mapped to its lowest code point.

    PyMuPDF writes a CMap for the whole font that maps a glyph shared by several code points to the last of
    them (the hyphen to U+2010 or U+00AD, the semicolon to U+037E GREEK QUESTION MARK, the middle dot to
    U+2219); a design tool maps the characters that were typed.
    """
    by_alias = {alias: name for name, alias in ALIASES.items()}
    used: dict[int, set[int]] = {}
    alias_of: dict[int, str] = {}
    for page in pdf:
        xrefs = {entry[4]: entry[0] for entry in page.get_fonts()}
        content = page.read_contents().decode("latin-1")
        for alias, hexes in re.findall(r"/(F\d+) [\d.]+ Tf[^\[]*?\[<([0-9A-Fa-f]+)>\]TJ", content):
            xref = xrefs[alias]
            alias_of[xref] = alias
            used.setdefault(xref, set()).update(int(hexes[i:i + 4], 16) for i in range(0, len(hexes), 4))
    for xref, gids in sorted(used.items()):
        font = TTFont(FONTS[by_alias[alias_of[xref]]])
        order = font.getGlyphOrder()
        code_of: dict[int, int] = {}
        for code, glyph in sorted(font.getBestCmap().items()):
            code_of.setdefault(order.index(glyph), code)
        pairs = [(gid, code_of[gid]) for gid in sorted(gids)]
        lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
                 "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def",
                 "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
                 "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
        for start in range(0, len(pairs), 100):
            chunk = pairs[start:start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines += [f"<{gid:04X}> <{code:04X}>" for gid, code in chunk]
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        new = pdf.get_new_xref()
        pdf.update_object(new, "<<>>")
        pdf.update_stream(new, ("\n".join(lines) + "\n").encode("ascii"))
        pdf.xref_set_key(xref, "ToUnicode", f"{new} 0 R")


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    exporter = Exporter(spec)
    exporter.build()
    exporter.save(out_pdf)
