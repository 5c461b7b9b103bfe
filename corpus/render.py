#!/usr/bin/env python3
"""Render the sample corpus: corpus/sources/*.txt -> corpus/pdf/*.pdf + corpus/manifest.csv.

Renderer-only dependencies (not needed by the pipeline itself):
    reportlab>=4.0      (PDF typesetting; its bundled Vera*.ttf fonts are used)
    pyphen>=0.14        (Dutch hyphenation, hyphenationLang='nl_NL')
    fonttools>=4.40     (builds the tiny private-use-area bullet fonts at render time)

Usage:  python corpus/render.py          (deterministic: byte-identical output on re-run)

The source texts are text extractions of real PDFs; line breaks follow the
original page lines.  This script re-flows them into paragraphs and typesets
them in several "house styles" with the hazards real reports have: running
headers/footers, hyphenated line ends, ligature code points, private-use
bullet glyphs, footnotes at page bottoms, two-column pages, boxed texts,
tables, a table of contents.  Per-document curation (which lines are
headings, headline items, tables, boxes, ...) is keyed on 1-based line
numbers of the source files, which are frozen copies.
"""
from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parent
SRC = ROOT / "sources"
OUT = ROOT / "pdf"

# Private-use bullet code points (as produced by Word with Wingdings / Symbol bullets).
PUA_SQUARE = "\uf0a7"   # Wingdings small square  (Raalte lists)
PUA_BULLET = "\uf0b7"   # Symbol bullet           (VWS / scriptie lists)
PUA_ARROW = "\uf0d8"    # Wingdings arrowhead     (Raalte headline conclusions/recommendations)
PUA_CHECK = "\uf0fc"    # Wingdings check mark    (not used in text; present in font)

# --------------------------------------------------------------------------------------------
# fonts
# --------------------------------------------------------------------------------------------


def _poly(pen, pts):
    pen.moveTo(pts[0])
    for p in pts[1:]:
        pen.lineTo(p)
    pen.closePath()


def build_pua_font(path: str, family: str) -> None:
    """A tiny TrueType font whose glyphs sit at private-use code points (deterministic bytes)."""
    import math

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cps = [0xF0A7, 0xF0B7, 0xF0D8, 0xF0FC, 0x25B2, 0x25BC]
    order = [".notdef", "space"] + ["uni%04X" % c for c in cps]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    cmap = {0x20: "space"}
    cmap.update({c: "uni%04X" % c for c in cps})
    fb.setupCharacterMap(cmap)
    glyphs = {}
    pen = TTGlyphPen(None)
    _poly(pen, [(50, 0), (50, 700), (450, 700), (450, 0)])
    glyphs[".notdef"] = pen.glyph()
    glyphs["space"] = TTGlyphPen(None).glyph()
    # U+F0A7 small square
    pen = TTGlyphPen(None)
    _poly(pen, [(120, 200), (120, 500), (420, 500), (420, 200)])
    glyphs["uniF0A7"] = pen.glyph()
    # U+F0B7 round bullet (24-gon)
    pen = TTGlyphPen(None)
    pts = [(270 + 170 * math.cos(2 * math.pi * i / 24), 350 + 170 * math.sin(2 * math.pi * i / 24))
           for i in range(24)]
    _poly(pen, [(round(x), round(y)) for x, y in pts])
    glyphs["uniF0B7"] = pen.glyph()
    # U+F0D8 arrowhead
    pen = TTGlyphPen(None)
    _poly(pen, [(100, 80), (100, 620), (560, 350)])
    glyphs["uniF0D8"] = pen.glyph()
    # U+F0FC check mark
    pen = TTGlyphPen(None)
    _poly(pen, [(60, 380), (150, 460), (300, 300), (640, 700), (720, 620), (300, 140)])
    glyphs["uniF0FC"] = pen.glyph()
    # U+25B2 / U+25BC triangles (figure markers in the scriptie)
    pen = TTGlyphPen(None)
    _poly(pen, [(60, 0), (640, 0), (350, 620)])
    glyphs["uni25B2"] = pen.glyph()
    pen = TTGlyphPen(None)
    _poly(pen, [(60, 620), (350, 0), (640, 620)])
    glyphs["uni25BC"] = pen.glyph()
    fb.setupGlyf(glyphs)
    adv = {".notdef": 500, "space": 250, "uniF0A7": 540, "uniF0B7": 540, "uniF0D8": 660, "uniF0FC": 780,
           "uni25B2": 700, "uni25BC": 700}
    metrics = {}
    for g in order:
        gl = glyphs[g]
        lsb = getattr(gl, "xMin", 0) or 0
        metrics[g] = (adv[g], lsb)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": family, "styleName": "Regular",
                       "uniqueFontIdentifier": family + "-Regular",
                       "fullName": family + " Regular", "psName": family + "-Regular",
                       "version": "Version 1.000"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200, fsType=0)
    fb.setupPost()
    fb.font["head"].created = 3600 * 24 * 365 * 90
    fb.font["head"].modified = 3600 * 24 * 365 * 90
    fb.font.recalcTimestamp = False
    fb.save(path)


_FONTS_DONE = False


def register_fonts() -> None:
    global _FONTS_DONE
    if _FONTS_DONE:
        return
    fdir = Path(reportlab.__file__).resolve().parent / "fonts"
    for name, fn in [("Vera", "Vera.ttf"), ("Vera-Bold", "VeraBd.ttf"), ("Vera-Italic", "VeraIt.ttf"),
                     ("Vera-BoldItalic", "VeraBI.ttf")]:
        pdfmetrics.registerFont(TTFont(name, str(fdir / fn)))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera-Italic",
                                  boldItalic="Vera-BoldItalic")
    tmp = Path(tempfile.mkdtemp(prefix="md_fonts_"))
    for fam in ("MDWingdings", "MDSymbol"):
        p = tmp / (fam + ".ttf")
        build_pua_font(str(p), fam)
        pdfmetrics.registerFont(TTFont(fam, str(p)))
    _FONTS_DONE = True


# --------------------------------------------------------------------------------------------
# source model + generic re-flow
# --------------------------------------------------------------------------------------------


@dataclass
class Line:
    no: int            # 1-based line number in the source file
    text: str          # stripped text
    lead: int          # number of leading spaces (>=1: original page start or lost glyph)
    blank_before: bool
    sep_before: bool   # a whitespace-only line (empty Word paragraph) precedes
    tight: bool = False  # directly followed by another text line (no blank line)


def read_lines(path: Path, drop=()):
    raw = path.read_text(encoding="utf-8").split("\n")
    out, blank, sep = [], False, False
    drop_re = [re.compile(d) for d in drop]
    for i, r in enumerate(raw, 1):
        if r == "":
            blank = True
            continue
        if r.strip() == "":
            sep = True
            blank = True
            continue
        t = r.strip()
        if any(d.search(t) for d in drop_re):
            blank = True
            continue
        lead = len(r) - len(r.lstrip(" "))
        if out and not blank:
            out[-1].tight = True
        out.append(Line(i, t, lead, blank, sep))
        blank = sep = False
    return out


SENT_END = re.compile(r"[\.\!\?\:;”\"’'\)]\d{0,3}\s*$")
BULLET_RE = re.compile(r"^([▪•●\-−–\uf0a7\uf0b7o])\s+(.*)$")
NUM_ITEM_RE = re.compile(r"^(\d{1,2}[\)\.])\s+(.*)$")


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def join_lines(parts):
    out = ""
    for p in parts:
        p = p.strip()
        if not out:
            out = p
        elif re.search(r"[A-Za-zÀ-ÿ]-$", out) and p:
            out += p          # keep real hyphen, no space ("jeugd-" + "ggz")
        else:
            out += " " + p
    return re.sub(r"\s+", " ", out).strip()


@dataclass
class Block:
    t: str                       # h1 h2 h3 h4 p li headline kader table figure pagebreak ...
    text: str = ""
    num: str = ""
    style: str = ""
    marker: str = ""
    level: int = 0
    rows: list = field(default_factory=list)
    blocks: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)   # source line numbers


