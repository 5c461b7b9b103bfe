"""Render a layout-corpus spec as a rekenkamer WEB PAGE printed from Firefox on Linux ("Afdrukken → Opslaan als PDF").

Firefox on Linux writes its PDFs through cairo (as do Evince, Inkscape and every GTK "Print to file"): the Producer
reads "cairo 1.x (https://cairographics.org)". This renderer lays the page out itself, the way Gecko would print
the site's stylesheet, and draws it with cairo's PDF surface and Pango (PangoCairo) for the text:

- the page box: A4, Firefox's default margins of 0.5 inch, scale 100 % (the site is responsive, so "passend maken"
  does not shrink it); the article is the page content, cut into pages line by line (Gecko honours no widows,
  orphans or break-after: avoid here, so a heading may end a page and a paragraph may leave one line behind);
- Firefox's own header and footer (print.print_headerleft "&T", headerright "&U", footerleft "&PT",
  footerright "&D"): the page title top left and the URL top right, each cut to half the page width with "..."
  as nsPageFrame does, "1 van 9" bottom left and the print date and time bottom right, in the default serif
  (DejaVu Serif) at 10 px, black;
- "Achtergronden afdrukken" off (Firefox's default): no background colours or background images; text that
  was light on a coloured background (the menu bar, the site footer) is printed dark; borders, the logo (an
  SVG image) and icons that are images are printed;
- the site's remnants on page 1: logo and site name, service links and a search field, the menu as a plain line of
  words (the active one underlined by its border), breadcrumbs "Home › Onderzoeken › …", the h1 with a subtitle,
  a meta line and a ReadSpeaker "Lees voor" button; after the article "Deel deze pagina", "Laatst gewijzigd", a
  downloads box, "Lees ook" links and the site footer (address columns and a line of links);
- `position: fixed` elements are printed on every page (Gecko repeats them): the site's "↑ Naar boven" button stands
  at the bottom right of each page's content box, over the text (its background is not printed);
- images are raster images (the hero photo, a bar chart exported as PNG: its labels are pixels); captions are text;
- text is shaped by HarfBuzz (through Pango, as Gecko shapes it) and drawn as Gecko's cairo backend draws it:
  `cairo_show_glyphs`, glyphs without their text (PangoCairo.show_glyph_string per run). cairo then builds the
  ToUnicode map from the font's cmap and glyph names, so a ligature glyph it cannot name comes out as U+FFFD: the
  web font Lato's "ti" ligature in the headings ("Reac<U+FFFD>e van het college"); the body font (Liberation Sans)
  has no ligatures;
- links are URI link annotations (Firefox writes them for <a href>); no bookmarks; /Title is the page's <title>,
  /Creator the browser ("Mozilla Firefox 115.4.0esr"), /CreationDate the print time; no /Author, no /ModDate.

Blocks: para (`lead: true` for the intro paragraph in larger type), heading (level 2 → h2, level 3 → h3; the
`number`, if any, is printed before the text), items (style `numbered`: an <ol> whose item opens with the lead in
bold when `bold_lead: true`; `layout: accordion`: <details open> panels whose summary bar reads "Conclusie 1 ▾" —
the label word from the item type — with the lead in bold and the text under it), quote (a blockquote), and
reaction_letter with `layout: quotes`: `download` (a link line with a file icon), `intro` (paragraphs of the
rekenkamer summarising the letter) and `paragraphs` as {label, text} — a bold label line and the college's words as
a blockquote. Other kinds raise.

Spec keys (renderer only; spec.py only knows the producer name):
  web: {site, url, page_title, printed, creation_date, creator, service, search, nav, active, breadcrumbs,
        heading, subtitle, meta_line, read_aloud, hero: {caption}, back_to_top, facts: {title, rows},
        share, downloads: {title, links}, updated, related: {title, links}, footer: [{title, lines}], footer_bottom}
  para.lead, para.figure ({kind: bars, values, labels, unit}: the chart image, the para's text its caption),
  items.layout: accordion, items.bold_lead, reaction_letter.{layout: quotes, download, intro}

The venv that runs make.py usually lacks pycairo and PyGObject (no wheels for this system's cairo); `render` then
runs this file with the system Python (/usr/bin/python3 with Debian's python3-cairo, python3-gi, python3-gi-cairo
and gir1.2-pango-1.0), passing the spec as JSON. cairo 1.16 writes no /ID and takes the dates given, so the PDF
comes out byte for byte the same on every run.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SYSTEM_PYTHON = "/usr/bin/python3"

# ---------------------------------------------------------------------------------------------------------------
# venv side


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    try:
        import cairo  # noqa: F401
        import gi  # noqa: F401
        gi.require_version("Pango", "1.0")
        gi.require_version("PangoCairo", "1.0")
        from gi.repository import PangoCairo  # noqa: F401
    except (ImportError, ValueError):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "spec.json"
            path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
            subprocess.run([SYSTEM_PYTHON, str(Path(__file__).resolve()), str(path), str(out_pdf)], check=True)
        return
    _draw(spec, Path(out_pdf))


# ---------------------------------------------------------------------------------------------------------------
# drawing side (cairo + Pango)

PT_PER_PX = 0.75                 # CSS px at scale 100 %
PAGE_W, PAGE_H = 595.2756, 841.8898
MARGIN = 36.0                    # 0.5 inch, Firefox's default
EDGE = 18.0                      # where the header and footer text stands (edge + unwriteable margin)
SITE_PAD = 16 * PT_PER_PX        # the container's side padding
X0 = MARGIN + SITE_PAD
X1 = PAGE_W - MARGIN - SITE_PAD
TOP, BOTTOM = MARGIN, PAGE_H - MARGIN

GREEN = (0x0B / 255, 0x5E / 255, 0x45 / 255)
INK = (0x22 / 255, 0x22 / 255, 0x22 / 255)
GREY = (0x5C / 255, 0x62 / 255, 0x66 / 255)
LINE = (0xB8 / 255, 0xC6 / 255, 0xBF / 255)
DARKENED = (0x1E / 255, 0x2A / 255, 0x25 / 255)     # light text printed without its background

BODY = "Liberation Sans"         # font-family: Arial, Helvetica, sans-serif → fontconfig's Arial
HEAD = "Lato"                    # the site's web font for headings, menu and buttons
SERIF = "DejaVu Serif"           # Firefox's header and footer: the default serif
BODY_PX = 17                     # the site's body text


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slug(text: str) -> str:
    import re
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Text:
    """A Pango layout with the colour and underline of each byte range (the layout stays alive as long as a line
    drawn from it: its glyph runs belong to it)."""

    def __init__(self, lay: Any, styles: list[tuple[int, int, tuple, bool]], color: tuple):
        self.lay = lay
        self.styles = styles
        self.color = color

    def style_at(self, index: int) -> tuple[tuple, bool]:
        for a, b, color, underline in self.styles:
            if a <= index < b:
                return color, underline
        return self.color, False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.lay, name)


class Doc:
    """A display list per page; drawn after layout, when the page count is known."""

    def __init__(self, spec: dict[str, Any], ctx: Any):
        import gi
        gi.require_version("Pango", "1.0")
        gi.require_version("PangoCairo", "1.0")
        from gi.repository import Pango, PangoCairo
        self.Pango, self.PangoCairo = Pango, PangoCairo
        self.spec = spec
        self.web = spec["web"]
        self.ctx = ctx
        self.pctx = PangoCairo.create_context(ctx)
        PangoCairo.context_set_resolution(self.pctx, 72)
        self.pages: list[list[Any]] = [[]]
        self.y = TOP
        self.fresh = True            # nothing placed on this page yet (margins at a break are truncated)

    # -- page flow ------------------------------------------------------------------------------------------------
    @property
    def page(self) -> list[Any]:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append([])
        self.y = TOP
        self.fresh = True

    def space(self, px: float) -> None:
        if self.fresh:
            return
        self.y += px * PT_PER_PX
        if self.y > BOTTOM:
            self.new_page()

    def need(self, h: float) -> None:
        if self.y + h > BOTTOM + 0.01:
            self.new_page()

    # -- text -----------------------------------------------------------------------------------------------------
    def layout(self, segments: list[tuple[str, dict[str, Any]]], width: float, size_px: float, family: str = BODY,
               color: tuple[float, float, float] = INK, align: str = "left") -> tuple[Text, list[tuple[int, int, str]]]:
        """A Pango layout of styled segments (shaped by HarfBuzz, as Gecko shapes); returns it with the byte ranges
        of its links."""
        Pango = self.Pango
        markup, links, styles, pos = [], [], [], 0
        for text, st in segments:
            attrs = []
            if st.get("bold"):
                attrs.append('weight="bold"')
            if st.get("italic"):
                attrs.append('style="italic"')
            if st.get("family"):
                attrs.append(f'font_family="{st["family"]}"')
            # colour and underline are drawn from `styles`; in the markup they make Pango cut its runs there
            if st.get("color"):
                attrs.append(f'foreground="{_hex(st["color"])}"')
            if st.get("underline") or (st.get("link") and not st.get("plain")):
                attrs.append('underline="single"')
            piece = _esc(text)
            markup.append(f"<span {' '.join(attrs)}>{piece}</span>" if attrs else piece)
            nbytes = len(text.encode("utf-8"))
            if st.get("link"):
                links.append((pos, pos + nbytes, st["link"]))
            underline = bool(st.get("underline") or (st.get("link") and not st.get("plain")))
            styles.append((pos, pos + nbytes, st.get("color") or color, underline))
            pos += nbytes
        lay = Pango.Layout.new(self.pctx)
        font = Pango.FontDescription.from_string(family)
        font.set_absolute_size(size_px * PT_PER_PX * Pango.SCALE)
        lay.set_font_description(font)
        lay.set_width(int(width * Pango.SCALE))
        lay.set_wrap(Pango.WrapMode.WORD_CHAR)
        lay.set_alignment({"left": Pango.Alignment.LEFT, "right": Pango.Alignment.RIGHT,
                           "center": Pango.Alignment.CENTER}[align])
        lay.set_markup("".join(markup), -1)
        return Text(lay, styles, color), links

    def lines(self, text: Text, links: list[tuple[int, int, str]], x: float, size_px: float, lh: float
              ) -> list[tuple[Any, float, float, float, float, list[tuple[float, float, str]]]]:
        """The layout's lines: (glyph runs, x, ascent-offset, line box height, width, link spans)."""
        Pango = self.Pango
        out = []
        it = text.lay.get_iter()
        line_h = size_px * lh * PT_PER_PX
        while True:
            _ink, logical = it.get_line_extents()
            baseline = it.get_baseline()
            line = it.get_line_readonly()
            asc = (baseline - logical.y) / Pango.SCALE
            h = logical.height / Pango.SCALE
            offset = (line_h - h) / 2 + asc
            lx = x + logical.x / Pango.SCALE
            spans = []
            start, end = line.start_index, line.start_index + line.length
            for a, b, url in links:
                lo, hi = max(a, start), min(b, end)
                if lo < hi:
                    xa = line.index_to_x(lo, False) / Pango.SCALE
                    xb = line.index_to_x(hi, False) / Pango.SCALE if hi < end else logical.width / Pango.SCALE
                    spans.append((xa, xb, url))
            runs = []
            while True:
                run = it.get_run_readonly()
                if run is None:
                    break
                rext = it.get_run_extents()[1]
                color, underline = text.style_at(run.item.offset)
                runs.append((text, run.item.analysis.font, run.glyphs, (rext.x - logical.x) / Pango.SCALE,
                             rext.width / Pango.SCALE, color, underline))
                if not it.next_run():
                    break
            out.append((runs, lx, offset, line_h, logical.width / Pango.SCALE, spans))
            if not it.next_line():
                break
        return out

    def show_runs(self, runs: list[Any], lx: float, base: float) -> None:
        """Draw glyph runs as Gecko's cairo backend does (cairo_show_glyphs: glyphs without their text, so cairo
        makes the ToUnicode map from the font's cmap and glyph names; a ligature it cannot name becomes U+FFFD)."""
        ctx = self.ctx
        for _keep, font, glyphs, dx, w, color, underline in runs:
            ctx.set_source_rgb(*color)
            ctx.move_to(lx + dx, base)
            self.PangoCairo.show_glyph_string(ctx, font, glyphs)
            if underline:
                metrics = font.get_metrics(None)
                pos = metrics.get_underline_position() / self.Pango.SCALE
                thick = max(metrics.get_underline_thickness() / self.Pango.SCALE, 0.5)
                ctx.rectangle(lx + dx, base - pos, w, thick)
                ctx.fill()

    def place_line(self, entry: tuple[Any, float, float, float, float, list[tuple[float, float, str]]],
                   dy: float = 0.0) -> float:
        """Put one line at the cursor (a new page first if it does not fit); returns its top."""
        line, lx, offset, line_h, _w, spans = entry
        self.need(line_h)
        top = self.y
        base = top + offset + dy
        self.page.append(("line", line, lx, base))
        for xa, xb, url in spans:
            self.page.append(("link", lx + xa, top, xb - xa, line_h, url))
        self.y += line_h
        self.fresh = False
        return top

    def text(self, segments: list[tuple[str, dict[str, Any]]], x: float, width: float, size_px: float = 16,
             lh: float = 1.6, family: str = BODY, color: tuple[float, float, float] = INK,
             first_line_hook: Any = None) -> tuple[int, float]:
        """Flow a paragraph; returns (page index, top) of its first line."""
        lay, links = self.layout(segments, width, size_px, family, color)
        first = None
        for n, entry in enumerate(self.lines(lay, links, x, size_px, lh)):
            top = self.place_line(entry)
            if n == 0:
                first = (len(self.pages) - 1, top)
                if first_line_hook:
                    first_line_hook(entry)
        return first

    def rule(self, x: float, y: float, w: float, h: float, color: tuple[float, float, float], page: int | None = None
             ) -> None:
        self.pages[-1 if page is None else page].append(("rect", x, y, w, h, color))

    # -- boxes that may break over pages ----------------------------------------------------------------------------
    def box_start(self) -> tuple[int, float]:
        return (len(self.pages) - 1, self.y)

    def box_end(self, start: tuple[int, float], x: float, w: float, sides: dict[str, tuple[float, tuple]]) -> None:
        """Borders of a block from `start` to the cursor: top on its first fragment, bottom on its last, left and
        right on every fragment (box-decoration-break: slice)."""
        p0, y0 = start
        p1 = len(self.pages) - 1
        for p in range(p0, p1 + 1):
            top = y0 if p == p0 else TOP
            bottom = self.y if p == p1 else BOTTOM
            if "left" in sides:
                bw, col = sides["left"]
                self.rule(x, top, bw, bottom - top, col, p)
            if "right" in sides:
                bw, col = sides["right"]
                self.rule(x + w - bw, top, bw, bottom - top, col, p)
            if "top" in sides and p == p0:
                bw, col = sides["top"]
                self.rule(x, top, w, bw, col, p)
            if "bottom" in sides and p == p1:
                bw, col = sides["bottom"]
                self.rule(x, bottom - bw, w, bw, col, p)

    # -- drawing -----------------------------------------------------------------------------------------------------
    def draw(self, surface: Any) -> None:
        import cairo
        ctx = self.ctx
        total = len(self.pages)
        for n, ops in enumerate(self.pages, start=1):
            for op in ops:
                kind = op[0]
                if kind == "line":
                    _, runs, lx, base = op
                    self.show_runs(runs, lx, base)
                elif kind == "rect":
                    _, x, y, w, h, col = op
                    ctx.set_source_rgb(*col)
                    ctx.rectangle(x, y, w, h)
                    ctx.fill()
                elif kind == "stroke":
                    _, path, lw, col = op
                    ctx.set_source_rgb(*col)
                    ctx.set_line_width(lw)
                    path(ctx)
                    ctx.stroke()
                elif kind == "fill":
                    _, path, col = op
                    ctx.set_source_rgb(*col)
                    path(ctx)
                    ctx.fill()
                elif kind == "image":
                    _, img, x, y, w, h = op
                    ctx.save()
                    ctx.translate(x, y)
                    ctx.scale(w / img.get_width(), h / img.get_height())
                    ctx.set_source_surface(img, 0, 0)
                    ctx.paint()
                    ctx.restore()
                elif kind == "link":
                    _, x, y, w, h, url = op
                    ctx.tag_begin(cairo.TAG_LINK, f"uri='{url}' rect=[{x:.2f} {y:.2f} {w:.2f} {h:.2f}]")
                    ctx.tag_end(cairo.TAG_LINK)
            if self.web.get("back_to_top"):
                self.fixed_button(self.web["back_to_top"])
            self.header_footer(n, total)
            ctx.show_page()

    def fixed_button(self, label: str) -> None:
        """A `position: fixed` "Naar boven" button at the bottom right of the viewport: Gecko prints fixed elements
        on every page, at the same place in the page's content box. Its white background is not printed, so where
        it stands over the text both show."""
        ctx = self.ctx
        lay, _ = self.layout([("↑  " + label, {"bold": True})], 200, 13, HEAD, GREEN)
        w = lay.get_pixel_extents()[1].width + 24 * PT_PER_PX
        h = 32 * PT_PER_PX
        x = PAGE_W - MARGIN - 20 * PT_PER_PX - w
        y = BOTTOM - 20 * PT_PER_PX - h
        r = h / 2
        ctx.new_sub_path()
        ctx.arc(x + w - r, y + r, r, -1.5708, 1.5708)
        ctx.arc(x + r, y + r, r, 1.5708, 4.71239)
        ctx.close_path()
        ctx.set_source_rgb(*GREEN)
        ctx.set_line_width(0.9)
        ctx.stroke()
        runs, lx, offset, lh, _w, _s = self.lines(lay, [], x + 12 * PT_PER_PX, 13, 1.0)[0]
        self.show_runs(runs, lx, y + (h - lh) / 2 + offset)

    def header_footer(self, n: int, total: int) -> None:
        """Firefox's header and footer: &T left and &U right above, &PT left and &D right below; each string gets
        half the page width and is cut with "..." when it does not fit."""
        space = PAGE_W / 2
        for text, where in ((self.web["page_title"], "tl"), (self.web["url"], "tr"), (f"{n} van {total}", "bl"),
                            (self.web["printed"], "br")):
            lay, _ = self._fit(text, space - EDGE)
            w = lay.get_pixel_extents()[1].width
            h = lay.get_pixel_extents()[1].height
            x = EDGE if where[1] == "l" else PAGE_W - EDGE - w
            runs, _lx, _off, _lh, _w, _s = self.lines(lay, [], 0, 10 / PT_PER_PX, 1.0)[0]
            asc = lay.get_iter().get_baseline() / self.Pango.SCALE
            y = EDGE + asc if where[0] == "t" else PAGE_H - EDGE - h + asc
            self.show_runs(runs, x, y)

    def _fit(self, text: str, width: float) -> tuple[Any, list]:
        def make(s: str) -> Any:
            lay, _ = self.layout([(s, {})], 10 * PAGE_W, 10 / PT_PER_PX, SERIF, (0, 0, 0))
            return lay
        lay = make(text)
        if lay.get_pixel_extents()[1].width <= width:
            return lay, []
        n = len(text)
        while n > 4 and make(text[:n]).get_pixel_extents()[1].width > width:
            n -= 1
        return make(text[: n - 3] + "..."), []


