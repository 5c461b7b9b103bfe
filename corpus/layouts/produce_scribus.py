"""Render a layout spec with Scribus 1.5.8 (desktop publishing), driven headless by its Python scripter.

`render(spec, out_pdf)` writes the spec as JSON and runs this same file inside Scribus:
`xvfb-run -a scribus -g -ns -pr <fresh prefs dir> -py produce_scribus.py` (the job path in the environment variable
SCRIBUS_LAYOUT_JOB; Scribus treats arguments after the script as files to open, so none are passed). Inside Scribus the
layout is built the way a designer builds it in a DTP program: every piece of text is a positioned text frame.
Debian packages: `scribus` (1.5.8) and `xvfb`.

Layout (A4, facing pages, first page right; inner margin 20 mm, outer 30 mm):
- cover: a coloured block over the upper two thirds, the title in large white type in its own frame over the block
  (then the rekenkamer's name, the subtitle and the date, each a frame); colofon at the foot of page 2; the
  inhoudsopgave on page 3 as one frame with a right tab and dot leaders (physical page numbers). A first version
  set the titles and the page numbers in two frames side by side; pypdfium2 then took page 3 for vertical writing
  (the column of page numbers) and returned every character on a line of its own, the title "Inhoud" included.
- every page after the inhoudsopgave gets, first of all, a running title rotated 90 degrees in the outer margin and the
  page number at the outer foot (both are the first text of the page in the content stream).
- a level-1 heading starts a new page and a new "story": the heading is a separate frame (a PDF bookmark with
  `outline: true`) above the body columns; the body (level-2 headings, paragraphs, numbered items, quotes, the
  reaction letter) is one text chain of linked frames, `house.columns` columns per page (or the count of the last
  `columns` block), flowing column to column and page to page.
- `kader` blocks (spec.py's kind; never items) are attached to the story they stand in, with the renderer-only key
  `style`: `pullquote` (a quote from the text in large type, across all columns between two rules, with text wrap:
  the columns flow around it; keys `page` = page of the story, 0-based, `at` = vertical position 0–1), `panel` (a
  tinted side panel with `title` and `lines` in the outer column, text wrap; `page`, `at`) and `figures` (a band of
  infographic numbers at the foot of a story page: `items: [[value, label], …]`, each value and each label its own
  frame; `page`). Kader frames are created after the columns of their page, so they follow the body text in the
  content stream.
- `heading` with the renderer-only key `panel: true` opens a coloured page ("recommendations page"): the heading,
  the paragraphs after it and an `items` block with `layout: number_frames` are set as separate frames on a tinted
  full page: per item a big number in its own frame, an addressee tag ("Aan het college" / "Aan de raad") in its own
  frame and the item text (bold lead, then text) in its own frame. On every panel page the frames are created in this
  order: background, heading, intro, all numbers, all tags, then the item frames **in reverse order** — so the PDF's
  content stream has the numbers first and the items backwards. The panel ends after the items block; the next block
  starts a new story.
- items in running text (`numbered`): the number in the accent colour, the lead in bold, hanging indent.
- not supported (raise): footnotes, scanned letters, tables, norms, repeats, boxes.

Renderer-only keys: `house` (`font`, `bold`, `italic`, `head`, `size`, `leading`, `align` left|justify, `columns`,
`accent`/`light`/`dark` as "RRGGBB", `date` [y, m, d]); `kader.style/page/at/title/lines/items`; `heading.panel`;
`items.layout: number_frames`.

Checks the renderer makes: a kader placed on a story page the story does not reach raises (it would silently be
lost); an infographic value is shrunk until it stands on one line (an overflowing Scribus frame hides its text).

Text as pypdfium2 reads it: Scribus places every glyph with its own text matrix; the page text is still in reading
order inside a frame, but the frames come in creation order (running title and page number first, then the body
columns in chain order, then the pull quote, the side panel and the infographic band). The rotated running title
comes out broken over lines ("Rekenkamercom" / "missie …"). With Lato the hyphen is mapped to U+2010 ("jeugd‐ggz");
TeX Gyre Pagella keeps "-". Ligatures (Lato's "tt", "ti", "fi") are single glyphs whose ToUnicode gives the letters.
The `description` of the document info does not reach /Subject (it stays empty); Title and Author do.

Determinism: Scribus writes the clock into /CreationDate and /ModDate and an /ID from it; both are overwritten in
place after the run (same lengths; the dates become the house date, the /ID the md5 of the document id). A fresh
preferences directory is used for every run. Scribus embeds the fonts as subsets. Nothing else differs: the committed
PDFs come out byte for byte (checked: two runs, `cmp`).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path


def render(spec: dict, out_pdf: Path) -> None:
    for block in spec["blocks"]:
        if block.get("footnote") or block.get("scanned") or block["kind"] in ("norm", "repeat", "reaction_table"):
            raise ValueError(f"produce_scribus: unsupported block {block['kind']}")
    with tempfile.TemporaryDirectory() as tmp:
        job = Path(tmp) / "job.json"
        out = Path(tmp) / "out.pdf"
        job.write_text(json.dumps({"spec": spec, "out": str(out)}, ensure_ascii=False), encoding="utf-8")
        prefs = Path(tmp) / "prefs"
        prefs.mkdir()
        env = {**os.environ, "SCRIBUS_LAYOUT_JOB": str(job), "HOME": tmp, "XDG_RUNTIME_DIR": tmp}
        proc = subprocess.run(["xvfb-run", "-a", "scribus", "-g", "-ns", "-pr", str(prefs), "-py", str(Path(__file__).resolve())],
                              env=env, capture_output=True, text=True, timeout=600)
        if not out.exists():
            raise RuntimeError("scribus produced no PDF:\n" + proc.stdout[-3000:] + proc.stderr[-3000:])
        data = bytearray(out.read_bytes())
    y, m, d = spec.get("house", {}).get("date", [2022, 1, 1])
    stamp = f"D:{y:04d}{m:02d}{d:02d}120000Z".encode()
    for match in re.finditer(rb"D:\d{14}Z", bytes(data)):
        data[match.start():match.end()] = stamp
    digest = hashlib.md5(spec["id"].encode()).hexdigest().upper().encode()
    for match in re.finditer(rb"/ID \[<([0-9A-Fa-f]{32})><([0-9A-Fa-f]{32})>\]", bytes(data)):
        data[match.start(1):match.end(1)] = digest
        data[match.start(2):match.end(2)] = digest
    Path(out_pdf).write_bytes(bytes(data))


# ---------------------------------------------------------------------------------------------------------------
# Everything below runs inside Scribus (its own Python, module `scribus`).

W, H = 210.0, 297.0
TOP, BOTTOM, INNER, OUTER = 24.0, 26.0, 20.0, 30.0
GAP = 6.0


class Layout:
    def __init__(self, spec):
        import scribus as sc
        self.sc = sc
        self.spec = spec
        self.house = spec.get("house", {})
        self.n = 0
        self.toc = []
        self.ncols = self.house.get("columns", 2)
        self.decorate_from = 4
        sc.newDocument((W, H), (TOP, BOTTOM, INNER, OUTER), sc.PORTRAIT, 1, sc.UNIT_MILLIMETERS, sc.FACINGPAGES,
                       sc.FIRSTPAGERIGHT, 1)
        self.pages = 1
        self.colors()
        self.styles()

    # -- basics -------------------------------------------------------------------------------------------------
    def name(self, kind):
        self.n += 1
        return f"{kind}{self.n:04d}"

    def colors(self):
        sc = self.sc
        for key, default in (("accent", "1F5F8B"), ("light", "E3EEF5"), ("dark", "1A1A1A"), ("second", "F2A541")):
            hexv = self.house.get(key, default)
            sc.defineColorRGB(key.capitalize(), int(hexv[0:2], 16), int(hexv[2:4], 16), int(hexv[4:6], 16))
        sc.defineColorRGB("Wit", 255, 255, 255)

    def styles(self):
        sc, h = self.sc, self.house
        font, bold = h.get("font", "Lato Regular"), h.get("bold", "Lato Bold")
        italic, head = h.get("italic", "Lato Italic"), h.get("head", "Lato Black")
        size = float(h.get("size", 9.5))
        lead = float(h.get("leading", size * 1.4))
        align = 3 if h.get("align") == "justify" else 0
        self.font, self.boldf, self.italic, self.head = font, bold, italic, head
        cs = sc.createCharStyle
        cs(name="body", font=font, fontsize=size, fillcolor="Dark")
        cs(name="bold", font=bold, fontsize=size, fillcolor="Dark")
        cs(name="num", font=head, fontsize=size + 1, fillcolor="Accent")
        cs(name="h2", font=head, fontsize=size + 2.5, fillcolor="Accent")
        cs(name="ital", font=italic, fontsize=size, fillcolor="Dark")
        ps = sc.createParagraphStyle
        ps(name="p", linespacingmode=0, linespacing=lead, alignment=align, gapafter=lead * 0.55, charstyle="body")
        ps(name="h2", linespacingmode=0, linespacing=lead + 2, alignment=0, gapbefore=lead * 0.6, gapafter=lead * 0.25,
           charstyle="h2")
        ps(name="item", linespacingmode=0, linespacing=lead, alignment=align, gapafter=lead * 0.55, leftmargin=20,
           firstindent=-20, charstyle="body", tabs=[(20.0, 0)])
        ps(name="quote", linespacingmode=0, linespacing=lead, alignment=0, gapafter=lead * 0.55, leftmargin=5,
           charstyle="ital")
        ps(name="sig", linespacingmode=0, linespacing=lead, alignment=0, gapafter=0, charstyle="body")
        self.lead = lead
        self.size = size

    def box(self, page):
        """Left and right edge of the type area on a page (odd pages are right-hand pages)."""
        if page % 2 == 1:
            return INNER, W - OUTER
        return OUTER, W - INNER

    def outer_x(self, page):
        return W - OUTER + 8 if page % 2 == 1 else 8

    def new_page(self, background=None):
        sc = self.sc
        sc.newPage(-1)
        self.pages = sc.pageCount()
        sc.gotoPage(self.pages)
        if background:
            self.rect(0, 0, W, H, background)
        if self.pages >= self.decorate_from:
            self.decorate(self.pages)
        return self.pages

    def decorate(self, page):
        sc = self.sc
        title = self.spec.get("running_header", "")
        if title:
            x = W - 12 if page % 2 == 1 else 8
            f = sc.createText(x, 200, 120, 6, self.name("rt"))
            sc.setText(title, f)
            sc.setFont(self.font, f)
            sc.setFontSize(7.5, f)
            sc.setTextColor("Accent", f)
            sc.rotateObjectAbs(90, f)
        x = W - OUTER + 12 if page % 2 == 1 else 6
        f = sc.createText(x, H - 18, 12, 7, self.name("folio"))
        sc.setText(str(page), f)
        sc.setFont(self.head, f)
        sc.setFontSize(10, f)
        sc.setTextColor("Accent", f)
        sc.setTextAlignment(sc.ALIGN_RIGHT if page % 2 == 1 else sc.ALIGN_LEFT, f)

    def frame(self, x, y, w, h, text, font, size, color="Dark", align=0, leading=None):
        sc = self.sc
        f = sc.createText(x, y, w, h, self.name("t"))
        sc.setText(text, f)
        sc.setFont(font, f)
        sc.setFontSize(size, f)
        sc.setTextColor(color, f)
        sc.setLineSpacing(leading or size * 1.2, f)
        sc.setTextAlignment(align, f)
        return f

    def fit(self, f, lo=3.0, hi=260.0):
        sc = self.sc
        w = sc.getSize(f)[0]
        for _ in range(14):
            mid = (lo + hi) / 2
            sc.sizeObject(w, mid, f)
            sc.layoutText(f)
            if sc.textOverflows(f, 1):
                lo = mid
            else:
                hi = mid
        sc.sizeObject(w, hi + 0.5, f)
        return hi + 0.5

    def rect(self, x, y, w, h, color):
        sc = self.sc
        r = sc.createRect(x, y, w, h, self.name("r"))
        sc.setFillColor(color, r)
        sc.setLineColor("None", r)
        return r

    # -- front matter ---------------------------------------------------------------------------------------------
    def cover(self, lines):
        sc = self.sc
        sc.gotoPage(1)
        self.rect(0, 0, W, 196, "Accent")
        self.rect(0, 196, W, 5, "Second")
        org, title, sub, date = (list(lines) + ["", "", "", ""])[:4]
        # the title first: a designer draws it first, the rest is added around it
        t = self.frame(22, 92, 160, 60, title, self.head, 38, "Wit", leading=42)
        self.fit(t)
        self.frame(22, 22, 150, 10, org, self.boldf, 13, "Wit")
        s = self.frame(22, 158, 150, 30, sub, self.font, 14, "Wit", leading=18)
        self.fit(s)
        self.frame(22, 214, 150, 10, date, self.font, 12, "Accent")
        self.frame(22, 262, 150, 10, org, self.head, 11, "Accent")

    def colofon(self, lines):
        self.new_page()
        f = self.frame(OUTER, 190, 120, 80, "\r".join(lines), self.font, 8.5, leading=12)
        self.fit(f)
        self.sc.moveObjectAbs(OUTER, H - BOTTOM - self.sc.getSize(f)[1], f)

    def toc_page(self):
        self.new_page()
        self.toc_at = self.pages
        self.frame(INNER, TOP, 120, 16, "Inhoud", self.head, 26, "Accent")

    def fill_toc(self):
        sc = self.sc
        sc.gotoPage(self.toc_at)
        sc.createParagraphStyle(name="tocline", linespacingmode=0, linespacing=20, alignment=0, charstyle="body",
                                tabs=[(130.0 * 72 / 25.4, 1, ".")])  # tab positions in pt
        text = "\r".join(((f"{num}  {text}" if num else text) + f"\t{page}") for num, text, page in self.toc)
        f = self.frame(INNER, TOP + 24, 140, 200, text, self.font, 11, leading=20)
        sc.setParagraphStyle("tocline", f)
        sc.setFontSize(11, f)

    # -- stories ---------------------------------------------------------------------------------------------------
    def heading_frame(self, block, y):
        sc = self.sc
        left, right = self.box(self.pages)
        text = (f"{block['number']} {block['text']}" if block.get("number") else block["text"])
        f = self.frame(left, y, right - left, 20, text, self.head, 24, "Accent", leading=28)
        h = self.fit(f)
        if self.spec.get("outline"):
            sc.setPDFBookmark(True, f)
        self.toc.append((block.get("number", ""), block["text"], self.pages))
        line = sc.createLine(left, y + h + 2, left + 30, y + h + 2, self.name("l"))
        sc.setLineColor("Second", line)
        sc.setLineWidth(3, line)
        return y + h + 8

    def story_text(self, blocks):
        """Paragraphs of one story: list of (text, pstyle, [(start, length, charstyle)])."""
        paras = []
        for b in blocks:
            k = b["kind"]
            if k == "heading":
                paras.append((b["text"] if not b.get("number") else f"{b['number']} {b['text']}", "h2", []))
            elif k == "para":
                paras.append((b["text"], "p", []))
            elif k == "quote":
                paras.append((b["text"], "quote", []))
            elif k == "findings":
                for it in b["items"]:
                    paras.append((it["text"], "p", []))
            elif k == "items":
                for it in b["items"]:
                    num = str(it.get("number", ""))
                    pre = f"{num}\t" if num else ""
                    text = pre + " ".join(x for x in (it.get("lead", ""), it.get("text", "")) if x)
                    runs = [(0, len(num), "num")] if num else []
                    if it.get("lead"):
                        runs.append((len(pre), len(it["lead"]), "bold"))
                    paras.append((text, "item", runs))
            elif k == "reaction_letter":
                for ptext in b["paragraphs"]:
                    paras.append((ptext, "p", []))
                sig = b.get("signature", [])
                for line in sig:
                    paras.append((line, "sig", []))
            else:
                raise ValueError(f"produce_scribus: block {k} not supported in a story")
        return paras

    def story(self, heading, blocks, kaders, new_page=True):
        sc = self.sc
        if new_page or self.pages < self.decorate_from:
            self.new_page()
        y = TOP
        if heading is not None:
            y = self.heading_frame(heading, y)
        paras = self.story_text(blocks)
        if not paras:
            return
        text = "\r".join(p[0] for p in paras)
        first = None
        last = None
        rel = 0
        ncols = self.ncols
        while True:
            page = self.pages
            left, right = self.box(page)
            colw = (right - left - GAP * (ncols - 1)) / ncols
            cols = []
            for c in range(ncols):
                f = sc.createText(left + c * (colw + GAP), y, colw, H - BOTTOM - y, self.name("col"))
                cols.append(f)
            if first is None:
                first = cols[0]
                self.fill(first, text, paras)
                chain = cols[1:]
                last = first
            else:
                chain = cols
            for f in chain:
                sc.linkTextFrames(last, f)
                last = f
            for k in kaders:
                if k.get("page", 0) == rel:
                    self.kader(k, page, y)
            sc.layoutTextChain(first)
            if not sc.textOverflows(last):
                if any(k.get("page", 0) > rel for k in kaders):
                    raise ValueError("produce_scribus: a kader is placed on a page the story does not reach")
                break
            self.new_page()
            y = TOP
            rel += 1

    def fill(self, f, text, paras):
        sc = self.sc
        sc.setText(text, f)
        sc.setParagraphStyle("p", f)
        pos = 0
        for ptext, pstyle, runs in paras:
            sc.selectText(pos, len(ptext), f)
            sc.setParagraphStyle(pstyle, f)
            for start, length, cstyle in runs:
                sc.selectText(pos + start, length, f)
                sc.setCharacterStyle(cstyle, f)
            pos += len(ptext) + 1
        sc.deselectAll()

    def kader(self, k, page, ytop):
        sc = self.sc
        left, right = self.box(page)
        style = k.get("style", "pullquote")
        avail = H - BOTTOM - ytop
        if style == "pullquote":
            text = k["text"] + (f"\r— {k['source']}" if k.get("source") else "")
            f = self.frame(left, 0, right - left, 30, text, self.italic, 17, "Accent", align=1, leading=22)
            sc.setTextDistances(12, 12, 4, 4, f)
            h = self.fit(f)
            y = ytop + avail * k.get("at", 0.45)
            sc.moveObjectAbs(left, y, f)
            sc.setTextFlowMode(f, 1)
            for yy in (y + 1, y + h - 1):
                line = sc.createLine(left + 30, yy, right - 30, yy, self.name("l"))
                sc.setLineColor("Accent", line)
                sc.setLineWidth(1.2, line)
        elif style == "panel":
            ncols = self.ncols
            colw = (right - left - GAP * (ncols - 1)) / ncols
            x = right - colw if page % 2 == 1 else left
            y = ytop + avail * k.get("at", 0.35)
            body = "\r".join([k.get("title", "")] + list(k.get("lines", [])))
            f = self.frame(x, y, colw, 60, body, self.font, 8.5, "Dark", leading=12)
            sc.selectText(0, len(k.get("title", "")), f)
            sc.setFont(self.head, f)
            sc.setFontSize(10.5, f)
            sc.setTextColor("Accent", f)
            sc.deselectAll()
            sc.setTextDistances(4, 4, 4, 4, f)
            self.fit(f)
            sc.setFillColor("Light", f)
            sc.setTextFlowMode(f, 1)
        elif style == "figures":
            items = k["items"]
            band_h = 38
            y = H - BOTTOM - band_h
            r = self.rect(left, y, right - left, band_h, "Light")
            sc.setTextFlowMode(r, 1)
            cellw = (right - left) / len(items)
            for i, (value, _label) in enumerate(items):
                size = 22.0
                f = self.frame(left + i * cellw + 4, y + 4, cellw - 8, 14, value, self.head, size, "Accent", leading=24)
                sc.layoutText(f)
                while (sc.textOverflows(f, 1) or sc.getTextLines(f) > 1) and size > 10:  # one line only
                    size -= 1
                    sc.setFontSize(size, f)
                    sc.setLineSpacing(size * 1.1, f)
                    sc.layoutText(f)
            for i, (_value, label) in enumerate(items):
                self.frame(left + i * cellw + 4, y + 20, cellw - 8, 16, label, self.font, 8, "Dark", leading=10)
        else:
            raise ValueError(f"produce_scribus: kader style {style}")

    # -- the coloured recommendations page -------------------------------------------------------------------------
    def panel(self, heading, blocks):
        sc = self.sc
        pending = []  # (kind, data, height)
        left, right = self.box(self.pages + 1)
        width = right - left
        # measure on a scratch frame; create later, in the designer's order
        for b in blocks:
            if b["kind"] == "para":
                pending.append(("intro", b, self.measure(b["text"], width, self.font, 10.5, 15)))
            elif b["kind"] == "items":
                for it in b["items"]:
                    body = " ".join(x for x in (it.get("lead", ""), it.get("text", "")) if x)
                    pending.append(("item", it, self.measure(body, width - 26, self.font, 10.5, 15) + 7))
            else:
                raise ValueError(f"produce_scribus: {b['kind']} on a panel page")
        first = True
        while pending:
            page = self.new_page(background="Light")
            left, right = self.box(page)
            y = TOP
            if first:
                y = self.heading_frame(heading, y)
                first = False
            placed = []
            while pending and y + pending[0][2] <= H - BOTTOM:
                kind, data, h = pending.pop(0)
                placed.append((kind, data, y, h))
                y += h + (5 if kind == "intro" else 7)
            if not placed:
                raise ValueError("produce_scribus: a panel item does not fit on a page")
            for kind, data, yy, h in placed:
                if kind == "intro":
                    self.frame(left, yy, right - left, h, data["text"], self.font, 10.5, leading=15)
            for kind, data, yy, _h in placed:
                if kind == "item":
                    self.frame(left, yy - 2, 20, 22, str(data.get("number", "")), self.head, 40, "Accent", leading=40)
            for kind, data, yy, _h in placed:
                if kind == "item" and data.get("addressee"):
                    tag = {"college": "Aan het college", "raad": "Aan de raad"}.get(data["addressee"], data["addressee"])
                    f = self.frame(left + 26, yy, 40, 5.5, tag.upper(), self.boldf, 7, "Wit", leading=8)
                    sc.setFillColor("Accent", f)
                    sc.setTextDistances(1.5, 1.5, 0.8, 0.5, f)
            for kind, data, yy, h in reversed(placed):
                if kind == "item":
                    body = " ".join(x for x in (data.get("lead", ""), data.get("text", "")) if x)
                    f = self.frame(left + 26, yy + 7, right - left - 26, h - 7 + 2, body, self.font, 10.5, leading=15)
                    if data.get("lead"):
                        sc.selectText(0, len(data["lead"]), f)
                        sc.setFont(self.boldf, f)
                        sc.deselectAll()

    def measure(self, text, width, font, size, leading):
        sc = self.sc
        f = self.frame(0, 0, width, 50, text, font, size, leading=leading)
        h = self.fit(f)
        sc.deleteObject(f)
        return h

    # -- driver ---------------------------------------------------------------------------------------------------
    def run(self, out):
        sc = self.sc
        spec = self.spec
        blocks = spec["blocks"]
        i = 0
        heading, body, kaders = None, [], []

        def flush(new_page=True):
            nonlocal heading, body, kaders
            if heading is not None or body:
                self.story(heading, body, kaders, new_page=new_page)
            heading, body, kaders = None, [], []

        while i < len(blocks):
            b = blocks[i]
            k = b["kind"]
            if k == "cover":
                self.cover(b["lines"])
            elif k == "colofon":
                self.colofon(b["lines"])
            elif k == "toc":
                self.toc_page()
            elif k == "columns":
                flush()
                self.ncols = b.get("count", 2)
            elif k == "page_break":
                flush()
            elif k == "heading" and b.get("level", 1) == 1:
                flush()
                if b.get("panel"):
                    j = i + 1
                    while blocks[j]["kind"] != "items":
                        j += 1
                    self.panel(b, blocks[i + 1:j + 1])
                    i = j + 1
                    continue
                heading = b
            elif k == "kader":
                kaders.append(b)
            else:
                body.append(b)
            i += 1
        flush()
        if spec.get("toc"):
            self.fill_toc()
        if spec.get("pdf_info", True):
            meta = spec["meta"]
            sc.setInfo(meta.get("rekenkamer", ""), meta.get("title", ""), meta.get("gemeente", ""))
        else:
            sc.setInfo("", "", "")
        pdf = sc.PDFfile()
        pdf.file = out
        pdf.fontEmbedding = 0
        pdf.subsetList = sorted({self.font, self.boldf, self.italic, self.head})
        pdf.bookmarks = bool(spec.get("outline"))
        pdf.thumbnails = 0
        pdf.save()


def _scribus_main() -> None:
    job = json.loads(Path(os.environ["SCRIBUS_LAYOUT_JOB"]).read_text(encoding="utf-8"))
    Layout(job["spec"]).run(job["out"])


if os.environ.get("SCRIBUS_LAYOUT_JOB") and __name__ == "__main__":
    _scribus_main()
