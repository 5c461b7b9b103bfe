"""Layout: fragments → lines → paragraphs, shared by both extraction engines.

Lines from fragments on one baseline (columns, tables and boxes from the page's graphics),
running headers and footers kept apart, then paragraphs: headings, body text, list items,
footnotes and table rows, with hyphenation undone. Pure functions over the fragments an engine
reports, so the engines are measured on the same code.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .records import BBox, Line, Paragraph
from .tables import Grid, Rect, find_aligned_tables, find_grids, panels

BULLET_CHARS = "•▪■●◦○◆◇►▸‣⁃∙·–—-*»✓✔➢➤□❑☐☑☒!✗✘×"
_BULLET_RE = re.compile(r"^\s*([" + re.escape(BULLET_CHARS) + r"])\s+")
_ENUM_RE = re.compile(r"^\s*(\(?\d{1,2}[\)\.]|\(?[a-z][\)\.])\s+(?=\S)")
_HEADING_NUM_RE = re.compile(
    r"^(?:(?:hoofdstuk|bijlage)\s+)?(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=\S)", re.IGNORECASE
)
_ANNEX_RE = re.compile(r"^(bijlage|hoofdstuk)\s+([0-9IVX]+|[A-Z])\b", re.IGNORECASE)
_PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:pagina|blz\.?|page)\s*)?\d{1,4}(?:\s*(?:/|van|of)\s*\d{1,4})?$", re.IGNORECASE
)
_SENTENCE_END = (".", "!", "?", ":", ";", "”", '"', "’")
_ENDS_SENTENCE_RE = re.compile("[" + re.escape("".join(_SENTENCE_END)) + r"]\d{0,3}\s*$")
"""A sentence end, also with a footnote number after its full stop ("… in de wijken.3")."""
_KEEP_HYPHEN_NEXT = {"en", "of", "tot", "t/m", "noch"}


@dataclass(frozen=True)
class Fragment:
    """A run of characters in one font on one baseline, as the engine reports it."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    start: int = -1
    """Index of the first character in pdfium's text stream (-1: not from pdfium's text page)."""
    end: int = -1
    """Index after the fragment's last character, its trailing spaces included."""
    colour: tuple[int, int, int] | None = None
    """Fill colour (0–255 RGB) where the engine gives it."""



# --------------------------------------------------------------------------------------
# Fragments → lines (reading order, columns)


_TEX_LIGATURES = {"\x1b": "ff", "\x1c": "fi", "\x1d": "fl", "\x1e": "ffi", "\x1f": "ffl"}
"""Where TeX's text fonts (OT1, T1) keep their ligatures: a bitmap (Type 3) font without a map to Unicode gives the
slot's code instead of the letters."""


def _beside_a_letter(text: str, position: int) -> bool:
    return position > 0 and text[position - 1].isalpha() or position + 1 < len(text) and text[position + 1].isalpha()


def normalise(text: str) -> str:
    """Ligatures → letters, private-use bullets → •, pdfium's line-end hyphen marker → '-'."""
    text = text.replace("\x02", "-").replace("\xad", "-").replace("\u2010", "-").replace("\u2011", "-")
    text = text.replace("\r", "").replace("\n", " ")
    chars = []
    for position, ch in enumerate(text):
        code = ord(ch)
        if 0xE000 <= code <= 0xF8FF:
            chars.append("•")
        elif ch in _TEX_LIGATURES and _beside_a_letter(text, position):
            chars.append(_TEX_LIGATURES[ch])  # a TeX font's ligature slot read as its code ("\x1cnanciële")
        elif code < 32 and ch != "\t":
            continue
        else:
            chars.append(ch)
    text = unicodedata.normalize("NFKC", "".join(chars))
    return text.replace("\t", " ")


@dataclass
class _LineBuilder:
    parts: list[Fragment]

    @property
    def top(self) -> float:
        return min(f.top for f in self.parts)

    @property
    def bottom(self) -> float:
        return max(f.bottom for f in self.parts)

    @property
    def x0(self) -> float:
        return min(f.x0 for f in self.parts)

    @property
    def x1(self) -> float:
        return max(f.x1 for f in self.parts)


def _vertical_overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    overlap = min(a_bottom, b_bottom) - max(a_top, b_top)
    smaller = max(min(a_bottom - a_top, b_bottom - b_top), 0.1)
    return overlap / smaller


def _group_lines(fragments: Sequence[Fragment], gutters: Sequence[tuple[float, float]] = ()) -> list[_LineBuilder]:
    """Join fragments that sit on one baseline and follow each other left to right (never across a column
    gutter: in narrow columns the gutter is no wider than a justified line's word gaps)."""
    lines: list[_LineBuilder] = []
    for frag in fragments:
        placed = False
        # Look back a few lines: superscripts and inline font changes arrive out of order.
        for line in reversed(lines[-4:]):
            overlap = _vertical_overlap(line.top, line.bottom, frag.top, frag.bottom)
            # Superscript footnote markers sit high and small: a little overlap is enough.
            superscript = frag.size < 0.85 * max(f.size for f in line.parts) and frag.bottom > line.top
            if overlap < (0.15 if superscript else 0.5):
                continue
            if any(min(line.x1, frag.x1) <= start and max(line.x0, frag.x0) >= end for start, end in gutters):
                continue
            gap = frag.x0 - line.x1
            # Between gutters a line is one column wide: a justified two-word line spreads its words apart.
            if -1.0 <= gap <= (math.inf if gutters else max(3.0 * frag.size, 18.0)):
                line.parts.append(frag)
                placed = True
                break
            if frag.x1 <= line.x0 + 1.0 and line.x0 - frag.x1 <= 3.0 * frag.size:
                line.parts.insert(0, frag)
                placed = True
                break
        if not placed:
            lines.append(_LineBuilder([frag]))
    return _markers_joined(lines)


_MARKER_RE = re.compile(r"^\s*(\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|\(?[ivx]{1,4}[.)]|[" + re.escape(BULLET_CHARS) + r"])\s*$")


def _markers_joined(lines: list[_LineBuilder]) -> list[_LineBuilder]:
    """A list marker drawn apart from its item's text ("a." painted after the whole list, as
    WeasyPrint does) joins the line it stands in front of, however far back that line was read."""
    markers = [ln for ln in lines if len(ln.parts) == 1 and _MARKER_RE.match(ln.parts[0].text)]
    if not markers:
        return lines
    joined: set[int] = set()
    for marker in markers:
        frag = marker.parts[0]
        best = None
        for line in lines:
            if line is marker or id(line) in joined or line.x0 < frag.x1 - 1:
                continue
            if _vertical_overlap(line.top, line.bottom, frag.top, frag.bottom) >= 0.5 \
                    and line.x0 - frag.x1 <= 3.0 * frag.size and (best is None or line.x0 < best.x0):
                best = line
        if best is not None:
            best.parts.insert(0, frag)
            joined.add(id(marker))
    return [ln for ln in lines if id(ln) not in joined]