# ---------------------------------------------------------------------------------------------------------------
# the web page


def _url(web: dict[str, Any], path: str) -> str:
    base = web["url"].split("/onderzoeken/")[0]
    return f"{base}/{path}" if path else base + "/"


def _site_header(d: Doc) -> None:
    web = d.web
    # logo: an SVG image (printed as vector paths), the site name beside it
    y = d.y
    def logo(ctx, x=X0, y=y):
        s = 44 * PT_PER_PX
        ctx.rectangle(x, y, s * 0.28, s)
        ctx.rectangle(x + s * 0.36, y + s * 0.3, s * 0.28, s * 0.7)
        ctx.rectangle(x + s * 0.72, y + s * 0.55, s * 0.28, s * 0.45)
    d.page.append(("fill", logo, GREEN))
    lay, _ = d.layout([(web["site"], {"bold": True})], 330, 21, HEAD, DARKENED)
    for line, lx, off, lh, _w, _s in d.lines(lay, [], X0 + 54 * PT_PER_PX, 21, 1.2):
        d.page.append(("line", line, lx, y + 2 + off))
        d.page.append(("link", lx, y + 2, _w, lh, _url(web, "")))
        y += lh
    # service links and the search field on the right
    sy = d.y
    field_w = 190 * PT_PER_PX
    field_h = 30 * PT_PER_PX
    fy = sy + 20 * PT_PER_PX
    def field(ctx, x=X1 - field_w, y=fy, w=field_w, h=field_h):
        r = 4
        ctx.new_sub_path()
        ctx.arc(x + w - r, y + r, r, -1.5708, 0)
        ctx.arc(x + w - r, y + h - r, r, 0, 1.5708)
        ctx.arc(x + r, y + h - r, r, 1.5708, 3.14159)
        ctx.arc(x + r, y + r, r, 3.14159, 4.71239)
        ctx.close_path()
    d.page.append(("stroke", field, 0.75, (0.55, 0.6, 0.62)))
    lay, _ = d.layout([(web["search"], {})], field_w, 14, BODY, (0.45, 0.47, 0.5))
    for line, lx, off, lh, _w, _s in d.lines(lay, [], X1 - field_w + 9 * PT_PER_PX, 14, 1.0):
        d.page.append(("line", line, lx, fy + (field_h - lh) / 2 + off))
    def glass(ctx, cx=X1 - 14 * PT_PER_PX, cy=fy + field_h / 2 - 1.5):
        ctx.new_sub_path()
        ctx.arc(cx, cy, 4.2, 0, 6.2832)
        ctx.move_to(cx + 3, cy + 3)
        ctx.line_to(cx + 6.5, cy + 6.5)
    d.page.append(("stroke", glass, 1.3, DARKENED))
    svc = []
    for k, s in enumerate(web.get("service", [])):
        if k:
            svc.append(("   ", {}))
        svc.append((s, {"link": _url(web, _slug(s)), "color": GREEN}))
    lay, links = d.layout(svc, 300, 13, BODY, GREEN, align="right")
    for line, lx, off, lh, _w, spans in d.lines(lay, links, X1 - 300, 13, 1.2):
        d.page.append(("line", line, lx, sy - 4 + off))
        for xa, xb, url in spans:
            d.page.append(("link", lx + xa, sy - 4, xb - xa, lh, url))
    d.y = max(y, fy + field_h) + 14 * PT_PER_PX
    d.fresh = False
    # the menu: white on green on screen; without backgrounds a line of dark words, the active one underlined
    d.rule(MARGIN, d.y, PAGE_W - 2 * MARGIN, 0.75, LINE)
    d.y += 4
    segs = []
    for k, item in enumerate(web["nav"]):
        if k:
            segs.append(("     ", {}))
        segs.append((item, {"link": _url(web, "" if item == "Home" else _slug(item)), "bold": True, "plain": True}))
    lay, links = d.layout(segs, X1 - X0, 16, HEAD, DARKENED)
    entries = d.lines(lay, links, X0, 16, 2.6)
    for entry in entries:
        d.place_line(entry)
    # the active item's bottom border (a 3px CSS border prints)
    active = web.get("active")
    if active:
        text = "".join(t for t, _ in segs)
        idx = text.index(active)
        b0 = len(text[:idx].encode("utf-8"))
        b1 = b0 + len(active.encode("utf-8"))
        line = lay.get_line_readonly(0)
        xa = line.index_to_x(b0, False) / d.Pango.SCALE
        xb = line.index_to_x(b1, False) / d.Pango.SCALE
        d.rule(X0 + xa - 2, d.y - 7, xb - xa + 4, 3 * PT_PER_PX, GREEN)
    d.rule(MARGIN, d.y, PAGE_W - 2 * MARGIN, 0.75, LINE)
    d.y += 0.75
    # breadcrumbs
    d.space(18)
    crumbs = []
    paths = ["", "onderzoeken"]
    for k, c in enumerate(web["breadcrumbs"]):
        if k:
            crumbs.append(("  ›  ", {}))
        if k < len(web["breadcrumbs"]) - 1:
            crumbs.append((c, {"link": _url(web, paths[k] if k < len(paths) else _slug(c)), "color": GREY}))
        else:
            crumbs.append((c, {}))
    d.text(crumbs, X0, X1 - X0, 14, 1.5, BODY, GREY)
    # title block
    d.space(14)
    d.text([(web["heading"], {"bold": True})], X0, X1 - X0, 38, 1.2, HEAD, GREEN)
    if web.get("subtitle"):
        d.space(4)
        d.text([(web["subtitle"], {})], X0, X1 - X0, 21, 1.35, HEAD, INK)
    d.space(10)
    d.text([("   |   ".join(web["meta_line"]), {})], X0, X1 - X0, 14, 1.5, BODY, GREY)
    d.space(12)
    _read_aloud(d, web.get("read_aloud", "Lees voor"))
    d.space(18)
    if web.get("hero"):
        _figure(d, {"kind": "hero"}, web["hero"].get("caption", ""))


