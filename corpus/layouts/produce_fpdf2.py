"""Render a layout-corpus spec with fpdf2 (pure Python), setting every line by hand.

fpdf2 gives drawing primitives (text at x/y, rectangles, images, fonts, outline entries); the
layout is written here, the way a home-grown report generator would do it:

- a small line breaker: a paragraph is a list of styled runs (regular, bold, italic, superscript),
  broken greedily into lines with the font metrics; lines are ragged right or justified (a
  justified line is drawn word by word, so the PDF has no space characters between its words,
  only gaps);
- frames: one column, or two columns side by side; when a frame is full the text continues in
  the next column or on a new page (an item may run over a page break);
- footnotes: a superscript marker and the note at the foot of the frame the marker landed in
  (in two-column text that is the column, not the page); the space is reserved when the line
  with the marker is placed;
- tables drawn line by line: a row may split over a page, the header row is repeated;
- boxes (a coloured header bar over a tinted body), a norm box, quotes with a bar;
- a cover, a colofon at the foot of page 2, running header, page numbers in the footer;
- an inhoudsopgave from a first layout pass (two passes, the same layout);
- PDF bookmarks only when `outline: true` (fpdf2's `start_section`);
- a scanned reaction letter as full-page images without text layer (`scan.letter_pages`);
- fonts: TrueType (Liberation, DejaVu; embedded subsets) or the PDF core fonts (Helvetica,
  Times; WinAnsi encoding) — the house style chooses;
- a fixed creation date (the report's date), so the file ID and the bytes are the same on every run.

Optional spec keys this renderer reads (ignored by spec.py):
  house: {body, head, size, leading, accent, tint, align: L|J, footer: right|center|pagina_van,
          date: "YYYY-MM-DD", cover: band|plain}
  quote.source, para.bullets, reaction_letter.letterhead / .address / .seed / .scanned
  items.columns / repeat.columns (table header), items.show_number (bold_lead)
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import sys
from pathlib import Path
from typing import Any

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import scan  # noqa: E402
import spec as spec_module  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/truetype")
TTF = {
    "LiberationSerif": ("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf",
                        "liberation/LiberationSerif-Italic.ttf", "liberation/LiberationSerif-BoldItalic.ttf"),
    "LiberationSans": ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf",
                       "liberation/LiberationSans-Italic.ttf", "liberation/LiberationSans-BoldItalic.ttf"),
    "DejaVuSans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf",
                   "dejavu/DejaVuSans-Oblique.ttf", "dejavu/DejaVuSans-BoldOblique.ttf"),
    "DejaVuSerif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf",
                    "dejavu/DejaVuSerif-Italic.ttf", "dejavu/DejaVuSerif-BoldItalic.ttf"),
}
CORE = ("helvetica", "times")
PT = 25.4 / 72  # mm per point
PAGE_W, PAGE_H = 210.0, 297.0

DEFAULT_HOUSE = {"body": "LiberationSans", "head": "LiberationSans", "size": 10.0, "leading": 1.45,
                 "accent": "#2d5f6e", "tint": "#e6f0f2", "align": "L", "footer": "right", "cover": "band"}
ADDRESSEE = {"college": "College van B&W", "raad": "Gemeenteraad", None: "", "": ""}
LABEL = {"aanbeveling": "Aanbeveling", "conclusie": "Conclusie", "bevinding": "Bevinding"}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _clean(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


Run = tuple[str, str]          # (text, style): style "", "B", "I", "BI", "SUP"


class Report(FPDF):
    """A4 report; every block of the spec is laid out by the methods below."""

    def __init__(self, spec: dict[str, Any], toc_entries: list[tuple[int, str, int]] | None):
        super().__init__(unit="mm", format="A4")
        self.spec = spec
        self.meta = spec["meta"]
        self.house = {**DEFAULT_HOUSE, **(spec.get("house") or {})}
        self.items = spec_module.items_by_id(spec)
        self.toc_entries = toc_entries          # None in the first pass
        self.headings: list[tuple[int, str, int]] = []
        self.outline = bool(spec.get("outline", False))
        self.set_auto_page_break(False)         # this renderer decides every break itself
        self.core_fonts_encoding = "windows-1252"
        self.body_font = self._font_family(self.house["body"])
        self.head_font = self._font_family(self.house["head"])
        self.size = float(self.house["size"])
        self.leading = float(self.house["leading"])
        self.accent = _rgb(self.house["accent"])
        self.tint = _rgb(self.house["tint"])
        self.align = self.house["align"]
        self.margin_l, self.margin_r = 24.0, 22.0
        self.top = 28.0
        self.base_bottom = PAGE_H - 24.0
        self.set_margins(self.margin_l, self.top, self.margin_r)
        # page state
        self.kind = "cover"
        self.next_kind = "cover"
        self.ncols = 1
        self.col = 0
        self.col_top = self.top
        self.reserve: dict[int, float] = {}
        self.notes: dict[int, list[dict[str, Any]]] = {}
        self.note_no = 0
        self.frame_notes: dict[int, dict[str, Any]] = {}

    # ------------------------------------------------------------------ fonts
    def _font_family(self, name: str) -> str:
        if name.lower() in CORE:
            return name.lower()
        if name not in TTF:
            raise ValueError(f"unknown font family {name!r}")
        if name.lower() not in self.fonts and name not in getattr(self, "_added", set()):
            for style, rel in zip(("", "B", "I", "BI"), TTF[name]):
                self.add_font(name, style, str(FONT_DIR / rel))
            self._added = getattr(self, "_added", set()) | {name}
        return name

    def use(self, style: str = "", size: float | None = None, family: str | None = None) -> None:
        style = "" if style == "SUP" else style
        self.set_font(family or self.body_font, style, size or self.size)

    def width(self, text: str, style: str = "", size: float | None = None, family: str | None = None) -> float:
        if style == "SUP":
            size = (size or self.size) * 0.62
        self.use(style, size, family)
        return self.get_string_width(text)

    # ------------------------------------------------------------------ pages and frames
    def header(self) -> None:
        self.kind = self.next_kind
        if self.kind != "body":
            return
        text = self.spec.get("running_header")
        if text:
            self.use("", 8, self.head_font)
            self.set_text_color(90, 90, 90)
            self.text(self.margin_l, 15.5, text)
            self.set_draw_color(*self.accent)
            self.set_line_width(0.3)
            self.line(self.margin_l, 17.5, PAGE_W - self.margin_r, 17.5)
            self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        if self.kind not in ("body", "toc"):
            return
        self._draw_notes()
        self.use("", 8.5, self.head_font)
        self.set_text_color(90, 90, 90)
        style = self.house["footer"]
        if style == "pagina_van":
            label = f"pagina {self.page_no()} van {{nb}}"
            self.set_xy(self.margin_l, PAGE_H - 15)
            self.cell(PAGE_W - self.margin_l - self.margin_r, 5, label, align="R")
        elif style == "center":
            label = f"– {self.page_no()} –"
            self.text((PAGE_W - self.get_string_width(label)) / 2, PAGE_H - 12, label)
        else:
            label = str(self.page_no())
            self.text(PAGE_W - self.margin_r - self.get_string_width(label), PAGE_H - 12, label)
        self.set_text_color(0, 0, 0)

    def new_page(self, kind: str = "body") -> None:
        self.next_kind = kind
        self.add_page()
        self.col = 0
        self.col_top = self.top
        self.reserve = {}
        self.frame_notes = {}
        self.y = self.top

    @property
    def frame_w(self) -> float:
        full = PAGE_W - self.margin_l - self.margin_r
        return full if self.ncols == 1 else (full - 8.0) / 2

    @property
    def frame_x(self) -> float:
        return self.margin_l + self.col * (self.frame_w + 8.0)

    def bottom(self) -> float:
        return self.base_bottom - self.reserve.get(self.col, 0.0)

    def next_frame(self) -> None:
        if self.col + 1 < self.ncols:
            self.col += 1
            self.y = self.col_top
        else:
            self.new_page()

    def need(self, h: float) -> None:
        if self.y + h > self.bottom() + 0.01:
            self.next_frame()

    def at_frame_top(self) -> bool:
        return abs(self.y - self.col_top) < 0.5

    def set_columns(self, count: int) -> None:
        """Two columns start below what is on the page; back to one column continues below the
        left column, or on a new page when the right column is in use."""
        count = 2 if count > 1 else 1
        if count == self.ncols:
            return
        if count == 1 and self.col > 0:
            self.ncols = 1
            self.new_page()
        self.ncols = count
        self.col = 0
        self.col_top = self.y

    # ------------------------------------------------------------------ footnotes
    def _note_lines(self, number: int, text: str) -> list[list[list[Run]]]:
        return self.break_lines([(f"{number} ", ""), (text, "")], self.frame_w - 4, size=7.5)

    def _draw_notes(self) -> None:
        for _col, entry in sorted(self.frame_notes.items()):
            x, w = entry["x"], entry["w"]
            y = self.base_bottom - entry["height"] + 1.5
            self.set_draw_color(120, 120, 120)
            self.set_line_width(0.2)
            self.line(x, y - 1.0, x + min(40.0, w * 0.5), y - 1.0)
            for number, text in entry["notes"]:
                for line in self._note_lines(number, text):
                    self.draw_line(line, x, y, w, 7.5, 3.4, "L", last=True)
                    y += 3.4

    def _note_height(self, number: int, text: str) -> float:
        return len(self._note_lines(number, text)) * 3.4

    # ------------------------------------------------------------------ the line breaker
    def _words(self, runs: list[Run], size: float, family: str | None) -> list[list[Run]]:
        words: list[list[Run]] = []
        glue = False   # the next piece joins the previous word (no space between the runs)
        for text, style in runs:
            if not text:
                continue
            parts = re.split(r"( +)", text)
            for part in parts:
                if part == "":
                    continue
                if part.startswith(" "):
                    glue = False
                    continue
                if glue and words:
                    words[-1].append((part, style))
                else:
                    words.append([(part, style)])
                glue = True
        return words

    def _word_w(self, word: list[Run], size: float, family: str | None) -> float:
        return sum(self.width(t, s, size, family) for t, s in word)

    def break_lines(self, runs: list[Run], width: float, size: float | None = None,
                    family: str | None = None) -> list[list[list[Run]]]:
        size = size or self.size
        words = self._words(runs, size, family)
        space = self.width(" ", "", size, family)
        lines: list[list[list[Run]]] = []
        line: list[list[Run]] = []
        used = 0.0
        for word in words:
            w = self._word_w(word, size, family)
            extra = w if not line else space + w
            if line and used + extra > width:
                lines.append(line)
                line, used = [word], w
            else:
                line.append(word)
                used += extra
        if line:
            lines.append(line)
        return lines

    def draw_line(self, line: list[list[Run]], x: float, y: float, width: float, size: float, lh: float,
                  align: str, last: bool, family: str | None = None, colour: tuple[int, int, int] | None = None) -> None:
        """Draw one line whose top is at y."""
        baseline = y + (lh - size * PT) / 2 + size * PT * 0.8
        space = self.width(" ", "", size, family)
        widths = [self._word_w(word, size, family) for word in line]
        gap = space
        if align == "J" and not last and len(line) > 1:
            gap = (width - sum(widths)) / (len(line) - 1)
        if colour:
            self.set_text_color(*colour)
        if align == "J" and not last and len(line) > 1:
            # justified: every word on its own, spread over the width
            cx = x
            for word, w in zip(line, widths):
                self._draw_word(word, cx, baseline, size, family)
                cx += w + gap
        else:
            # ragged: consecutive words of one style are one string with real spaces
            cx = x
            pending = ""
            pending_style = None
            for i, word in enumerate(line):
                for j, (text, style) in enumerate(word):
                    sep = " " if (j == 0 and i > 0) else ""
                    if style == pending_style and style != "SUP":
                        pending += sep + text
                    else:
                        if pending:
                            cx = self._draw_piece(pending, pending_style or "", cx, baseline, size, family)
                        pending, pending_style = sep + text, style
            if pending:
                self._draw_piece(pending, pending_style or "", cx, baseline, size, family)
        if colour:
            self.set_text_color(0, 0, 0)

    def _draw_word(self, word: list[Run], x: float, baseline: float, size: float, family: str | None) -> float:
        for text, style in word:
            x = self._draw_piece(text, style, x, baseline, size, family)
        return x

    def _draw_piece(self, text: str, style: str, x: float, baseline: float, size: float, family: str | None) -> float:
        if style == "SUP":
            small = size * 0.62
            self.use("", small, family)
            self.text(x, baseline - size * PT * 0.38, text)
            return x + self.get_string_width(text)
        self.use(style, size, family)
        lead = len(text) - len(text.lstrip(" "))
        self.text(x + (self.get_string_width(" ") * lead), baseline, text.lstrip(" "))
        return x + self.get_string_width(text)

    # ------------------------------------------------------------------ paragraphs
    def paragraph(self, runs: list[Run], *, indent: float = 0.0, hang: str = "", hang_style: str = "B",
                  size: float | None = None, align: str | None = None, after: float = 2.6,
                  footnote: str | None = None, bg: tuple[int, int, int] | None = None, pad: float = 0.0,
                  family: str | None = None, colour: tuple[int, int, int] | None = None,
                  hang_colour: tuple[int, int, int] | None = None,
                  bar: tuple[int, int, int] | None = None) -> None:
        size = size or self.size
        lh = size * PT * self.leading
        align = align or self.align
        marker = None
        if footnote:
            self.note_no += 1
            marker = self.note_no
            runs = [*runs, (str(marker), "SUP")]
        width = self.frame_w - indent - 2 * pad
        lines = self.break_lines(runs, width, size, family)
        if bg and pad:
            self.need(lh + pad)
            self.set_fill_color(*bg)
            self.rect(self.frame_x, self.y, self.frame_w, pad, style="F")
            self.y += pad
        for n, line in enumerate(lines):
            extra = 0.0
            has_marker = marker is not None and any(t == str(marker) and s == "SUP" for w in line for t, s in w)
            if has_marker:
                extra = self._note_height(marker, footnote) + (3.0 if self.col not in self.frame_notes else 0.5)
            self.need(lh + extra)
            x0 = self.frame_x + indent + pad
            if bg:
                self.set_fill_color(*bg)
                self.rect(self.frame_x, self.y, self.frame_w, lh, style="F")
            if bar:
                self.set_fill_color(*bar)
                self.rect(self.frame_x + indent - 3.2, self.y, 0.9, lh, style="F")
            if n == 0 and hang:
                self.use(hang_style, size, family)
                if hang_colour:
                    self.set_text_color(*hang_colour)
                self.text(self.frame_x, self.y + (lh - size * PT) / 2 + size * PT * 0.8, hang)
                self.set_text_color(0, 0, 0)
            self.draw_line(line, x0, self.y, width, size, lh, align, last=(n == len(lines) - 1), family=family,
                           colour=colour)
            if has_marker:
                self.reserve[self.col] = self.reserve.get(self.col, 0.0) + extra
                entry = self.frame_notes.setdefault(self.col, {"x": self.frame_x, "w": self.frame_w, "height": 0.0,
                                                                "notes": []})
                entry["height"] += extra
                entry["notes"].append((marker, footnote))
            self.y += lh
        if bg and pad:
            self.need(pad)
            self.set_fill_color(*bg)
            self.rect(self.frame_x, self.y, self.frame_w, pad, style="F")
            self.y += pad
        self.y += after

    def text_para(self, text: str, **kw: Any) -> None:
        self.paragraph([(_clean(text), "")], **kw)

    def bullets(self, bullets: list[str]) -> None:
        for bullet in bullets:
            self.paragraph([(_clean(bullet), "")], indent=6, hang="•", hang_style="", after=1.2)
        self.y += 1.5

    # ------------------------------------------------------------------ blocks
    def b_cover(self, block: dict[str, Any]) -> None:
        self.new_page("cover")
        lines = [_clean(x) for x in block.get("lines", [])]
        if self.house.get("cover") == "plain":
            self.set_fill_color(*self.accent)
            self.rect(0, 0, 12, PAGE_H, style="F")
            colour = self.accent
            y = 70.0
        else:
            self.set_fill_color(*self.accent)
            self.rect(0, 0, PAGE_W, PAGE_H * 0.62, style="F")
            self.set_fill_color(*self.tint)
            self.rect(0, PAGE_H * 0.62, PAGE_W, 5, style="F")
            colour = (255, 255, 255)
            y = 55.0
        sizes = [13, 28, 14] + [11] * max(0, len(lines) - 3)
        styles = ["B", "B", ""] + [""] * max(0, len(lines) - 3)
        for n, (line, size, style) in enumerate(zip(lines, sizes, styles)):
            lh = size * PT * 1.3
            for part in self.break_lines([(line, style)], PAGE_W - 2 * 30, size, self.head_font):
                self.draw_line(part, 30, y, PAGE_W - 60, size, lh, "L", True, self.head_font, colour)
                y += lh
            y += 14 if n in (0, 1) else 6

    def b_colofon(self, block: dict[str, Any]) -> None:
        self.new_page("colofon")
        lines = [_clean(x) for x in block.get("lines", [])]
        lh = 9 * PT * 1.45
        y = self.base_bottom - lh * (len(lines) + 1.5)
        self.draw_line([[("Colofon", "B")]], self.margin_l, y, 100, 9, lh, "L", True)
        y += lh * 1.5
        for line in lines:
            if line:
                for part in self.break_lines([(line, "")], PAGE_W - self.margin_l - self.margin_r, 9):
                    self.draw_line(part, self.margin_l, y, 160, 9, lh, "L", True)
            y += lh

    def b_toc(self, block: dict[str, Any]) -> None:
        self.new_page("toc")
        self.heading_text("Inhoud", 1)
        entries = self.toc_entries
        if entries is None:   # first pass: the same lines, page numbers not known yet
            entries = [(level, text, 0) for level, text, _ in self.headings_planned]
        for level, text, page in entries:
            size = self.size + (0.5 if level == 1 else 0)
            style = "B" if level == 1 else ""
            lh = size * PT * 1.7
            indent = 0 if level == 1 else 8
            self.need(lh)
            x = self.frame_x + indent
            self.use(style, size)
            self.text(x, self.y + lh * 0.7, text)
            end = x + self.get_string_width(text) + 2
            number = str(page)
            right = self.frame_x + self.frame_w
            num_w = self.get_string_width(number)
            self.use("", size)
            dot = self.get_string_width(" .")
            dots = int(max(0, right - num_w - 2 - end) / dot)
            self.set_text_color(140, 140, 140)
            self.text(right - num_w - 2 - dots * dot, self.y + lh * 0.7, " ." * dots)
            self.set_text_color(0, 0, 0)
            self.use(style, size)
            self.text(right - num_w, self.y + lh * 0.7, number)
            self.y += lh + (1.0 if level == 1 else 0)

    def heading_text(self, text: str, level: int, number: str = "", follow: float = 0.0) -> None:
        sizes = {1: 17.0, 2: 12.5, 3: self.size + 0.5}
        size = sizes.get(level, self.size)
        lh = size * PT * 1.3
        before = {1: 4.0, 2: 4.0, 3: 2.0}.get(level, 2.0)
        runs = [(f"{number}  {text}" if number else text, "B")]
        lines = self.break_lines(runs, self.frame_w, size, self.head_font)
        body_lh = self.size * PT * self.leading
        self.need(before + lh * len(lines) + 2 * body_lh + follow)   # keep with what follows
        if not self.at_frame_top():
            self.y += before
        plain = f"{number} {text}".strip()
        if self.outline and self.kind == "body":
            self.start_section(plain, level=min(level, 3) - 1, strict=False)
        self.headings.append((level, plain, self.page_no()))
        colour = self.accent if level < 3 else (30, 30, 30)
        for line in lines:
            self.draw_line(line, self.frame_x, self.y, self.frame_w, size, lh, "L", True, self.head_font, colour)
            self.y += lh
        self.y += {1: 4.0, 2: 2.2, 3: 1.0}.get(level, 1.0)

    def b_heading(self, block: dict[str, Any]) -> None:
        level = int(block.get("level", 1))
        self.heading_text(_clean(block["text"]), level, _clean(block.get("number", "")),
                          follow=block.get("_follow", 0.0))

    def b_para(self, block: dict[str, Any]) -> None:
        self.text_para(block["text"], footnote=block.get("footnote"))
        if block.get("bullets"):
            self.bullets(block["bullets"])

    def b_quote(self, block: dict[str, Any]) -> None:
        self.paragraph([(_clean(block["text"]), "I")], indent=8, align="L", after=1.0, bar=self.accent,
                       footnote=block.get("footnote"))
        if block.get("source"):
            self.paragraph([(_clean(block["source"]), "")], indent=8, size=self.size - 1.5, align="L", after=3,
                           colour=(90, 90, 90))
        else:
            self.y += 2

    def b_columns(self, block: dict[str, Any]) -> None:
        self.set_columns(int(block.get("count", 1)))

    def b_page_break(self, block: dict[str, Any]) -> None:
        if not (self.col == 0 and self.at_frame_top()):
            self.new_page()

    # items ------------------------------------------------------------------------------------
    @staticmethod
    def _full(item: dict[str, Any], short: bool) -> tuple[str, str]:
        lead, text = _clean(item.get("lead", "")), _clean(item.get("text", ""))
        if short:
            return (lead or text), ""
        return lead, text

    def render_items(self, items: list[dict[str, Any]], style: str, kind: str, block: dict[str, Any],
                     short: bool = False) -> None:
        label = LABEL.get(kind, kind.capitalize())
        for n, item in enumerate(items, start=1):
            number = _clean(item.get("number") or n)
            lead, text = self._full(item, short)
            plain = " ".join(p for p in (lead, text) if p)
            if style == "numbered":
                self.paragraph([(plain, "")], indent=8, hang=f"{number}.", hang_colour=self.accent, after=1.8)
            elif style == "number_own_line":
                size = self.size + 1
                lh = size * PT * 1.4
                self.need(lh + 2 * self.size * PT * self.leading)
                self.draw_line([[(f"{number}.", "B")]], self.frame_x, self.y, 20, size, lh, "L", True,
                               self.head_font, self.accent)
                self.y += lh
                self.paragraph([(plain, "")], indent=8, after=3.0)
            elif style == "bold_lead":
                prefix = f"{number}. " if block.get("show_number") else ""
                runs: list[Run] = []
                if lead:
                    runs.append((prefix + lead, "B"))
                    if text:
                        runs.append((" " + text, ""))
                else:
                    runs.append((prefix + text, ""))
                self.paragraph(runs, after=3.0)
            elif style == "label":
                self.paragraph([(f"{label} {number}: ", "B"), (plain, "")], after=3.0)
            elif style == "boxes":
                self.box(f"{label.upper()} {number}", lead, text)
            else:
                raise ValueError(f"unknown item style {style!r}")

    def box(self, title: str, lead: str, text: str) -> None:
        size = self.size - 0.5
        lh = size * PT * 1.8
        body_lh = size * PT * self.leading
        self.need(lh + 2 * body_lh + 6)
        self.set_fill_color(*self.accent)
        self.rect(self.frame_x, self.y, self.frame_w, lh, style="F")
        self.draw_line([[(title, "B")]], self.frame_x + 4, self.y, self.frame_w, size, lh, "L", True,
                       self.head_font, (255, 255, 255))
        self.y += lh
        runs: list[Run] = []
        if lead:
            runs.append((lead, "B"))
        if text:
            runs.append(((" " if lead else "") + text, ""))
        self.paragraph(runs, size=size, bg=self.tint, pad=3.5, align="L", after=5.0)

    def grid(self, header: list[str], rows: list[list[list[Run]]], widths: list[float], size: float | None = None) -> None:
        size = size or self.size - 1
        lh = size * PT * 1.4
        pad = 1.6
        x0 = self.frame_x
        total = sum(widths)

        def draw_header() -> None:
            cells = [self.break_lines([(h, "B")], w - 2 * pad, size, self.head_font) for h, w in zip(header, widths)]
            height = max(len(c) for c in cells) * lh + 2 * pad
            self.set_fill_color(*self.accent)
            self.rect(x0, self.y, total, height, style="F")
            x = x0
            for cell, w in zip(cells, widths):
                for i, line in enumerate(cell):
                    self.draw_line(line, x + pad, self.y + pad + i * lh, w - 2 * pad, size, lh, "L", True,
                                   self.head_font, (255, 255, 255))
                x += w
            self.y += height

        self.need(3 * lh + 4 * pad)
        draw_header()
        self.set_draw_color(170, 170, 170)
        self.set_line_width(0.2)
        for r, row in enumerate(rows):
            cells = [self.break_lines(runs, w - 2 * pad, size) for runs, w in zip(row, widths)]
            n_lines = max(len(c) for c in cells)
            fill = self.tint if r % 2 else (255, 255, 255)
            if self.y + min(n_lines, 2) * lh + 2 * pad > self.bottom():
                self.next_frame()
                draw_header()
            seg_top = self.y
            self.set_fill_color(*fill)
            self.rect(x0, self.y, total, pad, style="F")
            self.y += pad
            for i in range(n_lines):
                if self.y + lh + pad > self.bottom():
                    self._row_rules(x0, widths, seg_top, self.y)
                    self.next_frame()
                    draw_header()
                    seg_top = self.y
                    self.set_fill_color(*fill)
                    self.rect(x0, self.y, total, pad, style="F")
                    self.y += pad
                self.set_fill_color(*fill)
                self.rect(x0, self.y, total, lh, style="F")
                x = x0
                for cell, w in zip(cells, widths):
                    if i < len(cell):
                        self.draw_line(cell[i], x + pad, self.y, w - 2 * pad, size, lh, "L", True)
                    x += w
                self.y += lh
            self.set_fill_color(*fill)
            self.rect(x0, self.y, total, pad, style="F")
            self.y += pad
            self._row_rules(x0, widths, seg_top, self.y)
        self.y += 5

    def _row_rules(self, x0: float, widths: list[float], top: float, bottom: float) -> None:
        self.set_draw_color(170, 170, 170)
        self.set_line_width(0.2)
        self.line(x0, bottom, x0 + sum(widths), bottom)
        x = x0
        for w in widths[:-1]:
            x += w
            self.line(x, top, x, bottom)

    def item_table(self, items: list[dict[str, Any]], kind: str, block: dict[str, Any], short: bool) -> None:
        default = {"aanbeveling": ["Nr.", "Aanbeveling", "Gericht aan"], "conclusie": ["Nr.", "Conclusie"]}
        columns = block.get("columns") or default.get(kind, ["Nr.", kind.capitalize()])
        keys = [c.lower().rstrip(".") for c in columns]
        fixed = {"nr": 12.0, "nummer": 14.0, "#": 10.0, "gericht aan": 30.0, "onderdeel": 38.0, "thema": 38.0}
        free = self.frame_w - sum(fixed.get(k, 0.0) for k in keys)
        n_free = sum(1 for k in keys if k not in fixed) or 1
        widths = [fixed.get(k, free / n_free) for k in keys]
        rows = []
        for n, item in enumerate(items, start=1):
            row: list[list[Run]] = []
            lead, text = self._full(item, short)
            for key in keys:
                if key in ("nr", "nummer", "#"):
                    row.append([(_clean(item.get("number") or n), "B")])
                elif key == "gericht aan":
                    row.append([(ADDRESSEE.get(item.get("addressee"), item.get("addressee") or ""), "")])
                elif key in ("aanbeveling", "conclusie", "bevinding", kind):
                    row.append([(" ".join(p for p in (lead, text) if p), "")])
                else:
                    row.append([(_clean(item.get(key, "")), "")])
            rows.append(row)
        self.grid(columns, rows, widths)

    def b_items(self, block: dict[str, Any]) -> None:
        if block["style"] == "table":
            self.item_table(block["items"], block["type"], block, False)
        else:
            self.render_items(block["items"], block["style"], block["type"], block)
        self.y += 1.5

    def b_repeat(self, block: dict[str, Any]) -> None:
        items = [self.items[ref] for ref in block["refs"]]
        kind = items[0]["type"] if items else "aanbeveling"
        short = bool(block.get("short"))
        if block["style"] == "table":
            self.item_table(items, kind, block, short)
        else:
            self.render_items(items, block["style"], kind, block, short)
        self.y += 1.5

    def b_norm(self, block: dict[str, Any]) -> None:
        label = f"Norm {_clean(block.get('number'))}: " if block.get("number") else "Norm: "
        self.need(4 * self.size * PT * self.leading)
        self.paragraph([(label + _clean(block.get("text", "")), "B")], bg=self.tint, pad=2.5, align="L",
                       after=3.0, family=self.head_font)
        for para in block.get("findings", []):
            self.text_para(para)
        if block.get("verdict"):
            self.paragraph([(_clean(block["verdict"]), "BI")], after=4.0)

    def b_findings(self, block: dict[str, Any]) -> None:
        for item in block["items"]:
            self.text_para(item["text"], footnote=item.get("footnote"))

    def b_reaction_letter(self, block: dict[str, Any]) -> None:
        letterhead = block.get("letterhead") or f"Gemeente {self.meta.get('gemeente', '').split(',')[0]}"
        if block.get("scanned"):
            pages = scan.letter_pages(block.get("paragraphs", []), block.get("signature"), letterhead=letterhead,
                                      seed=int(block.get("seed", 7)))
            columns = self.ncols
            for png in pages:
                self.new_page("scan")
                self.image(io.BytesIO(png), x=0, y=0, w=PAGE_W, h=PAGE_H)
            self.ncols = columns
            self.new_page()
            return
        self.paragraph([(letterhead, "B")], size=self.size + 2, family=self.head_font, after=1.0, align="L")
        for line in block.get("address", []):
            self.paragraph([(_clean(line), "")], size=self.size - 1, after=0.2, align="L")
        self.y += 3
        for para in block.get("paragraphs", []):
            self.text_para(para)
        if block.get("signature"):
            self.y += 2
            for line in block["signature"]:
                self.paragraph([(_clean(line), "")], after=0.4, align="L")
        self.y += 4

    def b_reaction_table(self, block: dict[str, Any]) -> None:
        columns = block.get("columns") or ["Aanbeveling", "Reactie college", "Nawoord"]
        rows = []
        for row in block.get("rows", []):
            item = self.items.get(row.get("ref"), {})
            plain = " ".join(p for p in (_clean(item.get("lead", "")), _clean(item.get("text", ""))) if p)
            cells = [[(f"{_clean(item.get('number', ''))}. ", "B"), (plain, "")],
                     [(_clean(row.get("reaction", "")), "")]]
            if len(columns) > 2:
                cells.append([(_clean(row.get("nawoord", "")), "")])
            rows.append(cells[: len(columns)])
        if len(columns) > 2:
            shares = [0.37, 0.33, 0.30]
        else:
            shares = [0.45, 0.55]
        widths = [self.frame_w * s for s in shares[: len(columns)]]
        self.grid(columns, rows, widths)

    # ------------------------------------------------------------------ the whole document
    def build(self) -> None:
        self.headings_planned = [(int(b.get("level", 1)), f"{_clean(b.get('number', ''))} {_clean(b['text'])}".strip(), 0)
                                 for b in self.spec["blocks"] if b["kind"] == "heading"]
        started = False
        blocks = self.spec["blocks"]
        for n, block in enumerate(blocks):
            # a heading directly followed by headings (or a norm box) keeps room for them too
            follow = 0.0
            for nxt in blocks[n + 1:]:
                if nxt["kind"] == "heading":
                    follow += 14.0
                elif nxt["kind"] == "norm":
                    follow += 16.0
                    break
                else:
                    break
            if block["kind"] == "heading":
                block = {**block, "_follow": follow}
            kind = block["kind"]
            if kind not in ("cover", "colofon", "toc") and not started:
                started = True
                if self.kind != "body" or self.page_no() == 0:
                    self.new_page()
            elif kind not in ("cover", "colofon", "toc") and self.kind != "body":
                self.new_page()
            getattr(self, f"b_{kind}")(block)


def _render_once(spec: dict[str, Any], toc: list[tuple[int, str, int]] | None) -> Report:
    pdf = Report(spec, toc)
    meta = spec["meta"]
    house = pdf.house
    when = str(house.get("date") or spec.get("date") or f"{meta.get('year') or 2000}-06-30")
    pdf.set_creation_date(_dt.datetime.strptime(when, "%Y-%m-%d").replace(hour=10, tzinfo=_dt.timezone.utc))
    pdf.set_producer("fpdf2")
    if spec.get("pdf_info", True):
        pdf.set_title(meta.get("title", ""))
        pdf.set_author(meta.get("rekenkamer", ""))
        pdf.set_subject(f"Rekenkameronderzoek {meta.get('gemeente', '')} {meta.get('year', '')}".strip())
        pdf.set_lang("nl-NL")
    if pdf.outline:
        pdf.page_mode = "USE_OUTLINES"
    pdf.build()
    return pdf


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    first = _render_once(spec, None)
    toc = [entry for entry in first.headings if entry[1] != "Inhoud"]
    second = _render_once(spec, toc)
    again = [entry for entry in second.headings if entry[1] != "Inhoud"]
    if again != toc:
        raise RuntimeError("fpdf2: the table of contents changed the page numbers; give it more room")
    second.output(str(out_pdf))
