"""Tables and boxes from a page's graphics: ruled grids become rows of cells, filled panels boxes.

Reports set recommendations in tables (Nr. | Aanbeveling | Gericht aan), the college's answer
in a table (Aanbeveling | Reactie college | Nawoord) and key messages in coloured boxes. Read as
running text, a table's cells on one baseline merge into one line and a row falls apart; here
the rules that every producer draws (thin filled rectangles or stroked lines) give the grid,
and text falls into cells by position. A grid with only horizontal rules (booktabs style)
takes its columns from the white space that runs through all its lines.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

_RULE_THICKNESS = 2.5
_MIN_RULE = 8.0
_SNAP = 2.5


class Positioned(Protocol):
    @property
    def x0(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def x1(self) -> float: ...
    @property
    def bottom(self) -> float: ...


@dataclass(frozen=True)
class Rect:
    """A filled or stroked rectangle on the page, top-left origin."""

    x0: float
    top: float
    x1: float
    bottom: float
    fill: tuple[float, ...] | None = None
    """Fill colour (RGB 0–1) where the rectangle is filled and the colour is known."""

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def encloses(self, item: Positioned) -> bool:
        """Whether the item lies wholly inside (a point of slack): text set in a box."""
        return self.x0 - 1 <= item.x0 and item.x1 <= self.x1 + 1 and self.top - 1 <= item.top and item.bottom <= self.bottom + 1

    def contains_line(self, bbox: tuple[float, float, float, float]) -> bool:
        cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
        return self.x0 - 1 <= cx <= self.x1 + 1 and self.top - 1 <= cy <= self.bottom + 1

    @property
    def is_hrule(self) -> bool:
        return self.height <= _RULE_THICKNESS and self.width >= _MIN_RULE

    @property
    def is_vrule(self) -> bool:
        return self.width <= _RULE_THICKNESS and self.height >= _MIN_RULE

    @property
    def is_panel(self) -> bool:
        return self.width >= 4 * _MIN_RULE and self.height >= _MIN_RULE * 1.5


@dataclass(frozen=True)
class Grid:
    """A table's cell boundaries: column edges left to right, row edges top to bottom."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    by_start: bool = False
    """Columns found from text alignment (no rules): cells are assigned by where text starts."""

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, item: Positioned, slack: float = 1.0) -> bool:
        cx, cy = (item.x0 + item.x1) / 2, (item.top + item.bottom) / 2
        x0, top, x1, bottom = self.bbox
        return x0 - slack <= cx <= x1 + slack and top - slack <= cy <= bottom + slack

    def cell_of(self, item: Positioned) -> tuple[int, int]:
        cx, cy = (item.x0 + item.x1) / 2, (item.top + item.bottom) / 2
        if self.by_start:  # borderless: left-aligned columns, a fragment belongs where it starts
            cx = item.x0 + 2
        col = max(0, min(len(self.xs) - 2, sum(1 for x in self.xs[1:-1] if cx > x)))
        row = max(0, min(len(self.ys) - 2, sum(1 for y in self.ys[1:-1] if cy > y)))
        return row, col


# --------------------------------------------------------------------------------------
# Reading the graphics


def pdfium_rects(page, height: float | None = None) -> list[Rect]:  # type: ignore[no-untyped-def]
    """Bounds of the page's path objects (rules are thin rectangles or lines), top down in the page's own
    space, whose `height` differs from pdfium's page height on a page with /Rotate 90 or 270."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height() if height is None else height
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    rects: list[Rect] = []
    path_type = pdfium_c.FPDF_PAGEOBJ_PATH
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != path_type:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        segments = pdfium_c.FPDFPath_CountSegments(obj)
        if segments > 12 and not (segments <= 24 and _rounded_box(obj, (left.value, bottom.value, right.value, top.value))):
            continue  # curves, logos, charts: not rules (a box with rounded corners is still a box)
        fill = _fill_of(obj)
        frame = _even_odd_frame(obj, height) if fill is not None else None
        if frame is not None:
            rects.extend(Rect(*strip, fill) for strip in frame)
            continue
        box = _clipped((left.value, height - top.value, right.value, height - bottom.value), obj, height)
        if box is not None:
            rects.append(Rect(*box, fill))
    return rects


def _clipped(box: tuple[float, float, float, float], obj, height: float) -> tuple[float, float, float, float] | None:  # type: ignore[no-untyped-def]
    """A path's bounds within its clipping path: Chromium (Skia) draws each side of a CSS border as the whole box
    clipped to that side's strip, so the painted part is a rule, not the box. None when nothing is painted."""
    import pypdfium2.raw as pdfium_c

    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return box
    x0, top, x1, bottom = box
    x, y = ctypes.c_float(), ctypes.c_float()
    for path in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for index in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, path)):
            segment = pdfium_c.FPDFClipPath_GetPathSegment(clip, path, index)
            if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                xs.append(x.value)
                ys.append(height - y.value)
        if xs:
            x0, x1 = max(x0, min(xs)), min(x1, max(xs))
            top, bottom = max(top, min(ys)), min(bottom, max(ys))
    if x1 - x0 < 0.05 or bottom - top < 0.05:
        return None
    return x0, top, x1, bottom