def _read_aloud(d: Doc, label: str) -> None:
    """ReadSpeaker's button: a rounded border, a speaker icon (an image), the label."""
    h = 30 * PT_PER_PX
    w = 112 * PT_PER_PX
    d.need(h)
    y = d.y
    def btn(ctx, x=X0, y=y, w=w, h=h):
        r = h / 2
        ctx.new_sub_path()
        ctx.arc(x + w - r, y + r, r, -1.5708, 1.5708)
        ctx.arc(x + r, y + r, r, 1.5708, 4.71239)
        ctx.close_path()
    d.page.append(("stroke", btn, 0.9, GREEN))
    def speaker(ctx, x=X0 + 12 * PT_PER_PX, cy=y + h / 2):
        ctx.move_to(x, cy - 2.5)
        ctx.line_to(x + 3, cy - 2.5)
        ctx.line_to(x + 7, cy - 6)
        ctx.line_to(x + 7, cy + 6)
        ctx.line_to(x + 3, cy + 2.5)
        ctx.line_to(x, cy + 2.5)
        ctx.close_path()
    d.page.append(("fill", speaker, GREEN))
    def waves(ctx, x=X0 + 12 * PT_PER_PX + 8.5, cy=y + h / 2):
        ctx.new_sub_path()
        ctx.arc(x, cy, 3.5, -0.9, 0.9)
        ctx.new_sub_path()
        ctx.arc(x, cy, 6.5, -0.9, 0.9)
    d.page.append(("stroke", waves, 1.0, GREEN))
    lay, _ = d.layout([(label, {"bold": True})], w, 14, HEAD, GREEN)
    for line, lx, off, lh, _w, _s in d.lines(lay, [], X0 + 36 * PT_PER_PX, 14, 1.0):
        d.page.append(("line", line, lx, y + (h - lh) / 2 + off))
    d.y = y + h
    d.fresh = False