def without_line_numbers(fragments: Sequence[Fragment]) -> list[Fragment]:
    """A page without the line numbers in its margin (a concept numbered for wederhoor, Word's line numbering): bare
    numbers right-aligned on one x, left of all the other text, counting up from top to bottom. Each stood before
    its line's text and cut every list item and paragraph into lines."""
    numbers = [f for f in fragments if re.fullmatch(r"\d{1,4}", f.text.strip())]
    if len(numbers) < 8:
        return list(fragments)
    by_edge: dict[int, list[Fragment]] = {}
    for f in numbers:
        by_edge.setdefault(round(f.x1 / 2), []).append(f)
    column = max(by_edge.values(), key=len)
    if len(column) < 8:
        return list(fragments)
    column.sort(key=lambda f: f.top)
    values = [int(f.text.strip()) for f in column]
    rising = sum(b > a for a, b in zip(values, values[1:]))
    right_edge = max(f.x1 for f in column)
    drop = {id(f) for f in column}
    text_left = min((f.x0 for f in fragments if id(f) not in drop and f.text.strip()), default=right_edge)
    if rising < 0.8 * (len(values) - 1) or right_edge > text_left + 1:
        return list(fragments)
    return [f for f in fragments if id(f) not in drop]


def column_gutters(fragments: Sequence[Fragment], width: float) -> list[tuple[float, float]]:
    """The gutters of a page set in columns: strips at least a body em wide that the page's body-size
    words leave empty (a heading or a pull quote across the columns may cross them), with a good share of the words
    on either side."""
    words = [f for f in fragments if f.text.strip()]
    if len(words) < 60:
        return []
    body = statistics.median(f.size for f in words)
    body_words = [f for f in words if abs(f.size - body) <= 0.15 * body]
    coverage = np.zeros(int(width) + 2)
    for f in body_words:
        coverage[max(0, int(f.x0)):max(0, int(f.x1)) + 1] += 1
    empty = coverage <= max(1.0, 0.04 * coverage.max())
    gutters: list[tuple[float, float]] = []
    x = int(0.1 * width)
    while x < int(0.9 * width):
        if not empty[x]:
            x += 1
            continue
        end = x
        while end < int(0.9 * width) and empty[end]:
            end += 1
        left = sum(1 for f in body_words if f.x1 <= x + 1)
        right = sum(1 for f in body_words if f.x0 >= end - 1)
        if end - x >= 0.9 * body and min(left, right) >= 0.1 * len(body_words):
            gutters.append((float(x), float(end)))
        x = end + 1
    return gutters


def _columns_below_a_band(fragments: Sequence[Fragment], width: float) -> tuple[float, list[tuple[float, float]]] | None:
    """(bottom of the band, gutters) for a page whose three or more columns stand under a band of text that crosses
    their gutters, so that the page as a whole shows no gutter between them: the highest band (within the top third
    of the text) below which two or more gutters open that no word crosses."""
    words = [f for f in fragments if f.text.strip()]
    if len(words) < 60:
        return None
    top, bottom = min(f.top for f in words), max(f.bottom for f in words)
    for band_bottom in sorted({f.bottom for f in words if f.bottom < top + (bottom - top) / 3}):
        below = [f for f in words if f.bottom > band_bottom]  # as page_lines splits the page
        if len(below) < 0.6 * len(words):
            break
        gutters = column_gutters(below, width)
        if len(gutters) < 2:
            continue
        # the band ends where no line crosses the columns' gutters any more
        if not any(line.x0 < start and line.x1 > end for line in _group_lines(below) for start, end in gutters):
            return float(band_bottom), gutters
    return None


def _top_to_bottom(lines: Sequence[_LineBuilder]) -> list[_LineBuilder]:
    """Lines top to bottom, and left to right where they stand on one row: tops within a point of the row's first
    line are one row (rounding each top would split 463.4 and 463.6 and put the right one first)."""
    ordered = sorted(lines, key=lambda ln: ln.top)
    rows: list[int] = []
    row_top = -math.inf
    for ln in ordered:
        if ln.top - row_top > 1.0:
            row_top = ln.top
        rows.append(int(row_top * 1000))
    return [ln for _, ln in sorted(zip(rows, ordered), key=lambda pair: (pair[0], pair[1].x0))]


def _order_in_bands(lines: list[_LineBuilder], gutters: Sequence[tuple[float, float]]) -> list[tuple[_LineBuilder, int]]:
    """Reading order on a page set in columns: column by column, top to bottom. A line that crosses a gutter where
    a column's text runs around it is an inset (a pull quote set across the columns): it is read after the columns
    it interrupts. Any other (a heading over the columns, a band under them) starts or ends a stretch of columns."""
    lines = _top_to_bottom(lines)

    def crosses(ln: _LineBuilder) -> bool:
        return any(ln.x0 < start - 1 and ln.x1 > end + 1 for start, end in gutters)

    columns = [ln for ln in lines if not crosses(ln)]
    ordered: list[tuple[_LineBuilder, int]] = []
    bands: dict[int, list[_LineBuilder]] = {}
    insets: list[_LineBuilder] = []

    def flush() -> None:
        for band in sorted(bands):
            ordered.extend((ln, band + 1) for ln in bands[band])
        ordered.extend((ln, 0) for ln in insets)
        bands.clear()
        insets.clear()

    for ln in lines:
        if crosses(ln):
            if _text_runs_around(ln, columns):
                insets.append(ln)
                continue
            flush()
            ordered.append((ln, 0))
            continue
        bands.setdefault(sum(1 for start, _ in gutters if ln.x0 >= start), []).append(ln)
    flush()
    return ordered


def _text_runs_around(line: _LineBuilder, columns: Sequence[_LineBuilder]) -> bool:
    """Whether `line` is set into the columns (a pull quote), not a heading between two parts of the page: the
    columns go on above and below it and it is in large type, neither bold nor numbered, or a column's text breaks off
    mid-sentence just above it and goes on in lower case just below it."""
    beside = [c for c in columns if c.x0 < line.x1 and c.x1 > line.x0]
    text = _fragments_text(line.parts)
    size = max(f.size for f in line.parts)
    column_size = statistics.median(f.size for c in beside for f in c.parts) if beside else size
    if size >= 1.2 * column_size and not all(f.bold for f in line.parts) and not _HEADING_NUM_RE.match(text) \
            and any(c.bottom <= line.top + 1 for c in beside) and any(c.top >= line.bottom - 1 for c in beside):
        return True  # large type, neither bold nor numbered, the columns going on above and below: a pull quote
    for above in beside:
        if above.bottom > line.top + 1:
            continue
        in_column = [c for c in beside if abs(c.x0 - above.x0) < 6]
        if max((c.bottom for c in in_column if c.bottom <= line.top + 1), default=None) != above.bottom:
            continue
        below = min((c for c in in_column if c.top >= line.bottom - 1), key=lambda c: c.top, default=None)
        before = _fragments_text(above.parts).rstrip()
        if below is not None and not before.endswith(_SENTENCE_END) and _fragments_text(below.parts)[:1].islower():
            return True
    return False