class Parser:
    """Turns source lines into blocks.  Footnotes are pulled out into self.notes and their
    references are marked in the text as \x01N\x02 (visible superscript) or \x03N\x02 (anchor)."""

    def __init__(self, lines, cfg):
        self.all = lines
        self.cfg = cfg
        lens = sorted(len(l.text) for l in lines if len(l.text) > 30)
        self.W = lens[int(len(lens) * 0.9)] if lens else 90
        self.W = cfg.get("width", self.W)
        self.notes = {}
        self.next_fn = 1
        self.chapter = 0
        self.sec = [0, 0]
        self.blocks_since_fn = []

    # --- classification helpers
    def is_footnote(self, i, lines):
        if not self.cfg.get("footnotes"):
            return False
        l = lines[i]
        m = re.match(r"^(\d{1,3})\s+(\S.*)$", l.text)
        if not m or int(m.group(1)) != self.next_fn or l.lead > 0:
            return False
        if l.no in self.cfg.get("not_footnote", ()):
            return False
        return True

    def heading(self, l):
        cfg = self.cfg
        t = l.text
        if l.no in cfg.get("not_heading", ()):
            return None
        if l.no in cfg.get("h1", {}):
            return ("h1", cfg["h1"][l.no])
        if l.no in cfg.get("h2x", {}):
            return ("h2", cfg["h2x"][l.no])
        if l.no in cfg.get("h3x", {}):
            return ("h3", cfg["h3x"][l.no])
        if l.no in cfg.get("h4", ()) or t in cfg.get("h4_texts", ()):
            return ("h4", ("", t))
        if len(t) > 110:
            return None
        m = re.match(r"^(\d{1,2})\.?\s+(\S.*)$", t)
        if m and (l.lead > 0 or cfg.get("chapters_anywhere")) and int(m.group(1)) == self.chapter + 1 \
                and not t.endswith((",", ";")) and m.group(2)[0].isupper():
            return ("h1", (m.group(1), m.group(2)))
        m = re.match(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$", t)
        if m and int(m.group(1)) == self.chapter and int(m.group(2)) == self.sec[0] + 1 \
                and m.group(3)[0].isupper() and not SENT_END.search(t.rstrip(":")):
            return ("h2", (m.group(1) + "." + m.group(2), m.group(3)))
        m = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$", t)
        if m and int(m.group(1)) == self.chapter and int(m.group(2)) == self.sec[0] \
                and int(m.group(3)) == self.sec[1] + 1 and m.group(4)[0].isupper():
            return ("h3", ("%s.%s.%s" % m.group(1, 2, 3), m.group(4)))
        return None

    def breaks(self, prev: Line, cur: Line) -> bool:
        """Does `prev` end a paragraph (given that `cur` follows)?"""
        pt = prev.text
        nw = len(cur.text.split()[0]) if cur.text else 0
        fits = len(pt) + 1 + nw < self.W * 0.9
        if SENT_END.search(pt) and fits:
            return True
        if self.cfg.get("question_break") and pt.endswith("?") and cur.text[:1].isupper():
            return True
        if self.cfg.get("interleaved") and SENT_END.search(pt):
            tp = prev.tight or not prev.blank_before
            tc = cur.tight or not cur.blank_before
            if tp != tc:
                return True
        if not SENT_END.search(pt) and len(pt) + 1 + nw < self.W * 0.8 and cur.text[:1].isupper() \
                and not re.search(r"[A-Za-zÀ-ÿ]-$", pt) and not pt.endswith(","):
            return True
        return False

    # --- footnote handling
    def attach_note(self, n, cur_parts):
        """Mark the reference of footnote n in the recent text."""
        pat = re.compile(r"(?:(?<=[A-Za-zÀ-ÿ\)’”'\"%])|(?<=[A-Za-zÀ-ÿ\)’”][\.,;:])|(?<=[a-z]\. ))" + str(n)
                         + r"(?![\d])(?=[^\d]|$)")
        # search current paragraph parts first (most recent), then recent blocks backwards
        for k in range(len(cur_parts) - 1, -1, -1):
            s = cur_parts[k]
            ms = list(pat.finditer(s))
            if ms:
                m = ms[-1]
                cur_parts[k] = s[:m.start()] + "\x01%d\x02" % n + s[m.end():]
                return
        for b in reversed(self.blocks_since_fn):
            for attr in ("text",):
                s = getattr(b, attr)
                ms = list(pat.finditer(s)) if s else []
                if ms:
                    m = ms[-1]
                    setattr(b, attr, s[:m.start()] + "\x01%d\x02" % n + s[m.end():])
                    return
            for bb in reversed(b.blocks):
                ms = list(pat.finditer(bb.text)) if bb.text else []
                if ms:
                    m = ms[-1]
                    bb.text = bb.text[:m.start()] + "\x01%d\x02" % n + bb.text[m.end():]
                    return
        # not found: invisible anchor at the end of the most recent text
        if cur_parts:
            cur_parts[-1] += "\x03%d\x02" % n
        elif self.blocks_since_fn:
            b = self.blocks_since_fn[-1]
            if b.t == "kader" and b.blocks:
                b = b.blocks[-1]
            b.text += "\x03%d\x02" % n
        else:
            self.pending_anchor = getattr(self, "pending_anchor", []) + [n]

    # --- main
    def parse(self, lines=None, inner=False):
        lines = self.all if lines is None else lines
        cfg = self.cfg
        blocks = []
        cur, cur_lines, kind, marker, level, curtight = [], [], None, "", 0, False
        prevline = None
        specials = cfg.get("specials", {}) if not inner else {}
        headlines = cfg.get("headlines", {})
        in_item = None

        def emit(b):
            blocks.append(b)
            self.blocks_since_fn.append(b)
            pa = getattr(self, "pending_anchor", None)
            if pa and b.text:
                b.text = "".join("\x03%d\x02" % n for n in pa) + b.text
                self.pending_anchor = []

        def flush():
            nonlocal cur, cur_lines, kind, marker, level, curtight
            if cur:
                text = join_lines(cur)
                if kind == "li":
                    b = Block("li", text=text, marker=marker, level=level, lines=cur_lines)
                else:
                    b = Block("p", text=text, lines=cur_lines)
                    b.extra["tight"] = curtight
                if in_item is not None:
                    b.extra["item"] = in_item
                emit(b)
            cur, cur_lines, kind, marker, level, curtight = [], [], None, "", 0, False

        i = 0
        n = len(lines)
        while i < n:
            l = lines[i]
            if l.no in specials:
                flush()
                end, fn = specials[l.no]
                j = i
                while j < n and lines[j].no <= end:
                    j += 1
                for b in fn(self, lines[i:j]):
                    emit(b)
                in_item = None if not cfg.get("keep_item_after_special") else in_item
                i = j
                prevline = None
                continue
            if self.is_footnote(i, lines):
                # footnote block: consume this and continuation lines
                while i < n and self.is_footnote(i, lines):
                    m = re.match(r"^(\d{1,3})\s+(\S.*)$", lines[i].text)
                    num = int(m.group(1))
                    parts = [m.group(2)]
                    self.next_fn = num + 1
                    i += 1
                    while i < n and not lines[i].blank_before and lines[i].lead == 0 \
                            and not self.is_footnote(i, lines) and lines[i].no not in specials:
                        parts.append(lines[i].text)
                        i += 1
                    self.notes[num] = join_lines(parts)
                    self.next_fn = num + 1
                    self.attach_note(num, cur)
                self.blocks_since_fn = []
                continue
            h = self.heading(l)
            if h is None and l.no in headlines:
                flush()
                kindh, nlines, num = headlines[l.no]
                parts = [x.text for x in lines[i:i + nlines]]
                parts[0] = re.sub(r"^\d{1,2}[\.\)]\s+", "", parts[0])
                in_item = "%s%s" % (kindh, num)
                emit(Block("headline", text=join_lines(parts), marker=kindh, num=str(num),
                           lines=[x.no for x in lines[i:i + nlines]]))
                i += nlines
                prevline = None
                continue
            if h is not None:
                flush()
                in_item = None
                t, (num, title) = h
                parts = [title]
                used = 1
                for _ in range(cfg.get("heading_join", {}).get(l.no, 0)):
                    parts.append(lines[i + used].text)
                    used += 1
                title = join_lines(parts)
                if t == "h1":
                    if num.isdigit():
                        self.chapter = int(num)
                    self.sec = [0, 0]
                elif t == "h2" and num:
                    self.sec = [int(num.split(".")[1]), 0]
                elif t == "h3" and num:
                    self.sec[1] = int(num.split(".")[2])
                emit(Block(t, text=title, num=num, lines=[x.no for x in lines[i:i + used]]))
                i += used
                prevline = None
                continue
            if cfg.get("tables") and len(l.text) < self.W * 0.5 and not BULLET_RE.match(l.text):
                j = i
                while j < n and len(lines[j].text) < self.W * 0.5 and not BULLET_RE.match(lines[j].text) \
                        and lines[j].no not in specials and lines[j].no not in headlines \
                        and self.heading(lines[j]) is None:
                    j += 1
                if j - i >= 5:
                    flush()
                    tb = Block("table", rows=[[x.text] for x in lines[i:j]], lines=[x.no for x in lines[i:j]])
                    tb.extra.update(colw=[1.0], header=False, small=True)
                    emit(tb)
                    i = j
                    prevline = None
                    continue
            mb = BULLET_RE.match(l.text)
            mn = NUM_ITEM_RE.match(l.text) if cfg.get("numbered_items", True) else None
            if mb and l.no not in cfg.get("not_bullet", ()) and not (mb.group(1) == "o" and not cfg.get("o_bullets")):
                flush()
                kind, marker, level = "li", mb.group(1), 0
                if marker in "−–" or (marker == "-" and cfg.get("dash_level1")):
                    level = 1
                cur, cur_lines = [mb.group(2)], [l.no]
                prevline = l
                i += 1
                continue
            if mn and l.no not in cfg.get("not_numbered", ()):
                flush()
                kind, marker, level = "li", mn.group(1), cfg.get("num_level", 0)
                cur, cur_lines = [mn.group(2)], [l.no]
                prevline = l
                i += 1
                continue
            sep = l.sep_before and not (prevline is not None and not SENT_END.search(prevline.text)
                                        and l.text[:1].islower())
            if cur and prevline is not None and prevline.no in cfg.get("nobreak", ()):
                pass
            elif cur and (sep or (prevline is not None and self.breaks(prevline, l))
                          or l.no in cfg.get("para_start", ())):
                flush()
            if not cur:
                curtight = l.tight
                if l.no in cfg.get("para_start_li", ()):
                    pass
            cur.append(l.text)
            cur_lines.append(l.no)
            prevline = l
            i += 1
        flush()
        return blocks


# --------------------------------------------------------------------------------------------
# layout: doc template with running header/footer and page-bottom footnotes (multi-pass)
# --------------------------------------------------------------------------------------------


class Heading(Paragraph):
    def __init__(self, text, style, level, toc_text, bookmark=None):
        super().__init__(text, style)
        self._toc = (level, toc_text)


class TOCLine(Flowable):
    def __init__(self, text, page, font, size, indent, width_hint=None, bold=False):
        super().__init__()
        self.text, self.page, self.font, self.size, self.indent = text, page, font, size, indent

    def wrap(self, aw, ah):
        self.aw = aw
        return aw, self.size * 1.7

    def draw(self):
        c = self.canv
        c.setFont(self.font, self.size)
        c.drawString(self.indent, 2, self.text)
        ps = str(self.page)
        c.drawRightString(self.aw, 2, ps)
        x0 = self.indent + pdfmetrics.stringWidth(self.text, self.font, self.size) + 4
        x1 = self.aw - pdfmetrics.stringWidth(ps, self.font, self.size) - 4
        dw = pdfmetrics.stringWidth(" .", self.font, self.size)
        k = int((x1 - x0) / dw)
        if k > 0:
            c.drawRightString(x1, 2, " ." * k)


class FigurePlaceholder(Flowable):
    """Stands in for a chart image: grey bars, no text."""

    def __init__(self, width, height, seed=0, color=colors.HexColor("#5b9aa0")):
        super().__init__()
        self.w, self.h, self.seed, self.color = width, height, seed, color

    def wrap(self, aw, ah):
        self.w = min(self.w, aw)
        return self.w, self.h

    def draw(self):
        c = self.canv
        c.setStrokeColor(colors.HexColor("#999999"))
        c.setFillColor(colors.HexColor("#f4f4f4"))
        c.rect(0, 0, self.w, self.h, stroke=1, fill=1)
        n = 6
        bw = (self.w - 40) / (n * 2)
        c.setFillColor(self.color)
        for k in range(n):
            v = ((self.seed * 7 + k * 37) % 60 + 25) / 100.0
            c.rect(20 + k * 2 * bw + bw / 2, 10, bw, (self.h - 25) * v, stroke=0, fill=1)
        c.setStrokeColor(colors.HexColor("#666666"))
        c.line(15, 10, self.w - 15, 10)


class Anchor(Flowable):
    """Zero-size flowable; records the page it lands on (used for footnote anchors and items)."""

    def __init__(self, name):
        super().__init__()
        self.name = name

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.canv._md_doc.anchor_pages[self.name] = self.canv.getPageNumber()


class MDDoc(BaseDocTemplate):
    def __init__(self, fileobj, style, reserve, toc, npages, page_chapters=None, **kw):
        self.hs = style
        self.page_chapters_prev = page_chapters or {}
        self.page_chapters = {}
        self.reserve = reserve          # page -> points reserved for footnotes
        self.toc_prev = toc
        self.npages_prev = npages
        self.needed = {}
        self.page_notes = {}
        self.toc_entries = []
        self.anchor_pages = {}
        self.chapter_title = ""
        super().__init__(fileobj, pagesize=style.pagesize, invariant=1, title=style.meta_title,
                         author=style.meta_author, subject=style.meta_subject, creator=style.meta_creator,
                         producer=style.meta_creator, **kw)
        self._build_templates()

    def _build_templates(self):
        s = self.hs
        W, H = s.pagesize
        lm, rm, tm, bm = s.margins
        fw, fh = W - lm - rm, H - tm - bm
        body = Frame(lm, bm, fw, fh, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        gap = s.colgap
        cw = (fw - gap) / 2
        c1 = Frame(lm, bm, cw, fh, id="c1", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        c2 = Frame(lm + cw + gap, bm, cw, fh, id="c2", leftPadding=0, rightPadding=0, topPadding=0,
                   bottomPadding=0)
        title = Frame(lm, bm, fw, fh, id="title", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self._base = {id(f): (f._y1, f._height) for f in (body, c1, c2, title)}
        self.addPageTemplates([
            PageTemplate("title", [title], onPage=self._on_page, onPageEnd=self._on_title_end),
            PageTemplate("body", [body], onPage=self._on_page, onPageEnd=self._on_page_end),
            PageTemplate("twocol", [c1, c2], onPage=self._on_page, onPageEnd=self._on_page_end),
        ])

    # called before frames are reset for the new page
    def _on_page(self, canv, doc):
        canv._md_doc = self
        canv.setNamedCB("fnref", self._fnref)
        if self.pageTemplate.id != "title":
            self.hs.draw_page(canv, self)
        r = self.reserve.get(self.page, 0.0)
        for f in self.pageTemplate.frames:
            y1, h = self._base[id(f)]
            f.__dict__["_y1"] = y1 + r
            f.__dict__["_height"] = h - r
            f._geom()

    def _fnref(self, canv, kind, label):
        p = canv.getPageNumber()
        lst = self.page_notes.setdefault(p, [])
        if label not in lst:
            lst.append(label)

    def afterFlowable(self, fl):
        toc = getattr(fl, "_toc", None)
        if toc:
            level, text = toc
            if level == 0:
                self.chapter_title = text
            self.toc_entries.append((level, text, self.page))

    def _on_title_end(self, canv, doc):
        self._draw_footnotes(canv)

    def _on_page_end(self, canv, doc):
        self.page_chapters[self.page] = self.chapter_title
        self._draw_footnotes(canv)

    def running_title(self):
        return self.page_chapters_prev.get(self.page, "")

    def _draw_footnotes(self, canv):
        p = self.page
        labels = self.page_notes.get(p, [])
        if not labels:
            return
        s = self.hs
        W, H = s.pagesize
        lm, rm, tm, bm = s.margins
        fw = W - lm - rm
        paras = []
        for lab in labels:
            num = int(lab)
            txt = self.notes.get(num, "")
            para = Paragraph(
                '<font size="%.1f"><super>%d</super></font>&nbsp;%s' % (s.fn_size * 0.9, num, render_inline(txt, s, False)),
                s.st["fn"])
            w, h = para.wrap(fw, 1000)
            paras.append((para, h))
        total = sum(h for _, h in paras) + s.fn_gap + 2 * (len(paras) - 1)
        self.needed[p] = total
        y = bm + total
        # separator rule
        canv.saveState()
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.5)
        canv.line(lm, y - s.fn_gap * 0.45, lm + fw * 0.3, y - s.fn_gap * 0.45)
        canv.restoreState()
        y -= s.fn_gap
        for para, h in paras:
            para.drawOn(canv, lm, y - h)
            y -= h + 2

    notes: dict = {}


# --------------------------------------------------------------------------------------------
# house styles
# --------------------------------------------------------------------------------------------


LIG_RE = re.compile(r"f([il])")


def ligate(s: str) -> str:
    return LIG_RE.sub(lambda m: "\ufb01" if m.group(1) == "i" else "\ufb02", s)


def render_inline(text: str, hs, lig: bool, fnsize=None) -> str:
    """Plain text with \x01N\x02 / \x03N\x02 markers -> reportlab para markup."""
    out = []
    pos = 0
    for m in re.finditer(r"([\x01\x03])(\d+)\x02", text):
        seg = text[pos:m.start()]
        seg = esc(seg)
        out.append(ligate(seg) if lig else seg)
        n = m.group(2)
        if m.group(1) == "\x01":
            out.append('<super><font size="%.1f">%s</font></super>' % ((fnsize or hs.body_size) * 0.72, n))
        out.append('<onDraw name="fnref" label="%s"/>' % n)
        pos = m.end()
    seg = esc(text[pos:])
    out.append(ligate(seg) if lig else seg)
    return _fallback("".join(out))


def _fallback(s: str) -> str:
    return re.sub(r"([▲▼])", r'<font name="MDSymbol">\1</font>', s)


def strip_markers(text: str) -> str:
    return re.sub(r"\x01(\d+)\x02", r"\1", re.sub(r"\x03\d+\x02", "", text))


class HouseStyle:
    pagesize = A4
    margins = (25 * mm, 25 * mm, 25 * mm, 22 * mm)   # left right top bottom
    colgap = 8 * mm
    body_font, bold_font, italic_font, bi_font = "Vera", "Vera-Bold", "Vera-Italic", "Vera-BoldItalic"
    body_size, leading = 10, 14.5
    fn_size = 7.5
    fn_gap = 10
    lig = False
    hyph = "nl_NL"
    accent = colors.HexColor("#1f5f73")
    bullet_font = "MDWingdings"
    bullet_map = {}
    meta_title = meta_author = meta_subject = ""
    meta_creator = "Microsoft® Word 2016"
    chapter_newpage = True
    toc = False

    twocol_all = False

    def __init__(self):
        self.st = self.make_styles()

    def text_width(self):
        w = self.pagesize[0] - self.margins[0] - self.margins[1]
        return (w - self.colgap) / 2 if self.twocol_all else w

    def ps(self, name, **kw):
        base = dict(fontName=self.body_font, fontSize=self.body_size, leading=self.leading,
                    alignment=TA_JUSTIFY, hyphenationLang=self.hyph, embeddedHyphenation=1,
                    uriWasteReduce=0.3, spaceAfter=self.leading * 0.6)
        base.update(kw)
        return ParagraphStyle(name, **base)

    def make_styles(self):
        st = {}
        st["body"] = self.ps("body")
        st["plain"] = self.ps("plain", alignment=TA_LEFT, hyphenationLang="", spaceAfter=2)
        st["fn"] = self.ps("fn", fontSize=self.fn_size, leading=self.fn_size * 1.25, spaceAfter=0,
                           alignment=TA_LEFT)
        st["li"] = self.ps("li", leftIndent=16, bulletIndent=2, spaceAfter=3, bulletFontName=self.bullet_font,
                           bulletFontSize=self.body_size * 0.9)
        st["li1"] = self.ps("li1", leftIndent=32, bulletIndent=18, spaceAfter=2, bulletFontName=self.body_font)
        st["linum"] = self.ps("linum", leftIndent=20, bulletIndent=2, spaceAfter=3, bulletFontName=self.body_font)
        st["quote"] = self.ps("quote", fontName=self.italic_font, fontSize=self.body_size - 0.5,
                              leading=self.leading - 1.5, leftIndent=18, rightIndent=18)
        st["question"] = self.ps("question", fontName=self.italic_font, alignment=TA_LEFT,
                                 textColor=self.accent)
        st["h1"] = self.ps("h1", fontName=self.bold_font, fontSize=18, leading=22, alignment=TA_LEFT,
                           spaceBefore=0, spaceAfter=14, textColor=self.accent, hyphenationLang="")
        st["h2"] = self.ps("h2", fontName=self.bold_font, fontSize=12.5, leading=16, alignment=TA_LEFT,
                           spaceBefore=10, spaceAfter=6, textColor=self.accent, hyphenationLang="")
        st["h3"] = self.ps("h3", fontName=self.bold_font, fontSize=11, leading=14, alignment=TA_LEFT,
                           spaceBefore=8, spaceAfter=4, hyphenationLang="")
        st["h4"] = self.ps("h4", fontName=self.bi_font, fontSize=self.body_size + 0.5, leading=self.leading,
                           alignment=TA_LEFT, spaceBefore=6, spaceAfter=3, hyphenationLang="")
        st["kader"] = self.ps("kader", spaceAfter=4)
        st["kadertitle"] = self.ps("kadertitle", fontName=self.bold_font, alignment=TA_LEFT, spaceAfter=4,
                                   textColor=self.accent)
        st["caption"] = self.ps("caption", fontName=self.italic_font, fontSize=self.body_size - 1.5,
                                leading=self.leading - 3, alignment=TA_LEFT, spaceAfter=1)
        st["cell"] = self.ps("cell", fontSize=self.body_size - 1, leading=self.leading - 3, alignment=TA_LEFT,
                             spaceAfter=0, hyphenationLang="")
        st["cellb"] = self.ps("cellb", fontName=self.bold_font, fontSize=self.body_size - 1,
                              leading=self.leading - 3, alignment=TA_LEFT, spaceAfter=0, hyphenationLang="")
        st["lead"] = self.ps("lead", fontName=self.bold_font, leftIndent=18, bulletIndent=0, spaceAfter=4,
                             alignment=TA_LEFT, bulletFontName=self.bullet_font, bulletFontSize=self.body_size,
                             textColor=self.accent)
        st["itembody"] = self.ps("itembody", leftIndent=18)
        st["tocitle"] = self.ps("tocitle", fontName=self.bold_font, fontSize=16, leading=20, spaceAfter=16,
                                alignment=TA_LEFT, textColor=self.accent)
        return st

    def draw_page(self, canv, doc):
        pass

    # title page (override)
    def title_page(self, doc_cfg):
        return []


# --------------------------------------------------------------------------------------------
# building flowables from blocks
# --------------------------------------------------------------------------------------------


def make_flowables(blocks, hs: HouseStyle, doc_cfg, toc_prev):
    st = hs.st
    fl = []
    fl += hs.title_page(doc_cfg)
    if hs.toc:
        fl.append(NextPageTemplate("body"))
        fl.append(Paragraph("Inhoudsopgave", st["tocitle"]))
        entries = toc_prev or [(lvl, txt, 0) for lvl, txt in toc_skeleton(blocks)]
        for lvl, txt, pg in entries:
            if lvl > 1:
                continue
            fl.append(TOCLine(txt, pg, hs.bold_font if lvl == 0 else hs.body_font,
                              hs.body_size if lvl == 0 else hs.body_size - 0.5, 0 if lvl == 0 else 22))
        if not hs.chapter_newpage:
            fl.append(PageBreak())
    first = True
    for b in blocks:
        fl += block_flowables(b, hs, doc_cfg, first)
        if b.t in ("h1",):
            first = False
    return fl


def toc_skeleton(blocks):
    out = []
    for b in blocks:
        if b.t in ("h1", "h2") and not b.extra.get("notoc"):
            out.append((0 if b.t == "h1" else 1, heading_text(b)))
    return out


def heading_text(b):
    t = strip_markers(b.text)
    if b.num:
        sep = " " if not b.extra.get("numsep") else b.extra["numsep"]
        return "%s%s%s" % (b.num, sep, t)
    return t


def block_flowables(b, hs, doc_cfg, first):
    st = hs.st
    lig = hs.lig
    out = []
    if b.t == "h1":
        if hs.chapter_newpage and not b.extra.get("nobreak") and not (first and not hs.toc):
            out.append(PageBreak())
        if b.extra.get("template"):
            out.insert(0, NextPageTemplate(b.extra["template"]))
        txt = render_inline(heading_text(b), hs, False)
        out.append(Heading(txt, st["h1"], 0, heading_text(b)))
        return out
    if b.t in ("h2", "h3", "h4"):
        txt = render_inline(heading_text(b), hs, False)
        lvl = {"h2": 1, "h3": 2, "h4": 3}[b.t]
        h = Heading(txt, st[b.t], lvl, heading_text(b)) if b.t != "h4" else Paragraph(txt, st["h4"])
        out.append(CondPageBreak(60))
        out.append(h)
        return out
    if b.t == "pagebreak":
        if b.extra.get("template"):
            out.append(NextPageTemplate(b.extra["template"]))
        out.append(PageBreak())
        return out
    if b.t == "template":
        out.append(NextPageTemplate(b.extra["template"]))
        return out
    if b.t == "framebreak":
        from reportlab.platypus import FrameBreak
        return [FrameBreak()]
    if b.t == "spacer":
        return [Spacer(1, b.extra.get("h", 6))]
    if b.t == "anchor":
        return [Anchor(b.text)]
    if b.t == "headline":
        marker = hs.headline_marker(b)
        txt = render_inline(b.text, hs, False)
        out.append(CondPageBreak(70))
        out.append(Anchor("item:%s%s:start" % (b.marker, b.num)))
        out.append(Paragraph("<bullet>%s</bullet>%s" % (marker, txt), st["lead"]))
        return out
    if b.t == "p":
        style = b.style or ("itembody" if b.extra.get("item") else "body")
        if b.extra.get("item") is None and hs.quote_detect(b):
            style = "quote"
        bp = b.extra.get("boldprefix")
        if bp and b.text.startswith(bp):
            txt = "<b>%s</b>%s" % (esc(bp), render_inline(b.text[len(bp):], hs, lig and style in ("body", "itembody")))
        else:
            txt = render_inline(b.text, hs, lig and style in ("body", "itembody", "kader"))
        return [Paragraph(txt, st[style])]
    if b.t == "li":
        txt = render_inline(b.text, hs, lig)
        mk = b.marker
        if re.match(r"^\d", mk):
            return [Paragraph("<bullet>%s</bullet>%s" % (esc(mk), txt), st["linum"])]
        glyph, font = hs.bullet_for(mk, b.level)
        sty = st["li1"] if b.level else st["li"]
        if b.extra.get("item"):
            sty = ParagraphStyle("li_item", parent=sty, leftIndent=sty.leftIndent + 18,
                                 bulletIndent=sty.bulletIndent + 18)
        return [Paragraph('<bullet><font name="%s">%s</font></bullet>%s' % (font, glyph, txt), sty)]
    if b.t == "kader":
        return [make_kader(b, hs, doc_cfg)]
    if b.t == "table":
        return make_table(b, hs)
    if b.t == "figure":
        out = []
        if b.extra.get("placeholder", True):
            out.append(Spacer(1, 4))
            out.append(FigurePlaceholder(b.extra.get("w", 120 * mm), b.extra.get("h", 55 * mm),
                                         seed=b.extra.get("seed", 1)))
            out.append(Spacer(1, 3))
        for c in b.extra.get("caption", []):
            out.append(Paragraph(render_inline(c, hs, False), st["caption"]))
        out.append(Spacer(1, 8))
        return [KeepTogether(out)]
    if b.t == "raw":
        return b.extra["flowables"]
    raise ValueError(b.t)


def make_kader(b, hs, doc_cfg):
    st = hs.st
    rows = []
    if b.text:
        rows.append([Paragraph(render_inline(b.text, hs, False), st["kadertitle"])])
    for bb in b.blocks:
        for f in block_flowables(bb, hs, doc_cfg, False):
            rows.append([f])
    avail = hs.text_width()
    if b.extra.get("width"):
        avail = b.extra["width"]
    t = Table(rows, colWidths=[avail], splitByRow=1)
    bg = b.extra.get("bg", hs.kader_bg)
    t.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, b.extra.get("border", hs.accent)),
        ("BACKGROUND", (0, 0), (-1, -1), bg),
        ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, 0), 8), ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
    ]))
    t.spaceBefore = 6
    t.spaceAfter = 10
    return t