def _image(kind: dict[str, Any], w_px: int, h_px: int) -> Any:
    """A raster image as the site serves it (a photo or a chart exported as PNG): its words are pixels."""
    import math

    import cairo
    img = cairo.ImageSurface(cairo.FORMAT_RGB24, w_px, h_px)
    c = cairo.Context(img)
    if kind["kind"] == "hero":
        sky = cairo.LinearGradient(0, 0, 0, h_px)
        sky.add_color_stop_rgb(0, 0.80, 0.89, 0.93)
        sky.add_color_stop_rgb(1, 0.95, 0.96, 0.90)
        c.set_source(sky)
        c.paint()
        for k, (yy, col) in enumerate(((0.62, (0.55, 0.72, 0.45)), (0.72, (0.36, 0.58, 0.36)), (0.84, (0.25, 0.45, 0.30)))):
            c.move_to(0, h_px)
            for x in range(0, w_px + 10, 10):
                c.line_to(x, h_px * yy + 18 * math.sin(x / (90 + 40 * k) + k))
            c.line_to(w_px, h_px)
            c.close_path()
            c.set_source_rgb(*col)
            c.fill()
        # a parent and a child walking, in silhouette
        for cx, scale in ((w_px * 0.58, 1.0), (w_px * 0.655, 0.62)):
            base = h_px * 0.86
            c.set_source_rgb(0.16, 0.22, 0.26)
            c.arc(cx, base - 170 * scale, 16 * scale, 0, 2 * math.pi)
            c.fill()
            c.rectangle(cx - 17 * scale, base - 150 * scale, 34 * scale, 80 * scale)
            c.fill()
            c.rectangle(cx - 15 * scale, base - 72 * scale, 12 * scale, 72 * scale)
            c.rectangle(cx + 3 * scale, base - 72 * scale, 12 * scale, 72 * scale)
            c.fill()
        c.set_source_rgb(0.16, 0.22, 0.26)
        c.set_line_width(7)
        c.move_to(w_px * 0.58 + 15, h_px * 0.86 - 120)
        c.line_to(w_px * 0.655 - 8, h_px * 0.86 - 85)
        c.stroke()
        c.set_source_rgb(0.98, 0.86, 0.45)
        c.arc(w_px * 0.18, h_px * 0.22, 34, 0, 2 * math.pi)
        c.fill()
    else:
        c.set_source_rgb(1, 1, 1)
        c.paint()
        values, labels = kind["values"], kind["labels"]
        top = max(values) * 1.15
        left, right, up, down = 70, 30, 40, 60
        ph = h_px - up - down
        pw = w_px - left - right
        c.set_source_rgb(0.85, 0.87, 0.86)
        c.set_line_width(1)
        for k in range(0, 5):
            yy = up + ph - ph * k / 4
            c.move_to(left, yy)
            c.line_to(w_px - right, yy)
            c.stroke()
        slot = pw / len(values)
        for k, v in enumerate(values):
            bh = ph * v / top
            c.set_source_rgb(0x0B / 255, 0x5E / 255, 0x45 / 255)
            c.rectangle(left + slot * k + slot * 0.2, up + ph - bh, slot * 0.6, bh)
            c.fill()
        # the labels are drawn into the picture (cairo's toy text API on an image: pixels, not text)
        c.select_font_face("DejaVu Sans", cairo.FONT_SLANT_NORMAL, cairo.FONT_WEIGHT_NORMAL)
        c.set_font_size(22)
        c.set_source_rgb(0.2, 0.2, 0.2)
        for k, (v, lab) in enumerate(zip(values, labels)):
            bh = ph * v / top
            s_v = f"{v:.1f}".replace(".", ",")
            ext = c.text_extents(s_v)
            c.move_to(left + slot * k + slot / 2 - ext.width / 2, up + ph - bh - 10)
            c.show_text(s_v)
            ext = c.text_extents(lab)
            c.move_to(left + slot * k + slot / 2 - ext.width / 2, h_px - down + 32)
            c.show_text(lab)
        c.set_font_size(20)
        c.move_to(10, 26)
        c.show_text(kind.get("unit", ""))
    img.flush()
    return img