def _find_gutter(lines: Sequence[_LineBuilder], width: float) -> float | None:
    """Return the x of a column gutter if the page holds two columns of running text."""
    if len(lines) < 12:
        return None
    best: tuple[int, float] | None = None
    # Each line's extent once, and the crossings at every candidate x at once: this scan ran for every page.
    starts = np.array([ln.x0 for ln in lines])
    ends = np.array([ln.x1 for ln in lines])
    steps = np.arange(int(width * 0.35), int(width * 0.65), 2, dtype=float)
    crossings = ((starts[:, None] < steps - 1) & (ends[:, None] > steps + 1)).sum(axis=0)
    for x, crossing in zip(steps.tolist(), crossings.tolist()):
        if best is None or crossing < best[0] or (crossing == best[0] and abs(x - width / 2) < abs(best[1] - width / 2)):
            best = (crossing, x)
    if best is None:
        return None
    crossing, x = best
    left = [ln for ln in lines if ln.x1 <= x + 1]
    right = [ln for ln in lines if ln.x0 >= x - 1]
    if len(left) < 6 or len(right) < 6:
        return None
    # Full-width lines above or below the columns (a chapter opening, a single-column part of
    # the page) do not count against them; only those that cut through the columns do.
    left_width = x - min(ln.x0 for ln in left)
    right_width = max(ln.x1 for ln in right) - x
    left_full = [ln for ln in left if ln.x1 - ln.x0 >= 0.6 * left_width] or left
    right_full = [ln for ln in right if ln.x1 - ln.x0 >= 0.6 * right_width] or right
    region_top = max(min(ln.top for ln in left_full), min(ln.top for ln in right_full))
    region_bottom = min(max(ln.bottom for ln in left_full), max(ln.bottom for ln in right_full))
    inside = [ln for ln in lines if ln.x0 < x - 1 and ln.x1 > x + 1 and region_top < ln.top < region_bottom]
    if len(inside) > (len(left) + len(right)) * 0.25:
        return None
    left_edge = min(ln.x0 for ln in left)
    right_edge = max(ln.x1 for ln in right)
    left_widths = statistics.median(ln.x1 - ln.x0 for ln in left)
    right_widths = statistics.median(ln.x1 - ln.x0 for ln in right)
    # Running text fills its column; a table's label column does not.
    if left_widths < 0.6 * (x - left_edge) or right_widths < 0.6 * (right_edge - x):
        return None
    # Columns sit side by side: their vertical extents must overlap substantially.
    left_span = (min(ln.top for ln in left), max(ln.bottom for ln in left))
    right_span = (min(ln.top for ln in right), max(ln.bottom for ln in right))
    if _vertical_overlap(*left_span, *right_span) < 0.5:
        return None
    return x


def _order_lines(lines: list[_LineBuilder], width: float) -> list[tuple[_LineBuilder, int]]:
    """Reading order: top to bottom; within a two-column band, left column first."""
    lines = _top_to_bottom(lines)
    gutter = _find_gutter(lines, width)
    if gutter is None:
        return [(ln, 0) for ln in lines]
    ordered: list[tuple[_LineBuilder, int]] = []
    left: list[_LineBuilder] = []
    right: list[_LineBuilder] = []
    insets: list[_LineBuilder] = []
    columns = [ln for ln in lines if ln.x1 <= gutter + 1 or ln.x0 >= gutter - 1]

    def flush() -> None:
        ordered.extend((ln, 1) for ln in left)
        ordered.extend((ln, 2) for ln in right)
        ordered.extend((ln, 0) for ln in insets)
        left.clear()
        right.clear()
        insets.clear()

    for position, ln in enumerate(lines):
        height = ln.bottom - ln.top
        following = lines[position + 1] if position + 1 < len(lines) else None
        if ln.x1 <= gutter + 1 and left and right and ln.top > max(r.bottom for r in right) + 0.8 * height \
                and ln.top - left[-1].bottom > 1.0 * height and following is not None \
                and following.x0 < gutter - 1 and following.x1 > gutter + 1:
            # Below the end of the right column, after a gap in the left one, and followed by text across the
            # page: the columns have ended (a full-width heading under balanced columns, short enough to fit in
            # the first one)
            flush()
        if ln.x1 <= gutter + 1:
            left.append(ln)
        elif ln.x0 >= gutter - 1:
            right.append(ln)
        elif _text_runs_around(ln, columns):
            insets.append(ln)  # a pull quote across both columns: after the columns it interrupts
        else:
            flush()
            ordered.append((ln, 0))
    flush()
    return ordered


def _tracked_word_gap(parts: Sequence[Fragment]) -> float | None:
    """For a line set one glyph at a time with tracking ("A A N  H E T  C O L L E G E", a design tool's letter-spaced
    label), the gap above which two glyphs belong to two words: clearly wider than the gap between letters. None for
    any other line."""
    if len(parts) < 6:
        return None
    glyphs = []
    for f in parts:  # most lines stop at their first fragment, a word of several letters
        glyph = normalise(f.text).strip()
        if len(glyph) != 1:
            return None
        glyphs.append(glyph)
    if not all(glyph.isupper() or not glyph.isalpha() for glyph in glyphs) \
            or sum(glyph.isalpha() for glyph in glyphs) < 0.6 * len(glyphs):
        return None
    gaps = [b.x0 - a.x1 for a, b in zip(parts, parts[1:])]
    typical = statistics.median(gaps)
    size = statistics.median(f.size for f in parts) or 10.0
    # tracked: every letter stands apart, but by less than a word space would
    if not 0.12 * size < typical < 0.5 * size:
        return None
    return max(1.6 * typical, typical + 0.15 * size)


def _line_from_builder(builder: _LineBuilder, page: int, column: int) -> Line | None:
    parts = sorted(builder.parts, key=lambda f: f.x0)
    pieces: list[str] = []
    bold_chars = 0
    total_chars = 0
    sizes: Counter[float] = Counter()
    bold_prefix_parts: list[str] = []
    prefix_open = True
    previous: Fragment | None = None
    word_gap = _tracked_word_gap(parts)
    for frag in parts:
        text = normalise(frag.text)
        if word_gap is not None:
            text = text.strip()
            if previous is not None and frag.x0 - previous.x1 > word_gap:
                pieces.append(" ")
        elif previous is not None and pieces and not pieces[-1].endswith(" ") and not text.startswith(" "):
            # Fragments that follow each other in pdfium's text stream are spaced as pdfium says
            # (it read the font metrics); others, and pdfplumber's, by the gap between them.
            adjacent = previous.end >= 0 and previous.end == frag.start
            if not adjacent and frag.x0 - previous.x1 > 0.12 * frag.size:
                pieces.append(" ")
        pieces.append(text)
        visible = len(text.strip())
        total_chars += visible
        sizes[frag.size] += visible
        if frag.bold:
            bold_chars += visible
        if prefix_open and visible:
            if frag.bold:
                bold_prefix_parts.append(text)
            elif _BULLET_RE.match(text + " ") and not bold_prefix_parts:
                pass  # a non-bold bullet glyph may precede a bold lead
            else:
                prefix_open = False
        previous = frag
    text = re.sub(r"\s+", " ", "".join(pieces)).strip()
    if not text or total_chars == 0:
        return None
    size = sizes.most_common(1)[0][0]
    bold = bold_chars >= 0.8 * total_chars
    bullet = ""
    match = _BULLET_RE.match(text)
    if match:
        bullet = match.group(1)
        text = text[match.end():]
    elif len(text) == 1 and text in BULLET_CHARS:
        bullet, text = text, ""
    bold_prefix = re.sub(r"\s+", " ", "".join(bold_prefix_parts)).strip()
    bold_prefix = _BULLET_RE.sub("", bold_prefix).strip()
    return Line(
        text=text,
        page=page,
        bbox=(builder.x0, builder.top, builder.x1, builder.bottom),
        size=size,
        bold=bold,
        bold_prefix=text if bold_chars == total_chars else bold_prefix,
        bullet=bullet,
        column=column,
    )


