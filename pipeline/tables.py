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


def pdfium_rects(page) -> list[Rect]:  # type: ignore[no-untyped-def]
    """Bounds of the page's path objects (rules are thin rectangles or lines)."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    rects: list[Rect] = []
    path_type = pdfium_c.FPDF_PAGEOBJ_PATH
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != path_type:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        if pdfium_c.FPDFPath_CountSegments(obj) > 12:  # curves, logos, charts: not rules
            continue
        rects.append(Rect(left.value, height - top.value, right.value, height - bottom.value, _fill_of(obj)))
    return rects


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
        if merged and not points and last_points and _same_span(group, merged[-1]):
            points = last_points  # a plain rule under the last row of a table whose header shows the columns
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
    side_by_side = (abs(a.x1 - b.x0) <= _SNAP or abs(b.x1 - a.x0) <= _SNAP) and overlap_y
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
        vertical = [r for r in group if r.is_vrule]
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
        bands_with_text = {sum(1 for y in ys[1:-1] if (f.top + f.bottom) / 2 > y) for f in inside}
        if len(bands_with_text) == 1 and _running_text_columns(inside, xs):
            continue  # a column rule between two columns of running text (CSS column-rule)
        if len(xs) < 3:  # one column: a framed paragraph, not a table
            continue
        grids.append(Grid(tuple(xs), tuple(ys)))
    return grids


def panels(rects: Sequence[Rect], fragments: Sequence[Positioned]) -> list[Rect]:
    """Filled rectangles with text inside: boxes ("AANBEVELING 3" in a coloured frame)."""
    found = []
    for rect in _merge_stacked_fills([r for r in rects if r.fill is not None]) + [r for r in rects if r.fill is None]:
        if not rect.is_panel:
            continue
        inside = [f for f in fragments if rect.x0 - 1 <= f.x0 and f.x1 <= rect.x1 + 1 and rect.top - 1 <= f.top and f.bottom <= rect.bottom + 1]
        if inside:
            found.append(rect)
    # Nested panels (a box and its header band): keep the outer one.
    return [r for r in found if not any(o is not r and o.x0 <= r.x0 + 1 and o.x1 >= r.x1 - 1 and o.top <= r.top + 1
                                        and o.bottom >= r.bottom - 1 and (o.width * o.height > r.width * r.height) for o in found)]


# --------------------------------------------------------------------------------------
# Borderless tables: a header row of column labels, and text aligned under it

_HEADER_LABEL = re.compile(
    r"^(nr\.?|nummer|aanbeveling(en)?|conclusies?|bevinding(en)?|reactie(\s+van)?(\s+het)?(\s+college)?|"
    r"standpunt(\s+college)?|nawoord(\s+rekenkamer\w*)?|gericht\s+aan|toelichting|norm|oordeel)$",
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


def find_aligned_tables(fragments: Sequence[Positioned], text_of: Callable[[Sequence[Positioned]], str],
                        right_edge: float) -> list[Grid]:
    """Tables drawn without rules: a line of two or more column labels ("Aanbeveling  Reactie
    college  Nawoord rekenkamer"), then lines whose text starts under those labels. The table
    ends at a line that runs across a column edge or after a wide vertical gap; rows start where
    the first column starts a numbered entry."""
    grids: list[Grid] = []
    ordered = _baselines(fragments)
    index = 0
    while index < len(ordered):
        groups = _line_groups(ordered[index], 12.0)
        labels = [text_of(g).strip() for g in groups]
        if len(groups) < 2 or not all(_HEADER_LABEL.match(label) for label in labels):
            index += 1
            continue
        starts = [min(f.x0 for f in g) for g in groups]
        top = min(f.top for f in ordered[index])
        bottom = max(f.bottom for f in ordered[index])
        row_tops = [top]
        previous_bottom = bottom
        pitch = max(bottom - top, 6.0)
        end = index + 1
        while end < len(ordered):
            line = ordered[end]
            line_top = min(f.top for f in line)
            if line_top - previous_bottom > 2.2 * pitch:
                break
            crosses = any(f.x0 < s - 3 < f.x1 - 3 for f in line for s in starts[1:])
            starts_left = min(f.x0 for f in line) >= starts[0] - 3
            if crosses or not starts_left:
                break
            first = [f for f in line if f.x0 < starts[1] - 3]
            if first and re.match(r"^\s*(\d{1,2}[.)]?|aanbeveling\s+\d{1,2})(\s|$)", text_of(first), re.I):
                row_tops.append(line_top)
            previous_bottom = max(f.bottom for f in line)
            end += 1
        if end - index >= 3 and len(row_tops) >= 2:
            ys = (top - 1, *(t - 1 for t in row_tops[1:]), previous_bottom + 1)
            grids.append(Grid(tuple([starts[0] - 1, *starts[1:], right_edge]), tuple(ys), by_start=True))
        index = end
    return grids