def _path_points(obj) -> list[tuple[int, float, float]] | None:  # type: ignore[no-untyped-def]
    """(segment type, x, y) of every point a path passes, in page space (its matrix applied, y up); None when
    pdfium gives no matrix or a point."""
    import pypdfium2.raw as pdfium_c

    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    points = []
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            return None
        points.append((pdfium_c.FPDFPathSegment_GetType(segment),
                       matrix.a * x.value + matrix.c * y.value + matrix.e, matrix.b * x.value + matrix.d * y.value + matrix.f))
    return points


def _rounded_box(obj, bounds: tuple[float, float, float, float]) -> bool:  # type: ignore[no-untyped-def]
    """Whether a path is a rectangle with rounded corners (a box Typst, CSS border-radius or Word draw): every
    point it passes lies near its bounds' edges and the corners are small, unlike a chart's or logo's curves."""
    x0, y0, x1, y1 = bounds
    width, height = x1 - x0, y1 - y0
    if width < 4 * _MIN_RULE or height < 1.5 * _MIN_RULE:
        return False
    reach = max(2.0, min(12.0, 0.25 * min(width, height)))
    points = _path_points(obj)
    return points is not None and all(min(px - x0, x1 - px, py - y0, y1 - py) <= reach for _, px, py in points)


def _even_odd_frame(obj, height: float) -> list[tuple[float, float, float, float]] | None:  # type: ignore[no-untyped-def]
    """A border drawn as two nested rectangles filled even-odd (WeasyPrint draws CSS borders so): only the strips
    between them are painted — a rule under a heading, a bar beside a box — not the box the path's bounds
    give. None for any other path."""
    import pypdfium2.raw as pdfium_c

    mode, stroke = ctypes.c_int(), ctypes.c_int()
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count not in (8, 10) or not pdfium_c.FPDFPath_GetDrawMode(obj, mode, stroke) \
            or mode.value != pdfium_c.FPDF_FILLMODE_ALTERNATE:
        return None
    points = _path_points(obj)
    if points is None:
        return None
    shapes: list[list[tuple[float, float]]] = []
    for kind, px, py in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            shapes.append([])
        elif kind != pdfium_c.FPDF_SEGMENT_LINETO or not shapes:
            return None
        shapes[-1].append((px, height - py))
    if len(shapes) != 2:
        return None
    boxes = []
    for corners in shapes:
        xs, ys = sorted({round(p[0], 2) for p in corners}), sorted({round(p[1], 2) for p in corners})
        if len(xs) != 2 or len(ys) != 2:
            return None  # not an axis-aligned rectangle
        boxes.append((xs[0], ys[0], xs[1], ys[1]))
    outer, inner = sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)
    if not (outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]):
        return None
    strips = [(outer[0], outer[1], outer[2], inner[1]), (outer[0], inner[3], outer[2], outer[3]),
              (outer[0], inner[1], inner[0], inner[3]), (inner[2], inner[1], outer[2], inner[3])]
    return [s for s in strips if s[2] - s[0] > 0.05 and s[3] - s[1] > 0.05]


def _fill_of(obj) -> tuple[float, ...] | None:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as pdfium_c

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke) or not fill_mode.value:
        return None
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