def _text_wraps_around(box: Rect, flow: Sequence[Fragment]) -> bool:
    """Running text stands beside the box and, above or below it, runs on across its width: the text wraps around
    a floated box (a page of a spread beside another page's box, or a sidebar column, does not reach across)."""
    beside = sum(1 for f in flow if box.top <= (f.top + f.bottom) / 2 <= box.bottom and (f.x1 <= box.x0 + 1 or f.x0 >= box.x1 - 1))
    across = any(not box.top - 1 <= (f.top + f.bottom) / 2 <= box.bottom + 1 and f.x0 < box.x0 - 20 and f.x1 > box.x0 + 20
                 for f in flow)
    return beside >= 4 and across


def _boxes_after_the_text_beside_them(lines: list[Line], boxes: Sequence[Rect], wrapped: Sequence[int],
                                      page: int) -> list[Line]:
    """A box that running text wraps around (a Word text box floated right, the paragraphs narrowed beside it) is
    read whole after the last line of text beside it, not line by line in between: read by height, each of its
    lines fell between two lines of the paragraph next to it."""
    for index in wrapped:
        panel, number = boxes[index], page * 100 + index
        inside = [ln for ln in lines if ln.box == number]
        rest = [ln for ln in lines if ln.box != number]
        beside = [k for k, ln in enumerate(rest) if ln.box < 0 and not ln.cells and ln.bbox[1] < panel.bottom
                  and ln.bbox[3] > panel.top and (ln.bbox[2] <= panel.x0 + 1 or ln.bbox[0] >= panel.x1 - 1)]
        if not inside or len(beside) < 2:
            continue
        at = beside[-1] + 1
        # the paragraph beside the box may go on under it: the box follows the end of its sentence
        while at < len(rest) and rest[at].box < 0 and not rest[at].cells and (
                not rest[at - 1].text.rstrip().endswith((".", "!", "?", ":")) or rest[at].text[:1].islower()):
            at += 1
        lines = rest[:at] + inside + rest[at:]
    return lines


def page_lines(fragments: Sequence[Fragment], page: int, width: float, rects: Sequence[Rect] = ()) -> list[Line]:
    """All lines of one page in reading order; a bullet glyph alone on its line joins the next.

    Text inside a ruled table becomes one line per row with its cells; lines inside a filled
    box carry the box's number."""
    fragments = without_line_numbers(fragments)
    grids = find_grids(rects, fragments) if rects else []
    flow = [f for f in fragments if not any(g.contains(f) for g in grids)]
    aligned = find_aligned_tables(flow, _fragments_text, width)
    if aligned:
        grids += aligned
        flow = [f for f in flow if not any(g.contains(f) for g in aligned)]
    boxes = [p for p in panels(rects, flow, width) if not any(g.contains(p) for g in grids)] if rects else []
    gutters = column_gutters(flow, width)
    # A box the running text wraps around (a Word text box floated right) is read apart: its narrow lines and
    # the narrowed lines beside it would otherwise be read as two columns of a band.
    wrapped = [b for b in boxes if _text_wraps_around(b, flow)] if not gutters else []
    in_wrapped = [f for f in flow if any(b.encloses(f) for b in wrapped)]
    flow_read = [f for f in flow if not any(b.encloses(f) for b in wrapped)] if wrapped else flow
    lines_read_whole = _group_lines(flow_read) if len(gutters) <= 1 else []
    if len(gutters) == 1 and _find_gutter(lines_read_whole, width) is not None:
        gutters = []  # two columns either side of the middle: read from whole lines, as always
    below = _columns_below_a_band(flow, width) if len(gutters) < 2 and not wrapped else None
    if below is not None:
        # Three or more columns under a band of text across them (an introduction set in the top right): the band
        # first, read as whole lines, then the columns.
        band_bottom, gutters = below
        band = [f for f in flow if f.bottom <= band_bottom]
        columns = [f for f in flow if f.bottom > band_bottom]
        ordered = _order_lines(_group_lines(band), width) + _order_in_bands(_group_lines(columns, gutters), gutters)
    else:
        ordered = (_order_in_bands(_group_lines(flow, gutters), gutters) if gutters
                   else _order_lines(lines_read_whole, width))
    for panel in sorted(wrapped, key=lambda b: b.top):  # each at its place by height; moved after the text beside it below
        box_lines = [(builder, 0) for builder, _ in _order_lines(_group_lines([f for f in in_wrapped if panel.encloses(f)]), width)]
        at = next((k for k, (builder, _) in enumerate(ordered) if builder.top >= panel.top - 1), len(ordered))
        ordered = ordered[:at] + box_lines + ordered[at:]
    lines: list[Line] = []
    pending_bullet = ""
    for builder, column in ordered:
        line = _line_from_builder(builder, page, column)
        if line is None:
            continue
        if not line.text and line.bullet:
            pending_bullet = line.bullet
            continue
        if pending_bullet and not line.bullet:
            line = replace(line, bullet=pending_bullet)
        pending_bullet = ""
        box = next((page * 100 + i for i, p in enumerate(boxes) if p.contains_line(line.bbox)), -1)
        lines.append(replace(line, box=box) if box >= 0 else line)
    if wrapped:
        lines = _boxes_after_the_text_beside_them(lines, boxes, [boxes.index(b) for b in wrapped], page)
    lines = _heading_after_the_sentence_it_cuts(lines)
    for index, grid in enumerate(grids):
        lines.extend(_table_lines(grid, [f for f in fragments if grid.contains(f)], page, page * 100 + index))
    if grids:
        lines = _reading_order_with_tables(lines)
    return lines