def make_table(b, hs):
    st = hs.st
    data = []
    for r_i, row in enumerate(b.rows):
        cells = []
        for c in row:
            sty = st["cellb"] if (r_i == 0 and b.extra.get("header", True)) or (isinstance(c, tuple)) else st["cell"]
            if isinstance(c, tuple):
                c = c[0]
            cells.append(Paragraph(render_inline(c, hs, False).replace("\n", "<br/>"), sty))
        data.append(cells)
    avail = hs.text_width()
    cw = [avail * f for f in b.extra.get("colw", [1.0 / len(b.rows[0])] * len(b.rows[0]))]
    t = Table(data, colWidths=cw, repeatRows=1 if b.extra.get("header", True) else 0)
    grid = b.extra.get("grid", True)
    style = [("GRID", (0, 0), (-1, -1), 0.5 if grid else 0, colors.HexColor("#808080") if grid else colors.white),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    if b.extra.get("header", True) and grid:
        style.append(("BACKGROUND", (0, 0), (-1, 0), hs.table_head_bg))
    for (r, bg) in b.extra.get("rowbg", []):
        style.append(("BACKGROUND", (0, r), (-1, r), bg))
        style.append(("SPAN", (0, r), (-1, r)))
    t.setStyle(TableStyle(style))
    t.spaceBefore = 4
    t.spaceAfter = 4
    out = [t]
    for c in b.extra.get("caption", []):
        out.append(Paragraph(render_inline(c, hs, False), st["caption"]))
    out.append(Spacer(1, 8))
    return out


# --------------------------------------------------------------------------------------------
# multi-pass build
# --------------------------------------------------------------------------------------------


def build_pdf(blocks, notes, hs_cls, doc_cfg, out_path: Path, max_passes=10):
    reserve, toc, npages, pch = {}, None, 0, {}
    mode_max = False
    data = None
    info = {}
    for it in range(max_passes):
        hs = hs_cls()
        hs.doc_cfg = doc_cfg
        buf = io.BytesIO()
        doc = MDDoc(buf, hs, reserve, toc, npages, pch)
        doc.notes = notes
        doc.npages_prev = npages or 0
        fl = make_flowables(blocks, hs, doc_cfg, toc)
        doc.build(fl)
        needed = {p: round(v, 1) for p, v in doc.needed.items()}
        new_toc = doc.toc_entries
        new_np = doc.page
        ok_fn = all(needed.get(p, 0) <= reserve.get(p, 0) + 0.05 for p in set(needed) | set(reserve))
        exact = all(abs(needed.get(p, 0) - reserve.get(p, 0)) < 0.05 for p in set(needed) | set(reserve))
        stable = (new_toc == toc) and (new_np == npages) and (doc.page_chapters == pch)
        data = buf.getvalue()
        info = dict(pages=new_np, passes=it + 1, anchors=dict(doc.anchor_pages), toc=new_toc,
                    page_notes=dict(doc.page_notes))
        if ok_fn and stable and (exact or mode_max):
            break
        if it >= 4:
            mode_max = True
        if mode_max:
            reserve = {p: max(reserve.get(p, 0), needed.get(p, 0)) for p in set(needed) | set(reserve)}
        else:
            reserve = needed
        toc, npages, pch = new_toc, new_np, doc.page_chapters
    else:
        print("  warning: %s did not converge" % out_path.name)
    out_path.write_bytes(data)
    return info


# --------------------------------------------------------------------------------------------
# documents
# --------------------------------------------------------------------------------------------

# ---------------------------------------------------------------- helpers for specials


def sp_kader(title=True, bg=None, style=None, boldbody=False):
    """Special: lines -> boxed text ("kader"); first line is the title when title=True."""
    def fn(p, lines):
        t = lines[0].text if title else ""
        inner = p.parse(lines[1:] if title else lines, inner=True)
        for b in inner:
            if b.t == "p" and b.text.startswith("Norm:"):
                b.extra["boldprefix"] = "Norm:"
            if style:
                b.style = style
        k = Block("kader", text=t, blocks=inner, lines=[l.no for l in lines])
        if bg is not None:
            k.extra["bg"] = bg
        return [k]
    return fn


def sp_table(rows, colw=None, caption=(), header=True, rowbg=(), pre=()):
    def fn(p, lines):
        b = Block("table", rows=rows, lines=[l.no for l in lines])
        b.extra.update(colw=colw or [1.0 / len(rows[0])] * len(rows[0]), caption=list(caption), header=header,
                       rowbg=list(rowbg))
        return list(pre) + [b]
    return fn


def sp_figures(*figs, h=55 * mm):
    """figs: (seed, [caption lines])"""
    def fn(p, lines):
        out = []
        for seed, cap in figs:
            b = Block("figure", lines=[l.no for l in lines])
            b.extra.update(caption=cap, seed=seed, h=h)
            out.append(b)
        return out
    return fn


def sp_blocks(*blocks):
    def fn(p, lines):
        return [Block(b.t, text=b.text, num=b.num, style=b.style, marker=b.marker, level=b.level,
                      rows=b.rows, blocks=b.blocks, extra=dict(b.extra), lines=[l.no for l in lines])
                for b in blocks]
    return fn


def sp_concat(*fns):
    def fn(p, lines):
        out = []
        for f in fns:
            out += f(p, lines)
        return out
    return fn


def sp_generic(style=None, **extra):
    """Parse the lines generically, then restyle the resulting paragraphs."""
    def fn(p, lines):
        out = p.parse(lines, inner=True)
        for b in out:
            if style and b.t == "p":
                b.style = style
            b.extra.update(extra)
        return out
    return fn


# ---------------------------------------------------------------- house style: Raalte rekenkamer


class RaalteStyle(HouseStyle):
    margins = (25 * mm, 22 * mm, 24 * mm, 22 * mm)
    body_size, leading = 10, 14.5
    lig = True
    toc = True
    accent = colors.HexColor("#1f5f73")
    kader_bg = colors.HexColor("#e4eff2")
    table_head_bg = colors.HexColor("#c9e0e6")
    meta_title = "Onderzoek naar de jeugdhulp in de gemeente Raalte"
    meta_author = "Rekenkamercommissie Raalte"
    meta_subject = "Rekenkamerrapport jeugdhulp, versie 14 oktober 2019"
    footer = "Onderzoek naar de jeugdhulp in de gemeente Raalte, versie 14 oktober 2019"

    def make_styles(self):
        st = super().make_styles()
        st["letter"] = self.ps("letter", alignment=TA_LEFT, hyphenationLang="")
        st["addr"] = self.ps("addr", alignment=TA_LEFT, hyphenationLang="", spaceAfter=0)
        return st

    def bullet_for(self, mk, level):
        if mk == "▪":
            return PUA_SQUARE, "MDWingdings"
        return esc(mk), self.body_font

    def headline_marker(self, b):
        return '<font name="MDWingdings" color="#1f5f73">%s</font>' % PUA_ARROW

    def quote_detect(self, b):
        t = b.text
        if not (t.startswith("“") or re.match(r"^[A-Z][\w\.\- ]{1,60}: [“\"]", t)):
            return False
        return bool(b.extra.get("tight")) or t.rstrip().endswith(("”", "”.", "\""))

    def draw_page(self, canv, doc):
        W, H = self.pagesize
        lm, rm, tm, bm = self.margins
        canv.saveState()
        canv.setFont("Vera", 7.5)
        canv.setFillColor(colors.HexColor("#555555"))
        canv.drawString(lm, H - 14 * mm, "Rekenkamercommissie Raalte")
        if doc.running_title():
            canv.drawRightString(W - rm, H - 14 * mm, doc.running_title())
        canv.setStrokeColor(self.accent)
        canv.setLineWidth(0.6)
        canv.line(lm, H - 15.5 * mm, W - rm, H - 15.5 * mm)
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(0.5)
        canv.line(lm, 15 * mm, W - rm, 15 * mm)
        canv.setFillColor(colors.black)
        canv.setFont("Vera", 8)
        canv.drawString(lm, 11 * mm, self.footer)
        canv.drawRightString(W - rm, 11 * mm, "%d/%d" % (doc.page, doc.npages_prev or doc.page))
        canv.restoreState()

    def title_page(self, d):
        st = self.st
        big = ParagraphStyle("tt", parent=st["h1"], fontSize=26, leading=32, textColor=self.accent)
        sub = ParagraphStyle("ts", parent=st["body"], fontSize=13, leading=18, alignment=TA_LEFT)
        return [NextPageTemplate("title"), Spacer(1, 60 * mm),
                Paragraph("Onderzoek naar de jeugdhulp in de gemeente Raalte", big), Spacer(1, 8 * mm),
                Paragraph("Rekenkamercommissie Raalte", sub),
                Paragraph("versie 14 oktober 2019", sub), Spacer(1, 70 * mm),
                Paragraph("In samenwerking met onderzoeksbureau Radar", st["plain"]),
                NextPageTemplate("body"), PageBreak()]


def raalte_post(p, blocks):
    for b in blocks:
        if b.t == "p" and b.lines and 2612 <= b.lines[0] <= 2806:
            b.style = "letter"
        if b.t == "p" and b.lines and b.lines[0] in (168, 180):
            pass
        if b.t in ("p",) and b.extra.get("item") is None and b.lines and b.lines[0] in RAALTE_QUESTIONS:
            b.style = "question"
        if b.t == "h1" and b.num in ("7", "8"):
            b.extra["numsep"] = ". "
        if b.t == "h1" and b.text.startswith("Voorwoord"):
            b.extra["notoc"] = False
    return blocks


RAALTE_QUESTIONS = {603, 865, 932, 1147, 1585, 1692, 2030, 2195, 2351, 2414, 2469}

def raalte_letterhead(p, lines):
    p.chapter = 7
    return [Block("h1", text="Bestuurlijke reactie", num="7", extra={"numsep": ". "}, lines=[lines[0].no]),
            Block("p", text="Gemeente Raalte", style="kadertitle"),
            Block("p", text="Rekenkamercommissie", style="addr"),
            Block("p", text="t.a.v. de heer B. Wissink", style="addr"),
            Block("p", text="Postbus 140", style="addr"),
            Block("p", text="8100 AC RAALTE", style="addr"),
            Block("spacer", extra={"h": 10}),
            Block("table", rows=[["Uw kenmerk:", "Uw brief van:", "Zaaknummer:", "Datum:"],
                                 ["-", "15 oktober 2019", "39897-2019", "12 november 2019"],
                                 [("Onderwerp:",), ("Bijlagen:",), ("Voor informatie:",), ""],
                                 ["Bestuurlijke reactie - rekenkamerrapport jeugdhulp", "", "Myrte de Jong, tel.: (0572) 347 799", ""]],
                  extra={"colw": [0.34, 0.18, 0.3, 0.18], "header": True, "grid": False}),
            Block("p", text="Geachte heer Wissink,", style="letter")]


RAALTE_NORMENKADER = [
    ["Deelvraag", "Norm"],
    ["Beleid", ""],
    ["1. Beleid", "De gemeente heeft beleid geformuleerd ten aanzien van jeugdhulp en dit beleid voldoet aan de eisen van de wet."],
    ["2. Kaders", "De raad heeft kaders geformuleerd bij het beleid met betrekking tot jeugdhulp"],
    ["3. Doelstelling", "De doelstellingen van het jeugdhulpbeleid zijn in specifieke en meetbare activiteiten en resultaten beschreven en de relatie tussen doelstellingen, activiteiten en resultaten is expliciet, logisch onderbouwd en vastgelegd."],
    ["Doeltreffendheid", ""],
    ["8. Zicht op uitvoering en resultaten", "- De gemeente monitort de toegang tot jeugdhulp.\n- De gemeente heeft inzicht in de behoefte aan jeugdhulp.\n- De gemeente heeft inzicht in de verstrekte jeugdhulp."],
    ["9. Evaluatie", "De beleidsevaluatiecyclus is inzichtelijk: de gemeente meet de resultaten en effecten van het beleid ten aanzien van jeugdhulp en op basis hiervan kan het beleid aangepast worden."],
    ["Sturen raad", ""],
    ["10. Informatie", "De raad wordt op zodanige wijze geïnformeerd over de wijze van uitvoering en de behaalde resultaten van de jeugdhulp, dat de raad daarop indien nodig kan bijsturen."],
    ["11. Middelen om te sturen", "De raad maakt gebruik van de instrumenten die zij heeft om te sturen."],
]

RAALTE = dict(
    stem="raalte_2019",
    style=RaalteStyle,
    drop=[r"^_{10,}$", r"^Onderzoek naar de jeugdhulp in de gemeente Raalte, versie 14 oktober 2019"],
    manifest=dict(title="Onderzoek naar de jeugdhulp in de gemeente Raalte", gemeente="Raalte",
                  rekenkamer="Rekenkamercommissie Raalte", year="2019", doc_type="rekenkamerrapport"),
    post=raalte_post,
    parse=dict(
        footnotes=True, interleaved=True, question_break=True,
        h1={1: ("", "Voorwoord"), 2928: ("", "Bijlage 2: Lijst met geïnterviewden")},
        h4={160, 221, 259, 278, 615, 656, 779, 1289, 1404, 1459, 1710, 1802, 1862, 1907, 1937, 2045, 2082,
            2142, 2281, 2623, 2643, 2649, 2662, 2683, 2701, 2750, 2802},
        heading_join={2662: 1, 2683: 1, 2701: 1, 2750: 1},
        headlines={349: ("C", 1, 1), 373: ("C", 3, 2), 414: ("C", 1, 3), 426: ("C", 1, 4), 446: ("C", 1, 5),
                   460: ("C", 1, 6), 476: ("A", 1, 1), 503: ("A", 2, 2), 539: ("A", 2, 3), 555: ("A", 2, 4),
                   576: ("A", 2, 5)},
        para_start={2651, 2664, 2685, 2703, 2752, 709, 714, 947},
        nobreak={1980, 1981, 1982},
        specials={
            168: (172, sp_kader(title=False)),
            180: (182, sp_kader(title=False, style="kadertitle")),
            839: (859, sp_kader()),
            919: (926, sp_kader()),
            1101: (1135, sp_kader()),
            1560: (1579, sp_kader()),
            1677: (1686, sp_kader()),
            1999: (2024, sp_kader()),
            2160: (2170, sp_kader()),
            2317: (2333, sp_kader()),
            2387: (2400, sp_kader()),
            2452: (2463, sp_kader()),
            2549: (2567, sp_kader()),
            1189: (1201, sp_table(
                [["Jeugdhulptrajecten (% totaal jeugdhulptrajecten)", "Gemeente Raalte", "Nederland"],
                 ["Jeugdhulp zonder verblijf", "78,0%", "82,2%"], ["Jeugdhulp met verblijf", "12,7%", "8,6%"],
                 ["Jeugdbescherming", "8,5%", "7,7%"], ["Jeugdreclassering", "0%", "1,5%"]],
                colw=[0.56, 0.22, 0.22],
                caption=["Figuur 1: Jeugdhulptrajecten naar soort (% totaal jeugdhulptrajecten), 2018",
                         "Vergelijking gemeente Raalte en Nederland"])),
            1225: (1236, sp_figures(
                (2, ["Figuur 2: Aantal hulptrajecten zonder verblijf naar verwijzer, 2018",
                     "Vergelijking gemeente Raalte, Jeugdregio IJsselland, Nederland"]),
                (3, ["Figuur 3: Aantal hulptrajecten met verblijf naar verwijzer, 2018",
                     "Vergelijking gemeente Raalte, Jeugdregio IJsselland, Nederland"]))),
            1264: (1275, sp_figures(
                (4, ["Figuur 4: Resultaten cliëntervaringsonderzoek gemeente Raalte 2018",
                     "Resultaten jongeren – Toegang tot de jeugdhulp – Benchmark"]),
                (5, ["Figuur 5: Resultaten cliëntervaringsonderzoek gemeente Raalte 2018",
                     "Resultaten ouders – Toegang tot de jeugdhulp – Benchmark"]), h=48 * mm)),
            1726: (1742, sp_table(
                [["(1=nooit, 4=altijd)", "Gemeente Raalte", "Referentiegroep"],
                 ["Jongeren: De verschillende organisaties werken goed samen om mij en mijn kind te helpen (n=21)",
                  "3,4", "2,9"],
                 ["Ouders: De verschillende organisaties werken goed samen om mij en mijn kind te helpen (n=75)",
                  "3,1", "3,0"]],
                colw=[0.56, 0.22, 0.22],
                caption=["Figuur 6: Resultaten cliëntervaringsonderzoek gemeente Raalte 2018",
                         "Resultaten jongeren en ouders – Benchmark"])),
            2208: (2210, sp_figures((7, ["Figuur 7: Resultaten cliëntervaringsonderzoek gemeente Raalte 2018",
                                         "Resultaten jongeren – Uitvoering en effect van de hulp – Benchmark"]))),
            2228: (2230, sp_figures((8, ["Figuur 8: Resultaten cliëntervaringsonderzoek gemeente Raalte 2018",
                                         "Resultaten ouders – Uitvoering en effect van de hulp – Benchmark"]))),
            2476: (2507, sp_table(
                [["Datum", "Raadsvergadering", "Moties en amendementen"],
                 ["17-12-2015", "Raadsvergadering vaststellen subsidieverordening jeugdhulp", "(geen moties/amendementen)"],
                 ["10-11-2016", "Vaststellen visienotitie en gemeenschappelijke regeling jeugd", "(geen moties/amendementen)"],
                 ["26-1-2017", "Verordening maatschappelijke ondersteuning en jeugdhulp", "(geen moties/amendementen)"],
                 ["4-12-2017", "Wijziging gemeenschappelijke regeling uitvoeringsorganisatie jeugdzorg IJsselland",
                  "(geen moties/amendementen)"],
                 ["25-1-2018", "Verordeningen maatschappelijke ondersteuning en jeugdhulp", "(geen moties/amendementen)"]],
                colw=[0.18, 0.5, 0.32])),
            2515: (2519, sp_table(
                [["Datum", "Schriftelijke vragen"],
                 ["11-2-2015", "Vragen fractie D66 over ouderbijdrage jeugd-ggz Raalte IJsselland"],
                 ["22-09-2017", "Vragen fractie GB over wachtlijst jeugdzorg"]], colw=[0.2, 0.8])),
            2568: (2611, raalte_letterhead),
            2858: (2898, sp_table(RAALTE_NORMENKADER, colw=[0.3, 0.7], rowbg=[(1, colors.HexColor("#e4eff2")),
                                                                            (5, colors.HexColor("#e4eff2")),
                                                                            (8, colors.HexColor("#e4eff2"))],
                                  pre=[Block("h1", text="Bijlage 1: Normenkader", num="")])),
        },
    ),
)


# ---------------------------------------------------------------- house style: ministry report (VWS)


def fix_lines(edits):
    """edits: list of (line_no, new_text or None to delete)."""
    def fn(lines):
        m = dict(edits)
        out = []
        for l in lines:
            if l.no in m:
                if m[l.no] is None:
                    continue
                l.text = m[l.no]
            out.append(l)
        return out
    return fn


class MinistryStyle(HouseStyle):
    margins = (25 * mm, 25 * mm, 28 * mm, 25 * mm)
    body_font, bold_font, italic_font, bi_font = "Times-Roman", "Helvetica-Bold", "Times-Italic", "Helvetica-BoldOblique"
    body_size, leading = 11, 14
    fn_size = 8.5
    lig = False
    toc = False
    accent = colors.HexColor("#154273")   # Rijkshuisstijl-ish dark blue
    kader_bg = colors.HexColor("#dce7f3")
    table_head_bg = colors.HexColor("#dce7f3")
    bullet_font = "MDSymbol"
    meta_title = "Nader onderzoek toegang jeugdhulp"
    meta_author = "Quirien van der Zijden"
    meta_subject = "Eerste nader onderzoek beleidsinformatie jeugdhulp, in opdracht van de ministeries van VWS en V&J"

    def make_styles(self):
        st = super().make_styles()
        st["h1"] = self.ps("h1", fontName="Helvetica-Bold", fontSize=16, leading=20, alignment=TA_LEFT,
                           spaceAfter=12, textColor=self.accent, hyphenationLang="")
        st["h2"] = self.ps("h2", fontName="Helvetica-Bold", fontSize=12, leading=15, alignment=TA_LEFT,
                           spaceBefore=10, spaceAfter=5, textColor=self.accent, hyphenationLang="")
        st["h3"] = self.ps("h3", fontName="Helvetica-Oblique", fontSize=11, leading=14, alignment=TA_LEFT,
                           spaceBefore=8, spaceAfter=3, hyphenationLang="")
        st["h4"] = self.ps("h4", fontName="Helvetica-Bold", fontSize=10, leading=13, alignment=TA_LEFT,
                           spaceBefore=6, spaceAfter=2, hyphenationLang="")
        st["lead"] = self.ps("lead", fontName="Helvetica-Bold", fontSize=11, leading=14, leftIndent=18,
                             bulletIndent=0, bulletFontName="Helvetica-Bold", spaceBefore=6, spaceAfter=4,
                             alignment=TA_LEFT, textColor=self.accent)
        st["itembody"] = self.ps("itembody")
        return st

    def bullet_for(self, mk, level):
        if mk in "-•−–":
            return PUA_BULLET, "MDSymbol"
        return esc(mk), self.body_font

    def headline_marker(self, b):
        return "%s." % b.num

    def quote_detect(self, b):
        return b.text.startswith("“") and b.text.rstrip().endswith(("”", "”.", "”."))

    def heading_text_fmt(self, b):
        return None

    def draw_page(self, canv, doc):
        W, H = self.pagesize
        lm, rm, tm, bm = self.margins
        canv.saveState()
        canv.setFont("Helvetica", 8)
        canv.setFillColor(colors.HexColor("#154273"))
        canv.drawString(lm, H - 15 * mm, "Nader onderzoek toegang jeugdhulp")
        canv.drawRightString(W - rm, H - 15 * mm, "oktober 2015")
        canv.setFillColor(colors.black)
        canv.setFont("Times-Roman", 9)
        canv.drawCentredString(W / 2, 12 * mm, "- %d -" % doc.page)
        canv.restoreState()

    def title_page(self, d):
        st = self.st
        big = ParagraphStyle("tt", parent=st["h1"], fontSize=24, leading=30)
        sub = ParagraphStyle("ts", parent=st["body"], fontSize=14, leading=19, alignment=TA_LEFT)
        return [NextPageTemplate("title"), Spacer(1, 50 * mm),
                Paragraph("Nader onderzoek toegang jeugdhulp", big), Spacer(1, 6 * mm),
                Paragraph("Eerste nader onderzoek beleidsinformatie jeugdhulp:<br/>vier gemeenten, vier gedaanten", sub),
                Spacer(1, 40 * mm),
                Paragraph("In opdracht van de ministeries van VWS en V&amp;J", st["plain"]),
                Paragraph("Quirien van der Zijden", st["plain"]),
                Paragraph("Hoogmade, oktober 2015", st["plain"]),
                NextPageTemplate("body"), PageBreak()]


def vws_post(p, blocks):
    for b in blocks:
        if b.t == "h1" and b.num:
            b.extra["numsep"] = ". "
    return blocks


VWS = dict(
    stem="vws_nader_onderzoek_toegang",
    style=MinistryStyle,
    manifest=dict(title="Nader onderzoek toegang jeugdhulp: eerste nader onderzoek beleidsinformatie jeugdhulp",
                  gemeente="", rekenkamer="", year="2015", doc_type="onderzoek"),
    line_fix=fix_lines([
        (517, "financiering (declaraties, subsidies, producten, DBC\x011\x02’s etc.)."), (518, None), (519, None),
        (528, None), (529, None), (3923, "jeugdbescherming\x012\x02"), (3924, None),
        (3965, None), (3966, None), (3968, None)]),
    notes={1: "Diagnose Behandel Combinaties zoals gehanteerd binnen de zorgverzekeringswet.",
           2: "Alle cijfers van CBS zijn afgerond op vijftallen. Om het risico op onthulling van individuen te "
              "voorkomen zijn de waarden 0 tot en met 7 weergegeven als geheim."},
    post=vws_post,
    parse=dict(
        footnotes=False, interleaved=True, tables=True,
        h1={5624: ("", "Met dank aan")},
        h4={431, 451, 491, 568, 580, 633, 671, 2148, 2170, 2182},
        headlines={2055: ("A", 1, 1), 2132: ("A", 1, 2)},
        specials={
            22: (40, sp_kader(title=False)),
            2005: (2017, sp_kader(title=False)),
            3921: (3946, sp_table([["Instroom jeugdbescherming\x012\x02", "Nederland", "Gemeente B"],
                                   ["Totaal JB trajecten 1ste kwartaal", "36655", "85"],
                                   ["Begonnen JB trajecten 1ste kwartaal", "2385 (7%)", "20 (24%)"]],
                                  colw=[0.5, 0.25, 0.25],
                                  caption=["Bron: http://statline.cbs.nl/Statweb/publication/?DM=SLNL&PA=82975ned&D1=a&D2=0&D3=l&HDR=G1,G2&STB=T&VW=T"])),
        },
    ),
)


# ---------------------------------------------------------------- house style: bachelor thesis (scriptie)


class ThesisStyle(HouseStyle):
    margins = (30 * mm, 25 * mm, 25 * mm, 25 * mm)
    colgap = 9 * mm
    body_font, bold_font, italic_font, bi_font = "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic"
    body_size, leading = 11.5, 16
    fn_size = 9
    lig = False
    toc = True
    accent = colors.black
    kader_bg = colors.HexColor("#f2f2f2")
    table_head_bg = colors.HexColor("#d9d9d9")
    bullet_font = "MDSymbol"
    meta_title = "Sturing op de toegang tot de jeugdhulp in Apeldoorn en Hoogeveen"
    meta_author = "Stefanie Hulshof, Roos Bothof, Judith de Boer"
    meta_subject = "Bacheloropdracht Gezondheidswetenschappen, Universiteit Twente"

    def make_styles(self):
        st = super().make_styles()
        st["h1"] = self.ps("h1", fontName="Helvetica-Bold", fontSize=20, leading=24, alignment=TA_LEFT,
                           spaceAfter=16, hyphenationLang="")
        st["h2"] = self.ps("h2", fontName="Helvetica-Bold", fontSize=13, leading=16, alignment=TA_LEFT,
                           spaceBefore=12, spaceAfter=6, hyphenationLang="")
        st["h3"] = self.ps("h3", fontName="Helvetica-BoldOblique", fontSize=11.5, leading=14, alignment=TA_LEFT,
                           spaceBefore=8, spaceAfter=4, hyphenationLang="")
        st["h4"] = self.ps("h4", fontName="Times-Bold", fontSize=11.5, leading=15, alignment=TA_LEFT,
                           spaceBefore=6, spaceAfter=2, hyphenationLang="")
        st["caption"] = self.ps("caption", fontName="Times-Italic", fontSize=9.5, leading=12, alignment=TA_CENTER)
        return st

    def bullet_for(self, mk, level):
        if mk in "●•-−–":
            return PUA_BULLET, "MDSymbol"
        if mk == "o":
            return "o", "Courier"
        return esc(mk), self.body_font

    def headline_marker(self, b):
        return b.num

    def quote_detect(self, b):
        return b.text.startswith("“") and b.text.rstrip().endswith(("”", "”."))

    def draw_page(self, canv, doc):
        W, H = self.pagesize
        lm, rm, tm, bm = self.margins
        canv.saveState()
        rt = doc.running_title()
        canv.setFont("Times-Italic", 9)
        if rt:
            canv.drawRightString(W - rm, H - 15 * mm, rt)
        canv.setLineWidth(0.4)
        canv.line(lm, H - 16.5 * mm, W - rm, H - 16.5 * mm)
        canv.setFont("Times-Roman", 10)
        canv.drawCentredString(W / 2, 13 * mm, "%d" % doc.page)
        canv.restoreState()

    def title_page(self, d):
        st = self.st
        big = ParagraphStyle("tt", parent=st["h1"], fontSize=22, leading=28, alignment=TA_CENTER)
        sub = ParagraphStyle("ts", parent=st["body"], fontSize=13, leading=18, alignment=TA_CENTER)
        return [NextPageTemplate("title"), Spacer(1, 45 * mm),
                Paragraph("Sturing op de toegang tot de jeugdhulp", big), Spacer(1, 5 * mm),
                Paragraph("Een casestudy naar de gemeenten Apeldoorn en Hoogeveen", sub), Spacer(1, 45 * mm),
                Paragraph("Bacheloropdracht Gezondheidswetenschappen", sub),
                Paragraph("Universiteit Twente", sub), Spacer(1, 20 * mm),
                Paragraph("Stefanie Hulshof, Roos Bothof en Judith de Boer", sub),
                Paragraph("Enschede, 4 juni 2020", sub),
                NextPageTemplate("body"), PageBreak()]


def thesis_post(p, blocks):
    out = []
    for b in blocks:
        if b.t == "h1" and b.text == "Samenvatting":
            b.extra["template"] = "twocol"
        if b.t == "h1" and b.text == "Lijst met afkortingen":
            b.extra["template"] = "body"
        out.append(b)
    return out


SCRIPTIE = dict(
    stem="scriptie_sturing_toegang",
    style=ThesisStyle,
    manifest=dict(title="Sturing op de toegang tot de jeugdhulp: casestudy gemeenten Apeldoorn en Hoogeveen",
                  gemeente="Apeldoorn;Hoogeveen", rekenkamer="", year="2020", doc_type="onderzoek"),
    post=thesis_post,
    parse=dict(
        footnotes=False, interleaved=True, tables=True, o_bullets=False,
        h1={1: ("", "Samenvatting")},
        heading_join={4286: 1},
        specials={
            70: (83, sp_table([["Afkorting", "Betekenis"], ["UVC", "Uitvoeringscoördinator"],
                               ["", "Vereniging van Nederlandse Gemeenten"], ["VWS", "Volksgezondheid, welzijn en sport"],
                               ["WJZ", "Wet op de jeugdzorg"], ["Wmo", "Wet maatschappelijke ondersteuning"]],
                              colw=[0.2, 0.8],
                              pre=[Block("h1", text="Lijst met afkortingen", extra={"template": "body", "notoc": True})])),
        },
    ),
)


# ---------------------------------------------------------------- house style: NJi brochure, two columns


class NJiStyle(HouseStyle):
    twocol_all = True
    margins = (18 * mm, 18 * mm, 22 * mm, 22 * mm)
    colgap = 8 * mm
    body_size, leading = 9.5, 13
    fn_size = 7
    lig = True
    toc = False
    accent = colors.HexColor("#6a2c91")
    kader_bg = colors.HexColor("#f1e9f6")
    table_head_bg = colors.HexColor("#e3d3ee")
    bullet_font = "Vera"
    meta_title = "Lokale rekenkamers over beleid gericht op de jeugdwet"
    meta_author = "Nederlands Jeugdinstituut"
    meta_subject = "Analyse van het metadossier Jeugd van de NVRR"
    meta_creator = "Adobe InDesign 18.2 (Windows)"

    def make_styles(self):
        st = super().make_styles()
        st["h1"] = self.ps("h1", fontName="Vera-Bold", fontSize=17, leading=21, alignment=TA_LEFT,
                           spaceAfter=10, textColor=self.accent, hyphenationLang="")
        st["h2"] = self.ps("h2", fontName="Vera-Bold", fontSize=11, leading=14, alignment=TA_LEFT,
                           spaceBefore=8, spaceAfter=4, textColor=self.accent, hyphenationLang="")
        st["h4"] = self.ps("h4", fontName="Vera-Bold", fontSize=9.5, leading=13, alignment=TA_LEFT,
                           spaceBefore=5, spaceAfter=2, hyphenationLang="")
        st["quote"] = self.ps("quote", fontName="Vera-Italic", fontSize=9.5, leading=13, alignment=TA_LEFT,
                              textColor=self.accent, backColor=self.kader_bg, borderColor=self.accent,
                              borderWidth=0.8, borderPadding=6, spaceBefore=8, spaceAfter=12, leftIndent=6,
                              rightIndent=6, hyphenationLang="")
        return st

    def bullet_for(self, mk, level):
        if mk in "•-":
            return "\u2022", "Vera"
        return esc(mk), self.body_font

    def headline_marker(self, b):
        return b.num

    def quote_detect(self, b):
        return b.text.startswith(("‘", "“")) and b.text.rstrip().endswith(("’", "”", "…”"))

    def draw_page(self, canv, doc):
        W, H = self.pagesize
        lm, rm, tm, bm = self.margins
        canv.saveState()
        canv.setFillColor(self.accent)
        canv.rect(0, H - 8 * mm, W, 8 * mm, stroke=0, fill=1)
        canv.setFillColor(colors.HexColor("#444444"))
        canv.setFont("Vera", 7.5)
        canv.drawString(lm, 11 * mm, "Lokale rekenkamers over beleid gericht op de jeugdwet  |  juni 2023")
        canv.setFont("Vera-Bold", 8)
        canv.drawRightString(W - rm, 11 * mm, "%d" % doc.page)
        canv.restoreState()

    def title_page(self, d):
        st = self.st
        big = ParagraphStyle("tt", parent=st["h1"], fontSize=26, leading=32)
        sub = ParagraphStyle("ts", parent=st["body"], fontSize=13, leading=18, alignment=TA_LEFT)
        return [NextPageTemplate("title"), Spacer(1, 70 * mm),
                Paragraph("Lokale rekenkamers over beleid gericht op de jeugdwet", big), Spacer(1, 6 * mm),
                Paragraph("Een analyse van het metadossier Jeugd van de Nederlandse Vereniging voor Rekenkamers", sub),
                Spacer(1, 60 * mm), Paragraph("Nederlands Jeugdinstituut", sub), Paragraph("juni 2023", sub),
                NextPageTemplate("twocol"), PageBreak()]


NJI_NOTES = {1: "https://www.nji.nl/sites/default/files/2021-06/Rapport-Eerste-evaluatie-Jeugdwet.pdf",
             2: "https://www.nji.nl/sites/default/files/2023-04/Andere-kijk-op-groeiend-jeugdzorggebruik.pdf",
             3: "https://www.nji.nl/sites/default/files/2023-04/Andere-kijk-op-groeiend-jeugdzorggebruik.pdf",
             4: "https://metadossierjeugd.nvrr.nl/"}


def nji_post(p, blocks):
    refs = [("van de jeugdwet.", 1), ("ook na 2015.", 2), ("wat daarin wel en niet werkt.", 3),
            ("verzameld in een metadossier.", 4)]
    for needle, n in refs:
        for b in blocks:
            if b.t == "p" and needle in b.text:
                b.text = b.text.replace(needle, needle + "\x01%d\x02" % n, 1)
                break
    for b in blocks:
        if b.t == "h1":
            b.extra["template"] = "twocol"
    return blocks


NJI = dict(
    stem="nji_synthese_metadossier",
    style=NJiStyle,
    drop=[r"^Lokale rekenkamers over beleid gericht op de jeugdwet\s+\|"],
    manifest=dict(title="Lokale rekenkamers over beleid gericht op de jeugdwet", gemeente="", rekenkamer="",
                  year="2023", doc_type="synthese"),
    notes=NJI_NOTES,
    post=nji_post,
    parse=dict(
        footnotes=False, interleaved=False, tables=False,
        h1={1: ("", "Inleiding")},
        h2x={43: ("", "Methoden van onderzoek")},
        h4_texts={"Leeswijzer", "Aanbevelingen van de rekenkamers:", "Kies indicatoren die inhoudelijk nuttig zijn"},
        heading_join={87: 1, 452: 1, 636: 1, 741: 1, 914: 1, 664: 1, 993: 1, 1062: 1},
        specials={39: (42, lambda p, lines: [])},
    ),
)


# ---------------------------------------------------------------- house style: council presentation (slides)


class SlideStyle(HouseStyle):
    pagesize = (842, 474)
    margins = (40, 40, 95, 45)
    body_font, bold_font, italic_font, bi_font = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"
    body_size, leading = 15, 19
    hyph = ""
    lig = False
    toc = False
    chapter_newpage = True
    accent = colors.HexColor("#00843d")
    kader_bg = colors.HexColor("#e5f3ea")
    table_head_bg = colors.HexColor("#cfe8d8")
    bullet_font = "Vera"
    meta_title = "Jeugdzorg in Raalte"
    meta_author = "Gemeente Raalte"
    meta_subject = "Presentatie aan de gemeenteraad"
    meta_creator = "Microsoft® PowerPoint® voor Microsoft 365"

    def make_styles(self):
        st = super().make_styles()
        st["h1"] = self.ps("h1", fontName="Helvetica-Bold", fontSize=26, leading=30, alignment=TA_LEFT,
                           spaceAfter=14, textColor=self.accent, hyphenationLang="")
        st["body"] = self.ps("body", alignment=TA_LEFT, spaceAfter=6)
        st["li"] = self.ps("li", alignment=TA_LEFT, leftIndent=22, bulletIndent=4, spaceAfter=4,
                           bulletFontName="Vera")
        st["plain"] = self.ps("plain", alignment=TA_LEFT, spaceAfter=3, fontSize=13, leading=16)
        return st

    def bullet_for(self, mk, level):
        return "\u2022", "Vera"

    def headline_marker(self, b):
        return b.num

    def quote_detect(self, b):
        return False

    def draw_page(self, canv, doc):
        W, H = self.pagesize
        canv.saveState()
        canv.setFillColor(self.accent)
        canv.rect(0, 0, W, 6, stroke=0, fill=1)
        canv.setFillColor(colors.HexColor("#666666"))
        canv.setFont("Helvetica", 9)
        canv.drawString(40, 16, "Jeugdzorg in Raalte")
        canv.drawRightString(W - 40, 16, "%d" % doc.page)
        canv.restoreState()

    def title_page(self, d):
        return [NextPageTemplate("body")]


def slide_builder(p, lines, table_from=None):
    """One slide: first line is the title, the rest one item per line (continuations joined)."""
    title = lines[0].text
    rest = lines[1:]
    if rest and rest[0].text[:1].islower():
        title = join_lines([title, rest[0].text])
        rest = rest[1:]
    out = [Block("h1", text=title, lines=[lines[0].no])]
    cur = None
    for l in rest:
        t = l.text
        mb = BULLET_RE.match(t)
        if mb:
            cur = Block("li", text=mb.group(2), marker=mb.group(1), lines=[l.no])
            out.append(cur)
        elif cur is not None and (t[:1].islower() or t.startswith("(")) and not t.startswith("maximaal"):
            cur.text = join_lines([cur.text, t])
            cur.lines.append(l.no)
        else:
            cur = Block("p", text=t, style="plain" if table_from else "body", lines=[l.no])
            out.append(cur)
    return out


SLIDES = [(1, 1), (3, 7), (11, 21), (25, 49), (53, 63), (64, 66), (67, 83), (87, 87), (91, 97), (98, 110),
          (114, 125), (129, 153), (157, 171), (175, 185), (189, 201), (205, 219), (223, 235), (239, 282),
          (286, 324), (328, 340)]


def presentatie_specials():
    sp = {}
    for a, b in SLIDES:
        tab = a in (98, 114, 239, 286)
        if a == 3:
            sp[a] = (b, lambda p, lines: [Block("h1", text="Jeugdhulp in drie lagen", lines=[])]
                     + slide_builder(p, [Line(0, "", 0, False, False)] + list(lines))[1:])
        elif a == 1:
            sp[a] = (b, lambda p, lines: [Block("h1", text=lines[0].text, lines=[lines[0].no]),
                                          Block("p", text="Presentatie gemeenteraad Raalte", style="plain")])
        elif a == 98:
            sp[a] = (b, lambda p, lines: [Block("h1", text="Financiële ontwikkelingen: prognose 2022")]
                     + [Block("p", text=re.sub(r"\s{2,}", "    ", l.text), style="plain", lines=[l.no]) for l in lines])
        else:
            sp[a] = (b, (lambda tab_: lambda p, lines: slide_builder(p, lines, tab_))(tab))
    return sp


PRESENTATIE = dict(
    stem="raalte_presentatie_2019",
    style=SlideStyle,
    manifest=dict(title="Jeugdzorg in Raalte", gemeente="Raalte", rekenkamer="", year="2022", doc_type="presentatie"),
    parse=dict(footnotes=False, interleaved=False, specials=presentatie_specials()),
)

DOCS = [RAALTE, PRESENTATIE, VWS, SCRIPTIE, NJI]


def main():
    register_fonts()
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for d in DOCS:
        src = SRC / (d["stem"] + ".txt")
        lines = read_lines(src, d.get("drop", ()))
        if d.get("line_fix"):
            lines = d["line_fix"](lines)
        p = Parser(lines, d["parse"])
        p.notes.update(d.get("notes", {}))
        blocks = d["post"](p, p.parse()) if d.get("post") else p.parse()
        out = OUT / (d["stem"] + ".pdf")
        info = build_pdf(blocks, p.notes, d["style"], d, out)
        print("%-32s %3d pages (%d passes, %d footnotes)" % (out.name, info["pages"], info["passes"], len(p.notes)))
        rows.append(d["manifest"])
    with open(ROOT / "manifest.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "title", "gemeente", "rekenkamer", "year", "doc_type"])
        for d in DOCS:
            m = d["manifest"]
            w.writerow(["pdf/%s.pdf" % d["stem"], m["title"], m.get("gemeente", ""), m.get("rekenkamer", ""),
                        m.get("year", ""), m["doc_type"]])


if __name__ == "__main__":
    import sys
    sys.path.insert(0, str(ROOT))
    main()