def _figure(d: Doc, kind: dict[str, Any], caption: str) -> None:
    """<figure><img><figcaption>: the image does not break over pages; the caption is text."""
    w = X1 - X0
    if kind["kind"] == "hero":
        h = w * 0.42
        img = _image(kind, 1330, int(1330 * 0.42))
    else:
        h = w * 0.48
        img = _image(kind, 1330, int(1330 * 0.48))
    d.need(h)
    d.page.append(("image", img, X0, d.y, w, h))
    if kind["kind"] != "hero":
        d.page.append(("stroke", lambda ctx, y=d.y, h=h: ctx.rectangle(X0, y, w, h), 0.75, LINE))
    d.y += h
    d.fresh = False
    if caption:
        d.space(6)
        d.text([(caption, {})], X0, w, 14, 1.5, BODY, GREY)
    d.space(20)


def _heading(d: Doc, block: dict[str, Any]) -> None:
    level = int(block.get("level", 2))
    text = block["text"]
    if block.get("number"):
        text = f"{block['number']} {text}"
    if level <= 2:
        d.space(34)
        d.text([(text, {"bold": True})], X0, X1 - X0, 27, 1.25, HEAD, GREEN)
        d.space(10)
    else:
        d.space(20)
        d.text([(text, {"bold": True})], X0, X1 - X0, 20, 1.3, HEAD, INK)
        d.space(6)