def plumber_rects(page) -> list[Rect]:  # type: ignore[no-untyped-def]
    def fill(o) -> tuple[float, ...] | None:  # type: ignore[no-untyped-def]
        colour = o.get("non_stroking_color")
        if not o.get("fill") or not isinstance(colour, (tuple, list)) or len(colour) not in (1, 3):
            return None
        return tuple(round(float(c), 3) for c in (colour * 3 if len(colour) == 1 else colour))

    return [Rect(float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]), fill(o))
            for o in [*page.rects, *page.lines]]


def _same_colour(a: Rect, b: Rect) -> bool:
    return a.fill is not None and b.fill is not None and all(abs(x - y) <= 0.01 for x, y in zip(a.fill, b.fill))


def _visible_fills(filled: Sequence[Rect]) -> list[Rect]:
    """Fills painted over a larger fill of the same colour show nothing of their own: AbiWord
    shades a box and then each line inside it again. Only the outer shape counts."""
    return [r for r in filled if not any(
        o is not r and _same_colour(o, r) and o.x0 <= r.x0 + 0.5 and o.x1 >= r.x1 - 0.5 and o.top <= r.top + 0.5
        and o.bottom >= r.bottom - 0.5 and o.width * o.height > r.width * r.height for o in filled)]


def _merge_stacked_fills(filled: Sequence[Rect]) -> list[Rect]:
    """Bands of one colour stacked over the same span are one shape: a producer that paints a
    table cell line by line (fpdf2) draws one band per text line, and the seams between them are
    not row edges. A change of colour (zebra rows) still is."""
    merged: list[Rect] = []
    for rect in sorted(filled, key=lambda r: (round(r.x0), round(r.x1), r.top)):
        last = merged[-1] if merged else None
        if (last is not None and rect.fill is not None and last.fill is not None
                and all(abs(a - b) <= 0.01 for a, b in zip(rect.fill, last.fill))
                and abs(rect.x0 - last.x0) <= _SNAP and abs(rect.x1 - last.x1) <= _SNAP
                and -_SNAP <= rect.top - last.bottom <= _SNAP):
            merged[-1] = replace(last, bottom=max(last.bottom, rect.bottom))
            continue
        merged.append(rect)
    return merged


# --------------------------------------------------------------------------------------
# Grids