def _heading_after_the_sentence_it_cuts(lines: list[Line]) -> list[Line]:
    """A heading never cuts a sentence in two. Where one stands at the foot of a column between a
    line that breaks off mid-sentence and a next column that carries on in lower case (AbiWord
    draws the next chapter's heading over the foot of a two-column section), it belongs after that
    column's text."""
    for i in range(1, len(lines) - 1):
        before, heading = lines[i - 1], lines[i]
        after = next((j for j in range(i + 1, len(lines)) if lines[j].column != heading.column), None)
        if after is None or any(ln.column == heading.column and ln.page == heading.page for ln in lines[after:]):
            continue
        if after > i + 1:
            continue  # its column goes on below it: not at the column's foot (a pull quote set into the column)
        cut_short = not before.text.rstrip().endswith(_SENTENCE_END) and before.column == heading.column
        looks_like_heading = heading.size > before.size * 1.1 or (heading.bold and not before.bold and len(heading.text.split()) < 12)
        if cut_short and looks_like_heading and lines[after].text[:1].islower() and lines[after].size <= before.size + 0.6:
            end = next((j for j in range(after, len(lines)) if lines[j].column != lines[after].column), len(lines))
            return lines[:i] + lines[after:end] + lines[i:after] + lines[end:]
    return lines


_ENTRY_START_RE = re.compile(r"^\s*(\d{1,2}[.)]?|aanbeveling\s+\d{1,2}|conclusie\s+\d{1,2})(\s|$)", re.I)


def _fragments_text(fragments: Sequence[Any]) -> str:
    return " ".join(normalise(f.text).strip() for f in sorted(fragments, key=lambda f: f.x0))


def _reading_order_with_tables(lines: list[Line]) -> list[Line]:
    """Tables span the text width: flow lines above a table come before it, lines below after."""
    tables = sorted({ln.table for ln in lines if ln.cells})
    if not tables:
        return lines
    flow = [ln for ln in lines if not ln.cells]
    out: list[Line] = []
    remaining = flow
    for table in tables:
        rows = [ln for ln in lines if ln.table == table]
        top = rows[0].bbox[1]
        out.extend(ln for ln in remaining if ln.bbox[1] < top)
        out.extend(rows)
        remaining = [ln for ln in remaining if ln.bbox[1] >= top]
    out.extend(remaining)
    return out


def _cell_text(fragments: Sequence[Fragment], page: int) -> tuple[str, bool, float]:
    """A cell's text (its lines joined, hyphenation undone), whether it is bold, its type size."""
    builders = sorted(_group_lines(sorted(fragments, key=lambda f: (round(f.top), f.x0))), key=lambda b: (round(b.top), b.x0))
    lines = [ln for ln in (_line_from_builder(b, page, 0) for b in builders) if ln is not None]
    texts = [((ln.bullet + " ") if ln.bullet else "") + ln.text for ln in lines]
    bold = bool(lines) and all(ln.bold for ln in lines)
    size = statistics.median(ln.size for ln in lines) if lines else 0.0
    return _join_lines(texts, set()), bold, size


def _table_lines(grid: Grid, fragments: Sequence[Fragment], page: int, table: int) -> list[Line]:
    """One line per table row with its cells. Without rules between the rows (booktabs), a row
    starts at each line whose first cell has text."""
    columns = len(grid.xs) - 1
    bands: dict[int, list[Fragment]] = {}
    for frag in fragments:
        band_index, _ = grid.cell_of(frag)
        bands.setdefault(band_index, []).append(frag)
    rows: list[list[Fragment]] = []
    for band in (bands[r] for r in sorted(bands)):
        first_column: dict[int, list[Fragment]] = {}
        for frag in band:
            if grid.cell_of(frag)[1] == 0:
                first_column.setdefault(round(frag.top), []).append(frag)
        tops = sorted(first_column)
        # Without a rule between the entries (booktabs), a row starts where the first column
        # starts a numbered entry ("1", "2.", "Aanbeveling 3").
        starts = tops[:1] + [t for t in tops[1:] if _ENTRY_START_RE.match(_fragments_text(first_column[t]))]
        if len(starts) <= 1 or grid.by_start:  # aligned tables already have their rows
            rows.append(band)
            continue
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else float("inf")
            rows.append([f for f in band if start - 2 <= round(f.top) < end - 2 or (i == 0 and round(f.top) < start)])
    out: list[Line] = []
    for row in rows:
        cells = []
        bold_cells = []
        sizes = []
        for col in range(columns):
            text, bold, size = _cell_text([f for f in row if grid.cell_of(f)[1] == col], page)
            cells.append(text)
            if text:
                bold_cells.append(bold)
                sizes.append(size)
        if not any(cells):
            continue
        bbox = (grid.xs[0], min(f.top for f in row), grid.xs[-1], max(f.bottom for f in row))
        out.append(Line(text=" ".join(c for c in cells if c), page=page, bbox=bbox,
                        size=statistics.median(sizes), bold=all(bold_cells), bullet="",
                        cells=tuple(cells), table=table))
    return out


# --------------------------------------------------------------------------------------
# Running headers and footers


def _running_key(line: Line) -> str:
    """Text with digits masked: a running line's page number changes from page to page."""
    return re.sub(r"[0-9]+", "#", line.text.lower()).strip()


def _running_prefix(line: Line) -> str:
    """The opening of a long margin line: a running header that names the report and then the
    chapter ("Rekenkamer X | Titel  Inleiding") changes its end on every chapter, not its start."""
    masked = _running_key(line)
    return f"prefix:{masked[:30]}" if len(masked) >= 40 else ""


_SCAN_SIZE_SPREAD = 0.2
"""On scanned pages a running line keeps its type size within this share: the sizes are estimated per page from the
scan and wander by a point or so. Elsewhere it keeps its size to the point, so that a chapter heading repeated as a
small running header does not take the heading itself down with it."""


def _same_size(size: float, scanned: bool, others: Sequence[tuple[float, bool]]) -> int:
    return sum(abs(other - size) <= _SCAN_SIZE_SPREAD * max(size, other) if scanned and other_scanned
               else round(other) == round(size) for other, other_scanned in others)