def _para(d: Doc, block: dict[str, Any]) -> None:
    if block.get("figure"):
        _figure(d, block["figure"], block["text"])
        return
    if block.get("lead"):
        d.text([(block["text"], {})], X0, X1 - X0, 19, 1.55, BODY, INK)
        d.space(18)
    else:
        d.text([(block["text"], {})], X0, X1 - X0, BODY_PX, 1.6)
        d.space(16)


def _ordered(d: Doc, block: dict[str, Any]) -> None:
    """<ol start=…>: the marker right-aligned in the 32px padding, the item's lead in <strong> when bold_lead."""
    indent = 32 * PT_PER_PX
    for item in block["items"]:
        segs = []
        if block.get("bold_lead", False):
            segs.append((item["lead"], {"bold": True}))
            if item.get("text"):
                segs.append((" " + item["text"], {}))
        else:
            segs.append(((item["lead"] + " " + item.get("text", "")).strip(), {}))
        marker = f"{item.get('number', '')}."

        def hook(entry, marker=marker):
            _line, _lx, offset, _lh, _w, _s = entry
            lay, _ = d.layout([(marker, {})], indent - 8, BODY_PX, BODY, INK, align="right")
            mline = d.lines(lay, [], 0, BODY_PX, 1.6)[0][0]
            mw = lay.get_pixel_extents()[1].width
            # the marker is painted before the item's text (Gecko's ::marker frame comes first)
            page = d.page
            line_op = page.pop()
            links = []
            while page and page[-1][0] == "link":
                links.append(page.pop())
            page.append(("line", mline, X0 + indent - 8 - mw, line_op[3]))
            page.append(line_op)
            page.extend(reversed(links))
        d.text(segs, X0 + indent, X1 - X0 - indent, BODY_PX, 1.6, first_line_hook=hook)
        d.space(10)
    d.space(6)