def _snap(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= _SNAP:
            continue
        out.append(value)
    return out


def _clusters(rules: Sequence[Rect]) -> list[list[Rect]]:
    """Rules that touch each other (within a few points) form one table."""
    groups: list[list[Rect]] = []
    boxes: list[list[float]] = []
    for rule in sorted(rules, key=lambda r: (r.top, r.x0)):
        placed = None
        for index, box in enumerate(boxes):
            if rule.x0 <= box[2] + _SNAP and rule.x1 >= box[0] - _SNAP and rule.top <= box[3] + 30 and rule.bottom >= box[1] - _SNAP:
                placed = index
                break
        if placed is None:
            groups.append([rule])
            boxes.append([rule.x0, rule.top, rule.x1, rule.bottom])
        else:
            groups[placed].append(rule)
            box = boxes[placed]
            box[:] = [min(box[0], rule.x0), min(box[1], rule.top), max(box[2], rule.x1), max(box[3], rule.bottom)]
    # Rules met in another order can leave one table in two clusters (a cell's vertical rule that begins a hair
    # above the top rule was met before the rule that joins it to the others): clusters whose boxes touch are one.
    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                a, b = boxes[i], boxes[j]
                if b[0] <= a[2] + _SNAP and b[2] >= a[0] - _SNAP and b[1] <= a[3] + _SNAP and b[3] >= a[1] - _SNAP:
                    groups[i].extend(groups.pop(j))
                    other = boxes.pop(j)
                    a[:] = [min(a[0], other[0]), min(a[1], other[1]), max(a[2], other[2]), max(a[3], other[3])]
                    merged = True
                    break
            if merged:
                break
    return groups


def _breakpoints(group: Sequence[Rect]) -> tuple[float, ...]:
    """Inner column edges a cluster of rules shows: where horizontal rule segments meet, and
    where vertical rules stand (a table drawn cell by cell has them; a heading underline not)."""
    x0 = min(r.x0 for r in group)
    x1 = max(r.x1 for r in group)
    edges = [r.x0 for r in group if r.is_hrule] + [r.x1 for r in group if r.is_hrule]
    edges += [(r.x0 + r.x1) / 2 for r in group if r.is_vrule]
    return tuple(_snap([e for e in edges if x0 + _SNAP < e < x1 - _SNAP]))


def _same_span(a: Sequence[Rect], b: Sequence[Rect]) -> bool:
    return abs(min(r.x0 for r in a) - min(r.x0 for r in b)) <= _SNAP and abs(max(r.x1 for r in a) - max(r.x1 for r in b)) <= _SNAP


def _merge_aligned(groups: list[list[Rect]], fragments: Sequence[Positioned]) -> list[list[Rect]]:
    """Clusters one above the other with the same inner column edges are one table whose rows are
    too tall (or unruled) to touch: a zebra table with a rule under each row. Text between them
    that runs across a column edge is running text: then they are two tables."""
    groups = sorted(groups, key=lambda g: min(r.top for r in g))
    merged: list[list[Rect]] = []
    for group in groups:
        points = _breakpoints(group)
        last_points = _breakpoints(merged[-1]) if merged else ()
        if merged and last_points and len(group) == 1 and group[0].is_hrule and not _same_span(group, merged[-1]) \
                and min(r.x0 for r in merged[-1]) - _SNAP <= group[0].x0 and group[0].x1 <= max(r.x1 for r in merged[-1]) + _SNAP \
                and any(abs(group[0].x0 - p) <= 2 * _SNAP or abs(group[0].x1 - p) <= 2 * _SNAP for p in last_points):
            # A rule under some columns only (LaTeX's \cline): it divides the cells of a row whose other cells
            # run on (a conclusion beside two recommendations), and the table goes on below it.
            merged[-1].append(group[0])
            continue
        if merged and not points and last_points and _same_span(group, merged[-1]):
            # A plain rule under the last row of a table whose header shows the columns — when what stands
            # between is a row (text in two or more columns), not a heading underlined after the table.
            top, bottom = max(r.bottom for r in merged[-1]), min(r.top for r in group)
            between = {sum(1 for p in last_points if (f.x0 + f.x1) / 2 > p) for f in fragments
                       if top - 1 <= (f.top + f.bottom) / 2 <= bottom + 1}
            if len(between) >= 2:
                points = last_points
        if merged and points and len(points) >= 1:
            last = merged[-1]
            gap = min(r.top for r in group) - max(r.bottom for r in last)
            same = len(points) == len(last_points) and all(abs(a - b) <= _SNAP for a, b in zip(points, last_points))
            top, bottom = max(r.bottom for r in last), min(r.top for r in group)
            crossing = any(top - 1 <= (f.top + f.bottom) / 2 <= bottom + 1
                           and any(f.x0 < p - _SNAP and f.x1 > p + _SNAP for p in points) for f in fragments)
            if same and gap <= 250 and not crossing:
                last.extend(group)
                continue
        merged.append(list(group))
    return merged


def _text_columns(fragments: Sequence[Positioned], x0: float, x1: float) -> list[float]:
    """Column edges from the white space that no fragment in the region covers (≥ 9 pt wide)."""
    width = int(x1 - x0) + 1
    if width <= 0:
        return [x0, x1]
    covered = [False] * width
    for frag in fragments:
        for x in range(max(0, int(frag.x0 - x0)), min(width, int(frag.x1 - x0) + 1)):
            covered[x] = True
    edges = [x0]
    run_start = None
    for x in range(width):
        if not covered[x]:
            if run_start is None:
                run_start = x
        else:
            if run_start is not None and x - run_start >= 9 and run_start > 0:
                edges.append(x0 + (run_start + x) / 2)
            run_start = None
    edges.append(x1)
    return edges


def _touch(a: Rect, b: Rect) -> bool:
    """Two filled rectangles that share an edge (side by side or stacked): cells of one table."""
    overlap_y = min(a.bottom, b.bottom) - max(a.top, b.top) > 2
    overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0) > 2
    # Cells drawn as boxes a little wider than their column overlap their neighbour by a sliver.
    side_by_side = overlap_y and (abs(a.x1 - b.x0) <= _SNAP or abs(b.x1 - a.x0) <= _SNAP
                                  or a.x0 < b.x0 < a.x1 <= b.x0 + _SLIVER < b.x1 or b.x0 < a.x0 < b.x1 <= a.x0 + _SLIVER < a.x1)
    stacked = (abs(a.bottom - b.top) <= _SNAP or abs(b.bottom - a.top) <= _SNAP) and overlap_x
    return side_by_side or stacked