def drop_running_lines(pages: Sequence[Sequence[Line]], heights: Sequence[float],
                       scanned: frozenset[int] = frozenset()) -> list[list[Line]]:
    """Remove lines that repeat in the page margins (headers, footers) and bare page numbers. `scanned`: indices of
    the pages read from a scan."""
    margin_sizes: dict[str, list[tuple[float, bool]]] = {}
    for index, (lines, height) in enumerate(zip(pages, heights)):
        seen: dict[str, float] = {}
        for ln in lines:
            if ln.bbox[1] < height * 0.1 or ln.bbox[3] > height * 0.9:
                for key in (_running_key(ln), _running_prefix(ln)):
                    if key:
                        seen.setdefault(key, ln.size)
        for key, size in seen.items():
            margin_sizes.setdefault(key, []).append((size, index in scanned))
    # Running lines recur page after page; chapter-title headers recur only within their chapter.
    threshold = 2 if len(pages) < 10 else 3
    # A shared opening is weaker evidence than a whole line: it must recur on a good share of the
    # pages (annex headings "Bijlage 2 Impressie van gemeente B" share an opening too).
    prefix_threshold = max(threshold, int(0.3 * len(pages)))

    def running(key: str, size: float, on_scan: bool) -> bool:
        if not key or key not in margin_sizes:
            return False
        needed = prefix_threshold if key.startswith("prefix:") else threshold
        return _same_size(size, on_scan, margin_sizes[key]) >= needed

    kept: list[list[Line]] = []
    for index, (lines, height) in enumerate(zip(pages, heights)):
        page_kept = []
        dropped: list[Line] = []
        for ln in lines:
            in_margin = ln.bbox[1] < height * 0.1 or ln.bbox[3] > height * 0.9
            on_scan = index in scanned
            if in_margin and (running(_running_key(ln), ln.size, on_scan) or running(_running_prefix(ln), ln.size, on_scan)
                              or _PAGE_NUMBER_RE.match(ln.text.strip())):
                dropped.append(ln)
                continue
            page_kept.append(ln)
        # The chapter title set on the same band as a running header ("Rapport X | Reactie van het
        # college") changes per chapter, so it repeats too rarely to be recognised on its own.
        # Running text in larger type beside a dropped line (a web page printed with a small fixed "↑ Naar
        # boven" button over its last lines) stays: such a title is set like the header it shares the band with.
        page_kept = [ln for ln in page_kept if not any(
            (ln.bbox[1] < height * 0.1 or ln.bbox[3] > height * 0.9) and ln.size <= d.size + 1.0
            and _vertical_overlap(ln.bbox[1], ln.bbox[3], d.bbox[1], d.bbox[3]) > 0.5 for d in dropped)]
        kept.append(page_kept)
    return kept


# --------------------------------------------------------------------------------------
# Lines → paragraphs


def body_size(pages: Sequence[Sequence[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            sizes[round(ln.size, 1)] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _join_lines(texts: Sequence[str], hyphenated_words: set[str]) -> str:
    """Join line texts into one string, undoing hyphenation at line ends."""
    out = ""
    for text in texts:
        if not out:
            out = text
            continue
        match = re.search(r"(\w+)-$", out)
        next_word = re.match(r"[\w'’]+", text)
        if match and next_word and text[:1].islower():
            candidate = f"{match.group(1)}-{next_word.group(0)}".lower()
            if next_word.group(0).lower() in _KEEP_HYPHEN_NEXT:
                out = out + " " + text
            elif candidate in hyphenated_words:
                out = out + text
            else:
                out = out[:-1] + text
        else:
            out = out + " " + text
    return re.sub(r"\s+", " ", out).strip()


def _heading_info(text: str, size: float, bold: bool, body: float) -> tuple[int, str] | None:
    """(level, number) if a line set in this style reads as a heading, else None."""
    words = text.split()
    if not words or len(words) > 16 or len(text) > 120:
        return None
    if text.rstrip().endswith((".", ",", ";")) and not re.match(r"^\d+\.$", words[0]):
        return None
    if text.rstrip().endswith(".") and len(words) > 9:
        return None  # a numbered bold sentence that fills its lines ("1. Het team is bereikbaar, maar …"): a list item
    if re.fullmatch(r"(deel|part)\s+(\d{1,2}|[IVX]{1,4})", text.strip(), re.I):
        return 1, ""  # a part's label alone on its line ("DEEL 2" in the band above the part's title)
    larger = size >= body * 1.12
    if not (larger or bold):
        return None
    number_match = _HEADING_NUM_RE.match(text)
    annex_match = _ANNEX_RE.match(text)
    if number_match:
        number = number_match.group(1)
        rest = text[number_match.end():]
        if not rest[:1].isupper() and not rest[:1].isdigit():
            return None
        return number.count(".") + 1, number
    if annex_match:
        return 1, annex_match.group(0)
    if size >= body * 1.45:
        return 1, ""
    if size >= body * 1.12:
        return 2, ""
    return 3, ""


_MAX_NOTE_SIZE = 12.0
"""No footnote is set larger than this (a slide's 17 pt text under its big figures is text, not a note)."""


def _is_footnote_line(line: Line, body: float, lowest_body_bottom: float) -> bool:
    return line.size <= body * 0.86 and line.size <= _MAX_NOTE_SIZE and line.bbox[1] >= lowest_body_bottom - 1


def paragraphs_from_lines(
    pages: Sequence[Sequence[Line]], body: float, widths: Sequence[float], sizes_estimated: bool = False
) -> list[Paragraph]:
    """Group lines into paragraphs: headings, body text, list items, footnotes. `sizes_estimated`: the type sizes
    were estimated from a scan, so a heading's numbering says more about its level than its size."""
    hyphenated_words = _hyphenated_vocabulary(pages)
    paragraphs: list[Paragraph] = []
    current: list[Line] = []
    current_kind = "text"

    def flush() -> None:
        nonlocal current
        if not current:
            return
        first = current[0]
        texts = [ln.text for ln in current]
        text = _join_lines(texts, hyphenated_words)
        kind = current_kind
        level = 0
        number = ""
        bold = all(ln.bold for ln in current)
        size = statistics.median(ln.size for ln in current)
        if kind == "text" and not first.bullet:
            info = _heading_info(text, size, bold, body)
            if info is not None:
                kind = "heading"
                level, number = info
        if kind == "text" and first.bullet:
            kind = "list_item"
        if kind == "text":
            enum = _ENUM_RE.match(text)
            if enum:
                kind = "list_item"
                number = enum.group(1)
        bold_lead = _bold_lead(current, hyphenated_words)
        pages_in = [ln.page for ln in current]
        same_page = [ln for ln in current if ln.page == first.page]
        bbox: BBox = (
            min(ln.bbox[0] for ln in same_page),
            min(ln.bbox[1] for ln in same_page),
            max(ln.bbox[2] for ln in same_page),
            max(ln.bbox[3] for ln in same_page),
        )
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                kind=kind,  # type: ignore[arg-type]
                text=text,
                page_start=min(pages_in),
                page_end=max(pages_in),
                bbox=bbox,
                size=size,
                bold=bold,
                bold_lead=bold_lead,
                bullet=first.bullet,
                level=level,
                number=number,
                box=first.box,
            )
        )
        current = []

    column_edges: dict[tuple[int, int], tuple[float, float]] = {}
    line_ends: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])  # [lines flush right, lines]
    for page_lines_, width in zip(pages, widths):
        body_lines = [ln for ln in page_lines_ if ln.size > body * 0.86]
        running = [ln for ln in body_lines if not ln.cells and ln.box < 0]
        for ln in running:
            left, right = column_edges.get((ln.page, ln.column), (ln.bbox[0], ln.bbox[2]))
            column_edges[(ln.page, ln.column)] = (min(left, ln.bbox[0]), max(right, ln.bbox[2]))
        for ln in running:  # once the column's right edge is known
            flush_right = line_ends[(ln.page, ln.column)]
            flush_right[0] += ln.bbox[2] >= column_edges[(ln.page, ln.column)][1] - _FLUSH_TOLERANCE
            flush_right[1] += 1
        # Footnotes sit under running text: a page without any (a scan read at one estimated size,
        # a page of small print) has none.
        lowest_body = max((ln.bbox[3] for ln in body_lines), default=float("inf"))
        # Notes set only a little smaller than the text (10 on 11 pt, LibreOffice's default) are
        # told apart by place: a few numbered lines under the last line of full-size text.
        full = [ln for ln in page_lines_ if ln.size >= body * 0.96 and not ln.cells]
        lowest_full = max((ln.bbox[3] for ln in full), default=float("inf"))
        foot = [ln for ln in page_lines_ if ln.size < body * 0.96 and ln.bbox[1] >= lowest_full - 1 and not ln.cells]
        small_notes = len(full) >= 5 and 0 < len(foot) <= 8 and bool(re.match(r"^\d{1,3}\s", foot[0].text))
        pitch = _typical_pitch(page_lines_)
        previous: Line | None = current[-1] if current else None
        for line in page_lines_:
            if line.cells:
                flush()
                current_kind = "text"
                paragraphs.append(_row_paragraph(line, len(paragraphs)))
                previous = None
                continue
            kind = "footnote" if _is_footnote_line(line, body, lowest_body) or small_notes and line in foot else "text"
            if kind == "footnote":
                starts_note = bool(re.match(r"^\d{1,3}\s", line.text)) or line.bullet != ""
                if current_kind != "footnote" or starts_note:
                    flush()
                current_kind = "footnote"
                current.append(line)
                previous = line
                continue
            if current_kind == "footnote":
                flush()
                current_kind = "text"
                previous = None
            if previous is None or _starts_new_paragraph(previous, line, body, pitch, width):
                # A paragraph running on from the previous page continues.
                if not (
                    previous is not None
                    and (previous.page != line.page or previous.column != line.column)
                    and _continues_across_pages(previous, line, body, column_edges, line_ends)
                ):
                    flush()
            current.append(line)
            previous = line
    flush()
    return _merge_split_paragraphs(paragraphs, sizes_estimated)