def _accordion(d: Doc, block: dict[str, Any]) -> None:
    """<details open> per item: a bordered bar "Conclusie 1" with "▾" at its right (summary::after), the panel under
    it with the lead in bold and the text as one paragraph."""
    word = {"conclusie": "Conclusie", "aanbeveling": "Aanbeveling"}[block["type"]]
    pad = 16 * PT_PER_PX
    for item in block["items"]:
        start = d.box_start()
        x, w = X0, X1 - X0
        d.space(0)
        # summary bar
        d.y += 11 * PT_PER_PX
        lay, _ = d.layout([(f"{word} {item.get('number', '')}", {"bold": True})], w - 2 * pad - 30, 18, HEAD, GREEN)
        chev, _ = d.layout([("▾", {"bold": True})], 30, 18, "DejaVu Sans", GREEN, align="right")
        chev_line = d.lines(chev, [], X1 - pad - 30, 18, 1.3)[0]
        for n, entry in enumerate(d.lines(lay, [], x + pad, 18, 1.3)):
            top = d.place_line(entry)
            if n == 0:
                if d.box_start()[0] != start[0]:     # the bar moved to a new page
                    start = (len(d.pages) - 1, top - 11 * PT_PER_PX)
                d.page.append(("line", chev_line[0], chev_line[1], top + chev_line[2]))
        d.y += 11 * PT_PER_PX
        d.rule(x, d.y, w, 0.75, LINE)
        d.y += 0.75
        # panel
        d.y += 12 * PT_PER_PX
        segs = [(item["lead"], {"bold": True})]
        if item.get("text"):
            segs.append((" " + item["text"], {}))
        d.text(segs, x + pad, w - 2 * pad, BODY_PX, 1.6)
        d.y += 12 * PT_PER_PX
        side = (0.75, LINE)
        d.box_end(start, x, w, {"left": side, "right": side, "top": side, "bottom": side})
        d.y += 8 * PT_PER_PX
    d.space(10)


def _blockquote(d: Doc, text: str) -> None:
    start = d.box_start()
    bar = 4 * PT_PER_PX
    d.text([(text, {"italic": True})], X0 + bar + 18 * PT_PER_PX, X1 - X0 - bar - 18 * PT_PER_PX, BODY_PX + 1, 1.55, BODY,
           (0.2, 0.2, 0.2))
    if start[0] != len(d.pages) - 1 and start[1] >= BOTTOM - 1:
        start = (start[0] + 1, TOP)
    d.box_end(start, X0, X1 - X0, {"left": (bar, GREEN)})


def _file_icon(d: Doc, x: float, top: float, h: float, color=GREEN) -> None:
    def icon(ctx, x=x, y=top + (h - 13) / 2):
        ctx.move_to(x, y)
        ctx.line_to(x + 7, y)
        ctx.line_to(x + 10, y + 3)
        ctx.line_to(x + 10, y + 13)
        ctx.line_to(x, y + 13)
        ctx.close_path()
        ctx.move_to(x + 2.5, y + 6.5)
        ctx.line_to(x + 7.5, y + 6.5)
        ctx.move_to(x + 2.5, y + 9.5)
        ctx.line_to(x + 7.5, y + 9.5)
    d.page.append(("stroke", icon, 0.9, color))


def _download_line(d: Doc, label: str, path: str) -> None:
    icon_w = 18 * PT_PER_PX
    placed = {}

    def hook(entry):
        _line, _lx, _off, lh, _w, _s = entry
        placed["top"] = d.y - lh
        placed["h"] = lh
    d.text([(label, {"link": _url(d.web, path), "color": GREEN, "bold": True})], X0 + icon_w, X1 - X0 - icon_w, BODY_PX,
           1.6, first_line_hook=hook)
    _file_icon(d, X0, placed["top"], placed["h"])


def _reaction(d: Doc, block: dict[str, Any]) -> None:
    if block.get("layout") != "quotes" or block.get("scanned"):
        raise ValueError("cairo: reaction_letter needs layout: quotes (no scanned letters)")
    intro = block.get("intro", [])
    if isinstance(intro, str):
        intro = [intro]
    if intro:
        _para(d, {"text": intro[0]})
    if block.get("download"):
        d.space(-4)
        _download_line(d, block["download"], "documenten/" + _slug(block["download"]) + ".pdf")
        d.space(18)
    for text in intro[1:]:
        _para(d, {"text": text})
    for par in block.get("paragraphs", []):
        if isinstance(par, str):
            _blockquote(d, par)
            d.space(16)
            continue
        if par.get("label"):
            d.space(4)
            d.text([(par["label"], {"bold": True})], X0, X1 - X0, BODY_PX, 1.6)
            d.space(4)
        _blockquote(d, par["text"])
        d.space(16)


def _facts(d: Doc, facts: dict[str, Any]) -> None:
    """An "Over dit onderzoek" box: a bordered block with a title and label–value lines."""
    d.space(20)
    d.need((14 + 12) * PT_PER_PX + 19 * 1.3 * PT_PER_PX + 15 * 1.6 * PT_PER_PX)
    start = d.box_start()
    pad = 16 * PT_PER_PX
    d.y += 14 * PT_PER_PX
    d.text([(facts["title"], {"bold": True})], X0 + pad, X1 - X0 - 2 * pad, 19, 1.3, HEAD, INK)
    d.space(6)
    for label, value in facts["rows"]:
        d.text([(label + ": ", {"bold": True}), (value, {})], X0 + pad, X1 - X0 - 2 * pad, 15, 1.6)
    d.y += 12 * PT_PER_PX
    side = (0.75, LINE)
    d.box_end(start, X0, X1 - X0, {"left": side, "right": side, "top": side, "bottom": side})