def _edges(rect: Rect) -> list[Rect]:
    t = 0.5
    return [Rect(rect.x0, rect.top - t, rect.x1, rect.top + t), Rect(rect.x0, rect.bottom - t, rect.x1, rect.bottom + t),
            Rect(rect.x0 - t, rect.top, rect.x0 + t, rect.bottom), Rect(rect.x1 - t, rect.top, rect.x1 + t, rect.bottom)]


def _running_text_columns(fragments: Sequence[Positioned], xs: Sequence[float]) -> bool:
    """Two or more columns of running text (lines that fill their column, many of them) between
    rules: a two-column page, not a table."""
    full_columns = 0
    for left, right in zip(xs, xs[1:]):
        lines: dict[int, list[float]] = {}
        for frag in fragments:
            if left <= (frag.x0 + frag.x1) / 2 <= right:
                extent = lines.setdefault(round(frag.top), [frag.x0, frag.x1])
                extent[0], extent[1] = min(extent[0], frag.x0), max(extent[1], frag.x1)
        widths = sorted(e[1] - e[0] for e in lines.values())
        if len(widths) >= 8 and widths[len(widths) // 2] >= 0.8 * (right - left - 12):
            full_columns += 1
    return full_columns >= 2


def find_grids(rects: Sequence[Rect], fragments: Sequence[Positioned]) -> list[Grid]:
    """Ruled tables on a page: at least three horizontal rules stacked over the same span (or two
    with vertical rules between them), with text inside."""
    rules = [r for r in rects if r.is_hrule or r.is_vrule]
    # Cells or rows drawn as filled rectangles (shaded tables) give their edges as rules; a lone
    # box is not a table, so only panels that touch another panel count.
    filled = [r for r in _visible_fills(_merge_stacked_fills([r for r in rects if r.width >= _MIN_RULE
                                                              and (r.height >= _MIN_RULE or r.fill is not None)]))
              if r.height >= _MIN_RULE]
    for rect in filled:
        if any(o is not rect and _touch(rect, o) for o in filled):
            rules.extend(_edges(rect))
    grids: list[Grid] = []
    for group in _merge_aligned(_clusters(rules), fragments):
        horizontal = [r for r in group if r.is_hrule]
        # A vertical rule that meets no horizontal one is a column rule between running text or a quote's bar.
        vertical = [v for v in group if v.is_vrule and any(
            h.x0 - _SNAP <= (v.x0 + v.x1) / 2 <= h.x1 + _SNAP and v.top - _SNAP <= (h.top + h.bottom) / 2 <= v.bottom + _SNAP
            for h in horizontal)]
        ys = _snap([(r.top + r.bottom) / 2 for r in horizontal])
        if not horizontal:
            continue
        x0 = min(r.x0 for r in group)
        x1 = max(r.x1 for r in group)
        if vertical:
            ys = _snap([*ys, *(r.top for r in vertical), *(r.bottom for r in vertical)])
        if len(ys) < 2 or (len(ys) < 3 and not vertical):
            continue
        inside = [f for f in fragments if x0 - 1 <= (f.x0 + f.x1) / 2 <= x1 + 1 and ys[0] - 1 <= (f.top + f.bottom) / 2 <= ys[-1] + 1]
        if not inside:
            continue
        xs = _snap([x0, x1, *((r.x0 + r.x1) / 2 for r in vertical)]) if vertical else []
        if len(xs) < 3:  # no inner column rules: columns from the white space through the rows
            xs = _text_columns(inside, x0, x1)
            if _running_text_columns(inside, xs):
                continue
        # Rules that cut through text (a quote's bar beside running text) divide no rows; a rule under some
        # columns only is judged by the text it runs under (a merged cell's label centred beside it is not cut).
        spans = {y: [(r.x0, r.x1) for r in horizontal if abs((r.top + r.bottom) / 2 - y) <= _SNAP] or [(x0, x1)]
                 for y in ys}
        ys = [y for y in ys if y in (ys[0], ys[-1]) or not any(
            f.top < y - 1.5 and f.bottom > y + 1.5 and any(f.x0 < b and f.x1 > a for a, b in spans[y]) for f in inside)]
        bands_with_text = {sum(1 for y in ys[1:-1] if (f.top + f.bottom) / 2 > y) for f in inside}
        if len(bands_with_text) == 1 and _running_text_columns(inside, xs):
            continue  # a column rule between two columns of running text (CSS column-rule)
        if len(xs) < 3:  # one column: a framed paragraph, not a table
            continue
        xs = _without_slivers(xs, inside)
        # A rule far under the table with nothing between (a footer rule) adds no row.
        while len(ys) > 2 and not any(ys[-2] <= (f.top + f.bottom) / 2 <= ys[-1] for f in inside):
            ys.pop()
        grids.append(Grid(tuple(xs), tuple(_with_unruled_last_row(xs, ys, fragments))))
    return grids


_SLIVER = 12.0


def _without_slivers(xs: Sequence[float], fragments: Sequence[Positioned]) -> list[float]:
    """Column edges without the slivers between cells drawn as separate, overlapping boxes (each
    cell a framed box of its own, a little wider than its column): a column only a few points wide
    that holds no text of its own is the overlap, and the column edge is the box on its left —
    where the next cell's text starts."""
    out = [xs[0]]
    index = 1
    while index < len(xs):
        x = xs[index]
        if index < len(xs) - 1 and index > 0 and x - out[-1] >= _SLIVER and xs[index + 1] - x < _SLIVER \
                and not any(f.x0 >= x - 1 and f.x1 <= xs[index + 1] + 1 for f in fragments):
            out.append(x)
            index += 2
            continue
        out.append(x)
        index += 1
    return out


def _with_unruled_last_row(xs: Sequence[float], ys: Sequence[float], fragments: Sequence[Positioned]) -> list[float]:
    """A table ruled only above its rows (a top border on every cell) has no rule under its last
    row. Text right under the last rule — no further from it than the text of the rows above is
    from theirs, in two or more columns, crossing no column edge — is that row."""
    x0, x1, inner = xs[0], xs[-1], xs[1:-1]

    def within(frag: Positioned) -> bool:
        return x0 - 1 <= frag.x0 and frag.x1 <= x1 + 1

    paddings = []
    for top, bottom in zip(ys, ys[1:]):
        tops = [f.top for f in fragments if within(f) and top - 1 <= f.top and f.bottom <= bottom + 1]
        if tops:
            paddings.append(min(tops) - top)
    below = _baselines([f for f in fragments if f.top >= ys[-1] - 1 and (f.x0 < x1 and f.x1 > x0)])
    if not paddings or not below or min(f.top for f in below[0]) - ys[-1] > max(paddings) + 2:
        return list(ys)
    row: list[Positioned] = []
    bottom = ys[-1]
    for line in below:
        top = min(f.top for f in line)
        height = statistics.median(f.bottom - f.top for f in line)
        if row and top - bottom > 0.5 * height:
            break
        if not all(within(f) for f in line) or any(f.x0 < e - 3 < f.x1 - 3 for f in line for e in inner):
            break
        row.extend(line)
        bottom = max(bottom, max(f.bottom for f in line))
    columns = {sum(1 for e in inner if f.x0 + 2 > e) for f in row}
    return [*ys, bottom + 1] if len(columns) >= 2 else list(ys)


def panels(rects: Sequence[Rect], fragments: Sequence[Positioned], page_width: float = 0.0) -> list[Rect]:
    """Filled rectangles with text inside: boxes ("AANBEVELING 3" in a coloured frame)."""
    found = []
    for rect in _merge_stacked_fills([r for r in rects if r.fill is not None]) + [r for r in rects if r.fill is None]:
        if not rect.is_panel:
            continue
        inside = [f for f in fragments if rect.encloses(f)]
        white = rect.fill is not None and min(rect.fill) >= 0.98
        if inside and not (white and rect.width >= 0.85 * page_width and len(inside) >= 0.8 * len(fragments)):
            found.append(rect)  # (a white sheet as wide as the page that holds most of its text: a web page's body)
    # Nested panels (a box and its header band): keep the outer one.
    return [r for r in found if not any(o is not r and o.x0 <= r.x0 + 1 and o.x1 >= r.x1 - 1 and o.top <= r.top + 1
                                        and o.bottom >= r.bottom - 1 and (o.width * o.height > r.width * r.height) for o in found)]


# --------------------------------------------------------------------------------------
# Borderless tables: a header row of column labels, and text aligned under it

_HEADER_LABEL = re.compile(
    r"^(nr\.?|nummer|aanbeveling(en)?|conclusies?|bevinding(en)?|reactie(\s+van)?(\s+het)?(\s+college)?|"
    r"standpunt(\s+(van\s+)?(het\s+)?college)?|nawoord(\s+(van\s+)?(de\s+)?rekenkamer\w*)?|gericht\s+aan|toelichting|norm|oordeel)$",
    re.I,
)


def _line_groups(line: Sequence[Positioned], gap: float) -> list[list[Positioned]]:
    """A line's fragments split where white space of at least `gap` points separates them."""
    groups: list[list[Positioned]] = []
    for frag in sorted(line, key=lambda f: f.x0):
        if groups and frag.x0 - max(f.x1 for f in groups[-1]) < gap:
            groups[-1].append(frag)
        else:
            groups.append([frag])
    return groups


def _baselines(fragments: Sequence[Positioned]) -> list[list[Positioned]]:
    """Fragments grouped by the line they sit on, however far apart (a table row's cells)."""
    rows: list[list[Positioned]] = []
    for frag in sorted(fragments, key=lambda f: (f.top, f.x0)):
        middle = (frag.top + frag.bottom) / 2
        if rows and min(f.top for f in rows[-1]) - 1 <= middle <= max(f.bottom for f in rows[-1]) + 1:
            rows[-1].append(frag)
        else:
            rows.append([frag])
    return rows


_NUMBERED_ENTRY = re.compile(r"^\s*(\d{1,2}[.)]?|aanbeveling\s+\d{1,2})(\s|$)", re.I)


_LABEL_START = re.compile(r"^\s*(nr|nummer|aanbeveling|conclusie|bevinding|reactie|standpunt|nawoord|gericht|toelichting|norm|oordeel)", re.I)


def _size(fragment: Positioned) -> float:
    """A fragment's type size where it has one (extraction's fragments do)."""
    return float(getattr(fragment, "size", 0.0))


def _header_columns(lines: Sequence[Sequence[Positioned]],
                    text_of: Callable[[Sequence[Positioned]], str]) -> list[list[Positioned]] | None:
    """The column labels of a header row, or None. A header may take several lines: a label that
    wraps ("Gericht / aan") or labels centred beside it; each column's label is read top down."""
    fragments = [f for line in lines for f in line]
    groups = _line_groups(fragments, 12.0)
    if len(groups) < 2:
        return None
    labels = [" ".join(text_of(part).strip() for part in _baselines(g)) for g in groups]
    return groups if all(_HEADER_LABEL.match(label) for label in labels) else None


def _find_header(ordered: Sequence[Sequence[Positioned]], index: int,
                 text_of: Callable[[Sequence[Positioned]], str]) -> tuple[int, list[list[Positioned]]] | None:
    """The header starting at line `index`: its number of lines and its columns. The lines of a
    header overlap one another vertically (a wrapped label sits beside a centred one)."""
    if not any(_LABEL_START.match(getattr(f, "text", "")) for f in ordered[index]):
        return None  # no column label starts on this line (most lines: a quick no)
    for span in (3, 2, 1):
        lines = ordered[index:index + span]
        if len(lines) < span:
            continue
        # Lines of one header overlap (a label centred beside a wrapped one) or follow closely (a
        # label wrapped in a top-aligned cell).
        overlapping = all(min(f.top for f in lower) - max(f.bottom for f in upper)
                          < 0.3 * statistics.median(f.bottom - f.top for f in upper)
                          for upper, lower in zip(lines, lines[1:]))
        columns = _header_columns(lines, text_of) if overlapping else None
        if columns:
            return span, columns
    return None


def _column_starts(labels: Sequence[Sequence[Positioned]], body: Sequence[Sequence[Positioned]]) -> list[float]:
    """Where each column's text starts. A label may be centred over its column, so the body text
    that starts after the previous label and before this label ends can start further left."""
    spans = [(min(f.x0 for f in g), max(f.x1 for f in g)) for g in labels]
    body_starts = [min(f.x0 for f in g) for line in body for g in _line_groups(line, 12.0)]
    starts = [min([spans[0][0], *(x for x in body_starts if x <= spans[0][1])])]
    for (_, previous_end), (label_start, label_end) in zip(spans, spans[1:]):
        starts.append(min([label_start, *(x for x in body_starts if previous_end < x <= label_end + 3)]))
    return starts


def _row_bands(lines: Sequence[Sequence[Positioned]]) -> list[list[Positioned]]:
    """The table's text in bands separated by more white space than lies between the lines of
    one cell (the cell padding between rows); a centred row number joins its row's lines."""
    fragments = sorted((f for line in lines for f in line), key=lambda f: f.top)
    if not fragments:
        return []
    tolerance = 0.4 * statistics.median(f.bottom - f.top for f in fragments)
    bands: list[list[Positioned]] = []
    bottom = float("-inf")
    for frag in fragments:
        if bands and frag.top <= bottom + tolerance:
            bands[-1].append(frag)
            bottom = max(bottom, frag.bottom)
        else:
            bands.append([frag])
            bottom = frag.bottom
    return bands


def find_aligned_tables(fragments: Sequence[Positioned], text_of: Callable[[Sequence[Positioned]], str],
                        right_edge: float) -> list[Grid]:
    """Tables drawn without rules: a header of two or more column labels ("Aanbeveling  Reactie
    college  Nawoord rekenkamer"), then lines whose text starts under those labels. The table
    ends at a line that runs across a column edge or after a wide vertical gap. Rows are the
    bands between the cell padding when every band holds one numbered entry, otherwise they
    start where the first column starts a numbered entry."""
    grids: list[Grid] = []
    ordered = _baselines(fragments)
    index = 0
    while index < len(ordered):
        header = _find_header(ordered, index, text_of)
        if header is None:
            index += 1
            continue
        span, labels = header
        header_fragments = [f for line in ordered[index:index + span] for f in line]
        top = min(f.top for f in header_fragments)
        bottom = max(f.bottom for f in header_fragments)
        pitch = max(statistics.median(f.bottom - f.top for f in header_fragments), 6.0)
        first = index + span
        first_gap = min(f.top for f in ordered[first]) - bottom if first < len(ordered) else 0.0
        # The space between header and first row is the cell padding: rows are as far apart.
        widest_gap = max(2.2 * pitch, 1.25 * first_gap) if first_gap <= 4 * pitch else 2.2 * pitch
        candidates: list[list[Positioned]] = []
        previous_bottom = bottom
        for line in ordered[first:]:
            if min(f.top for f in line) - previous_bottom > widest_gap:
                break
            candidates.append(line)
            previous_bottom = max(f.bottom for f in line)
        starts = _column_starts(labels, candidates)
        row_tops = [top]
        previous_bottom = bottom
        end = first
        cell_size = statistics.median(_size(f) for f in candidates[0]) if candidates else 0.0
        for line in candidates:
            crosses = any(f.x0 < s - 3 < f.x1 - 3 for f in line for s in starts[1:])
            if crosses or min(f.x0 for f in line) < starts[0] - 3:
                break
            if cell_size and all(abs(_size(f) - cell_size) > 0.6 for f in line):
                break  # a heading or a note in another type size after the table ("Noten")
            in_first = [f for f in line if f.x0 < starts[1] - 3]
            if in_first and _NUMBERED_ENTRY.match(text_of(in_first)):
                row_tops.append(min(f.top for f in line))
            previous_bottom = max(f.bottom for f in line)
            end += 1
        bands = _row_bands(ordered[first:end])
        if len(bands) >= 2 and all(
            _NUMBERED_ENTRY.match(" ".join(text_of(part) for part in _baselines([f for f in band if f.x0 < starts[1] - 3])))
            for band in bands
        ):
            row_tops = [top, *(min(f.top for f in band) for band in bands)]
        if end - first >= 2 and len(row_tops) >= 2:
            ys = (top - 1, *(t - 1 for t in row_tops[1:]), previous_bottom + 1)
            grids.append(Grid(tuple([starts[0] - 1, *starts[1:], right_edge]), tuple(ys), by_start=True))
        index = max(end, index + 1)
    return grids