def _around_insets(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A paragraph that breaks off mid-sentence, a short block in another type size (a pull quote set into the
    column), then text of the first one's size going on in lower case: one paragraph, the inset after it."""
    out = list(paragraphs)
    i = 0
    while i + 2 < len(out):
        first, inset, rest = out[i], out[i + 1], out[i + 2]
        if (first.kind == rest.kind == "text" and inset.kind in ("text", "heading") and abs(first.size - rest.size) <= 0.6
                and abs(inset.size - first.size) > 0.6 and len(inset.text.split()) <= 40
                and not first.text.rstrip().endswith((*_SENTENCE_END, ",")) and rest.text[:1].islower()
                and rest.page_start - first.page_end <= 1):
            same_page = rest.page_start == first.page_start
            box = (min(first.bbox[0], rest.bbox[0]), min(first.bbox[1], rest.bbox[1]), max(first.bbox[2], rest.bbox[2]),
                   max(first.bbox[3], rest.bbox[3])) if same_page else first.bbox
            merged = replace(first, text=f"{first.text} {rest.text}", page_end=rest.page_end, bbox=box)
            out[i:i + 3] = [merged, inset]
            continue
        i += 1
    return out


def _merge_split_paragraphs(paragraphs: list[Paragraph], sizes_estimated: bool = False) -> list[Paragraph]:
    """Renumber, and rank heading levels by style (see `heading_levels`)."""
    paragraphs = _around_insets(paragraphs)
    levels = numbered_heading_levels(paragraphs) if sizes_estimated else heading_levels(paragraphs)
    return [
        replace(p, index=i, level=levels.get(i, p.level)) for i, p in enumerate(paragraphs)
    ]


def heading_levels(paragraphs: Sequence[Paragraph]) -> dict[int, int]:
    """Heading level by typographic rank: larger type is a higher level; within one size, fewer
    numbering parts ("2" before "2.1") and numbered before unnumbered. Printed numbers alone
    mislead (a list "1. …" inside section 2.7 is not chapter 1); the type size does not.
    Unnumbered headings (Voorwoord, Bijlage 1) rank with the top-level numbers of their size."""
    def key(p: Paragraph) -> tuple[float, int, int]:
        depth = p.number.count(".") + 1 if p.number and p.number[0].isdigit() else 1
        return (-round(p.size * 2) / 2, 0 if p.bold else 1, depth)

    headings = [(i, key(p)) for i, p in enumerate(paragraphs) if p.kind == "heading"]
    ranks = {k: rank for rank, k in enumerate(sorted({k for _, k in headings}), start=1)}
    return {i: ranks[k] for i, k in headings}


def numbered_heading_levels(paragraphs: Sequence[Paragraph]) -> dict[int, int]:
    """Heading levels of a scanned report: the sizes estimated from a scan wander by a fifth from page to page, so
    "2 Samenwerking" may come out smaller than "1.1 Aanleiding". A numbered heading takes its numbering's depth; an
    unnumbered one the depth whose numbered headings come closest in size, or 1 above them all (Samenvatting, the
    cover's title). Without numbered headings of two depths, the typographic ranks."""
    headings = [(i, p) for i, p in enumerate(paragraphs) if p.kind == "heading"]
    depth_sizes: dict[int, list[float]] = {}
    for _, p in headings:
        if p.number and p.number[0].isdigit():
            depth_sizes.setdefault(p.number.rstrip(".").count(".") + 1, []).append(p.size)
    if 1 not in depth_sizes or len(depth_sizes) < 2:
        return heading_levels(paragraphs)
    typical = {depth: statistics.median(sizes) for depth, sizes in depth_sizes.items()}
    levels = {}
    for i, p in headings:
        if p.number and p.number[0].isdigit():
            levels[i] = p.number.rstrip(".").count(".") + 1
        else:
            levels[i] = 1 if p.size >= typical[1] else min(typical, key=lambda depth: abs(typical[depth] - p.size))
    return levels


def _typical_pitch(lines: Sequence[Line]) -> float:
    """The line pitch of the page's running text (its most common type size).

    The lower quartile of the gaps, not the median: on a page of short paragraphs half the gaps lie
    between paragraphs, and a median pitch then swallows a paragraph break (LibreOffice's 6 pt
    spacing). Footnotes, set smaller and tighter, are left out so they cannot lower it."""
    if not lines:
        return 0.0
    text_size = Counter(round(ln.size * 2) / 2 for ln in lines).most_common(1)[0][0]
    gaps = [
        b.bbox[1] - a.bbox[1]
        for a, b in zip(lines, lines[1:])
        if a.column == b.column and 0 < b.bbox[1] - a.bbox[1] < 3 * a.size
        and abs(a.size - text_size) < 0.5 and abs(b.size - text_size) < 0.5
    ]
    if len(gaps) >= 4:
        return statistics.quantiles(gaps, n=4)[0]
    return statistics.median(gaps) if gaps else 0.0


def _row_paragraph(line: Line, index: int) -> Paragraph:
    return Paragraph(index=index, kind="table_row", text=line.text, page_start=line.page, page_end=line.page,
                     bbox=line.bbox, size=line.size, bold=line.bold, cells=line.cells, table=line.table)


def _starts_new_paragraph(previous: Line, line: Line, body: float, pitch: float, width: float) -> bool:
    if line.page != previous.page or line.column != previous.column or line.box != previous.box:
        return True
    if line.bullet or _ENUM_RE.match(line.text) and previous.text.rstrip().endswith(_SENTENCE_END):
        return True
    if abs(line.size - previous.size) > 0.6:
        return True
    gap = line.bbox[1] - previous.bbox[1]
    if gap < 0:
        return True
    column_right = max(previous.bbox[2], line.bbox[2])
    short = previous.bbox[2] < column_right - 0.15 * (column_right - previous.bbox[0])
    # Extra space after a full stop or a short line (a run-in heading) ends a paragraph; after a full
    # line that breaks mid-sentence it takes more (a raised footnote number or an accent on the next
    # line widens the gap between glyph boxes by a few points). Measured top to top and bottom to bottom, the
    # smaller of the two: a raised mark moves only a top, a descender only a bottom, so after a sentence a
    # fifth of a line more is paragraph spacing (Typst's default sets paragraphs apart by little more).
    steady_gap = min(gap, line.bbox[3] - previous.bbox[3])
    ends_sentence = bool(_ENDS_SENTENCE_RE.search(previous.text))
    if pitch and not short and ends_sentence and 1.2 * pitch < steady_gap <= 1.3 * pitch:
        return True
    if pitch and gap > pitch * (1.3 if short or ends_sentence else 1.5):
        # A sentence that breaks off at a full line and goes on in lower case below a gap runs around an inset
        # (a pull quote or a figure set into the column): the same paragraph.
        return short or bool(previous.bold) != bool(line.bold) or bool(_ENUM_RE.match(line.text)) or not (
            len(previous.text) >= 25 and len(line.text.split()) >= 2 and line.text[:1].islower()
            and not previous.text.rstrip().endswith((*_SENTENCE_END, ":", ";")))
    ended = previous.text.rstrip().endswith(_SENTENCE_END)
    runs_on = previous.text.rstrip().endswith((":", ",", ";")) and line.text[:1].islower()
    if previous.bold and line.bold_prefix and (not ended or runs_on) and not _HEADING_NUM_RE.match(line.text):
        return False  # a bold lead sentence that wraps onto the next line
    if previous.bold and not line.bold and previous.bold_prefix == previous.text:
        # A bold heading or bold lead line followed by plain text.
        return True
    if line.bold and not previous.bold and line.bold_prefix == line.text and len(line.text.split()) < 16:
        return True
    if _HEADING_NUM_RE.match(line.text) and (line.bold or line.size >= body * 1.12):
        return True
    if ended and _ITEM_LABEL_RE.match(line.text) and (line.bold_prefix or _LABEL_WITH_COLON_RE.match(line.text)):
        return True  # "Conclusie 2:" after a full stop, in text set without paragraph spacing
    # First-line indent, or a short previous line that ends a sentence.
    if ended and short:
        return True
    return False


_ITEM_LABEL_RE = re.compile(r"^(conclusie|aanbeveling|bevinding|norm|deelvraag|vraag)\s*\d", re.I)
"""A line that opens with an item's label ("Conclusie 4: …") starts that item."""
_LABEL_WITH_COLON_RE = re.compile(r"^(conclusie|aanbeveling|bevinding)\s*\d{1,2}\s*[:.]\s", re.I)


# How far short of a column's right edge a line may stop and still be flush (justified).
_FLUSH_TOLERANCE = 1.5


def _continues_across_pages(previous: Line, line: Line, body: float,
                            column_edges: dict[tuple[int, int], tuple[float, float]],
                            line_ends: dict[tuple[int, int], list[int]]) -> bool:
    """Whether the first line of a page or column carries on the paragraph the last one left.

    Mid-sentence it does. After a full stop it does only when the last line was full — the next
    line's first word would not have fit after it — and the new line is not indented: a paragraph's
    last line is short, so a full line ending in a full stop is a sentence end inside a paragraph
    that the break happened to fall on. In justified text "full" means flush with the right edge:
    a paragraph's last line stops short of it, however little room is left."""
    if line.bullet or line.bold != previous.bold or abs(line.size - previous.size) > 0.6:
        return False
    if line.box != previous.box or _ENUM_RE.match(line.text) or _HEADING_NUM_RE.match(line.text):
        return False
    if previous.text.rstrip().endswith((".", "!", "?")) and line.text[:1].isupper() and not previous.bold \
            and not line.bold_prefix and not _ITEM_LABEL_RE.match(line.text):
        before = column_edges.get((previous.page, previous.column))
        after = column_edges.get((line.page, line.column))
        if not before or not after or not previous.text:
            return False
        char = (previous.bbox[2] - previous.bbox[0]) / max(len(previous.text), 1)
        first_word = line.text.split(" ", 1)[0]
        room = before[1] - previous.bbox[2]
        indented = line.bbox[0] - after[0] > 1.5 * char
        flush, lines = line_ends.get((previous.page, previous.column), [0, 0])
        if lines >= 4 and flush >= 0.5 * lines and room > _FLUSH_TOLERANCE:
            return False
        return not indented and room < (len(first_word) + 1) * char
    if previous.text.rstrip().endswith((".", "!", "?", ":")):
        return False
    return bool(line.text[:1].islower()) or previous.text.rstrip().endswith(("-", ","))


def _bold_lead(lines: Sequence[Line], hyphenated_words: set[str]) -> str:
    """The bold run that opens a paragraph (the whole text if the paragraph is bold)."""
    parts: list[str] = []
    for ln in lines:
        if not ln.bold_prefix:
            break
        parts.append(ln.bold_prefix)
        if ln.bold_prefix != ln.text:
            break
    return _join_lines(parts, hyphenated_words) if parts else ""


def _hyphenated_vocabulary(pages: Sequence[Sequence[Line]]) -> set[str]:
    """Hyphenated words that occur inside lines: their hyphen is real, not a line break."""
    words: set[str] = set()
    for lines in pages:
        for ln in lines:
            for match in re.finditer(r"\b\w+-\w+\b", ln.text[:-1]):
                words.add(match.group(0).lower())
    return words


def page_text(lines: Iterable[Line]) -> str:
    out = []
    for ln in lines:
        out.append((ln.bullet + " " if ln.bullet else "") + ln.text)
    return "\n".join(out)


def title_guess(first_page: Sequence[Line]) -> str:
    if not first_page:
        return ""
    largest = max(ln.size for ln in first_page)
    title_lines = [ln.text for ln in first_page if ln.size >= largest - 0.5]
    return " ".join(title_lines)[:200]