def _after_article(d: Doc) -> None:
    web = d.web
    if web.get("facts"):
        _facts(d, web["facts"])
    d.space(24)
    # "Deel deze pagina"
    d.rule(X0, d.y, X1 - X0, 0.75, LINE)
    d.y += 0.75
    d.space(10)
    segs = [("Deel deze pagina:", {"bold": True})]
    for s in web.get("share", []):
        segs.append(("    ", {}))
        segs.append((s, {"link": f"https://share.example/{_slug(s)}", "color": GREEN}))
    d.text(segs, X0, X1 - X0, 15, 1.6)
    d.space(10)
    d.rule(X0, d.y, X1 - X0, 0.75, LINE)
    d.y += 0.75
    d.space(10)
    d.text([(web["updated"], {})], X0, X1 - X0, 14, 1.5, BODY, GREY)
    # downloads box
    dl = web.get("downloads")
    if dl:
        d.space(22)
        d.need((14 + 12) * PT_PER_PX + 19 * 1.3 * PT_PER_PX + 15 * 1.7 * PT_PER_PX)
        start = d.box_start()
        d.y += 14 * PT_PER_PX
        d.text([(dl["title"], {"bold": True})], X0 + 16 * PT_PER_PX, X1 - X0, 19, 1.3, HEAD, INK)
        d.space(6)
        for link in dl["links"]:
            icon_w = 18 * PT_PER_PX
            placed = {}

            def hook(entry, placed=placed):
                placed["top"] = d.y - entry[3]
                placed["h"] = entry[3]
            d.text([(link, {"link": _url(web, "documenten/" + _slug(link) + ".pdf"), "color": GREEN})],
                   X0 + 16 * PT_PER_PX + icon_w, X1 - X0 - 32 * PT_PER_PX - icon_w, 15, 1.7, first_line_hook=hook)
            _file_icon(d, X0 + 16 * PT_PER_PX, placed["top"], placed["h"])
        d.y += 12 * PT_PER_PX
        side = (0.75, LINE)
        d.box_end(start, X0, X1 - X0, {"left": side, "right": side, "bottom": side, "top": (3 * PT_PER_PX, GREEN)})
    rel = web.get("related")
    if rel:
        d.space(22)
        d.text([(rel["title"], {"bold": True})], X0, X1 - X0, 19, 1.3, HEAD, INK)
        d.space(6)
        for link in rel["links"]:
            d.text([("›  ", {"color": GREEN}), (link, {"link": _url(web, "onderzoeken/" + _slug(link)), "color": GREEN})],
                   X0, X1 - X0, 15, 1.7)
    _site_footer(d)


def _site_footer(d: Doc) -> None:
    """The site footer: on screen light text on dark green; printed without its background, the text darkened.
    Three columns side by side (a flex row: it moves to the next page as a whole when it does not fit)."""
    web = d.web
    cols = web.get("footer", [])
    widths = [0.4, 0.3, 0.3] if len(cols) == 3 else [1 / max(1, len(cols))] * len(cols)
    col_ws = [(X1 - X0) * f for f in widths]
    built = []
    height = 0.0
    for c, col_w in zip(cols, col_ws):
        entries = []
        lay, _ = d.layout([(c["title"], {"bold": True})], col_w - 12, 16, HEAD, DARKENED)
        entries += [(e, 0) for e in d.lines(lay, [], 0, 16, 1.6)]
        for ln in c["lines"]:
            link = None if "@" in ln or any(ch.isdigit() for ch in ln) else _url(web, _slug(ln))
            lay, links = d.layout([(ln, {"link": link, "plain": True} if link else {})], col_w - 12, 14, BODY, DARKENED)
            entries += [(e, 1) for e in d.lines(lay, links, 0, 14, 1.6)]
        built.append(entries)
        height = max(height, sum(e[3] for e, _ in entries))
    d.space(36)
    d.need(height + 40 * PT_PER_PX + 60)
    d.rule(MARGIN, d.y, PAGE_W - 2 * MARGIN, 4 * PT_PER_PX, GREEN)
    d.y += 4 * PT_PER_PX + 20 * PT_PER_PX
    top = d.y
    for k, entries in enumerate(built):
        y = top
        x = X0 + sum(col_ws[:k])
        for (line, lx, off, lh, _w, spans), _kind in entries:
            d.page.append(("line", line, x + lx, y + off))
            for xa, xb, url in spans:
                d.page.append(("link", x + lx + xa, y, xb - xa, lh, url))
            y += lh
    d.y = top + height
    d.fresh = False
    d.space(16)
    d.rule(X0, d.y, X1 - X0, 0.75, (0.6, 0.66, 0.63))
    d.y += 0.75
    d.space(8)
    segs = []
    for k, s in enumerate(web.get("footer_bottom", [])):
        if k:
            segs.append(("  |  ", {}))
        segs.append((s, {"link": _url(web, _slug(s)), "plain": True} if k else {}))
    lay, links = d.layout(segs, X1 - X0, 13, BODY, DARKENED)
    for entry in d.lines(lay, links, X0, 13, 1.6):
        d.place_line(entry)


def _article(d: Doc) -> None:
    for block in d.spec["blocks"]:
        kind = block["kind"]
        if kind == "para":
            _para(d, block)
        elif kind == "heading":
            _heading(d, block)
        elif kind == "items":
            if block.get("layout") == "accordion":
                _accordion(d, block)
            elif block["style"] == "numbered":
                _ordered(d, block)
            else:
                raise ValueError(f"cairo: item style {block['style']!r} is not supported")
        elif kind == "findings":
            for item in block["items"]:
                _para(d, {"text": item["text"]})
        elif kind == "quote":
            _blockquote(d, block["text"])
            d.space(16)
        elif kind == "reaction_letter":
            _reaction(d, block)
        elif kind == "page_break":
            d.new_page()
        else:
            raise ValueError(f"cairo: block kind {kind!r} is not supported")


def _draw(spec: dict[str, Any], out_pdf: Path) -> None:
    import cairo
    web = spec["web"]
    surface = cairo.PDFSurface(str(out_pdf), PAGE_W, PAGE_H)
    surface.set_metadata(cairo.PDFMetadata.TITLE, web["page_title"])
    if web.get("creator"):
        surface.set_metadata(cairo.PDFMetadata.CREATOR, web["creator"])
    surface.set_metadata(cairo.PDFMetadata.CREATE_DATE, web["creation_date"])
    ctx = cairo.Context(surface)
    d = Doc(spec, ctx)
    _site_header(d)
    _article(d)
    _after_article(d)
    d.draw(surface)
    surface.finish()


if __name__ == "__main__":
    _spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    _draw(_spec, Path(sys.argv[2]))
