"""Extraction: PDF → pages → lines → paragraphs, with page numbers and boxes.

Two engines read a page into *fragments* (runs of text in one font, with a box): `pdfium`
reads pdfium's text page through pypdfium2, characters with the spaces pdfium derives from the
font metrics, and `pdfplumber` groups pdfplumber's characters (the reference). Pages without a
text layer are read by OCR (`ocr`). Everything after that — lines, columns, tables, running
headers/footers, footnotes, hyphenation, headings, paragraphs — is the shared code in `layout`,
so both engines are measured on the same gold.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np

from .errors import (
    EmptyFile,
    EncryptedPDF,
    NotAPDF,
    NoTextLayer,
    TooLarge,
    UnreadablePDF,
)
from .layout import (
    Fragment,
    body_size,
    drop_running_lines,
    normalise,
    page_lines,
    page_text,
    paragraphs_from_lines,
    title_guess,
)
from .ocr import INSTALL_HINT, ocr_available, read_page
from .records import ExtractedDocument, Line, OutlineEntry, PageText
from .tables import Rect, pdfium_rects, plumber_rects

Engine = Literal["pdfium", "pdfplumber"]

_LINE_END_HYPHENS = "\ufffe\x02\xad"
"""How pdfium marks a hyphen at a line end (it also drops the line break after it)."""


# --------------------------------------------------------------------------------------
# Opening and validating the file


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_file(path: Path, max_mb: float) -> None:
    """Reject what is plainly not an ingestible PDF before any parser sees it."""
    if not path.exists():
        raise UnreadablePDF(str(path), "bestand niet gevonden", hint="controleer het pad")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(str(path))
    if size > max_mb * 1024 * 1024:
        raise TooLarge(str(path), f"{size / 1024 / 1024:.0f} MB, meer dan {max_mb:.0f} MB")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise NotAPDF(str(path))


_PDFIUM_PROBLEMS = {"format": "de opbouw van het bestand klopt niet", "file": "het bestand kon niet worden geopend",
                    "security": "een beveiliging die niet wordt ondersteund", "page": "een pagina is onleesbaar"}
"""PDFium's failures ("Failed to load document (PDFium: Data format error)") in plain Dutch, by a word of its
message; the first that occurs is said."""


def _open_pdfium(path: Path, max_pages: int):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise EncryptedPDF(str(path)) from None
        problem = next((said for word, said in _PDFIUM_PROBLEMS.items() if word in message), "")
        raise UnreadablePDF(str(path), problem) from None
    if len(pdf) == 0:
        pdf.close()
        raise UnreadablePDF(str(path), "geen pagina's")
    if len(pdf) > max_pages:
        count = len(pdf)
        pdf.close()
        raise TooLarge(str(path), f"{count} pagina's, meer dan {max_pages}")
    return pdf


# --------------------------------------------------------------------------------------
# Engines: page → fragments


def _is_bold_name(name: str) -> bool:
    lowered = name.lower()
    return any(tag in lowered for tag in ("bold", "black", "heavy", "semibold", "demi", ",bd", "-bd"))


_GENERIC_FONT_NAME = re.compile(r"^([A-Z]{6}\+)?(T3Font|Type3|Font|TT|F|T|R|C)?[_-]?\d*$", re.I)


def _is_bold(name: str, weight: int) -> bool:
    """The font's name says bold or not when it is a real name ("LiberationSerif" is regular
    whatever weight its descriptor claims: Ghostscript writes 904 for it); a generic name ("F1",
    a Type 3 font) leaves it to the weight."""
    if _is_bold_name(name):
        return True
    if name and not _GENERIC_FONT_NAME.match(name):
        return False
    return weight >= 600


_Style = tuple[float, bool, tuple[int, int, int] | None]
"""(size in points, bold, fill colour as 0–255 RGB or None) of a text object."""


def _pdfium_font_style(obj, cache: dict[int, _Style], name_buffer,  # type: ignore[no-untyped-def]
                       key: int = 0) -> _Style:
    """(size in points, bold, colour) of one text object: its font size times its matrix scale, the
    font's weight or name, and its fill colour. `key` is the object's address where the caller has it already."""
    import pypdfium2.raw as pdfium_c

    key = key or ctypes.cast(obj, ctypes.c_void_p).value or 0
    style = cache.get(key)
    if style is None:
        size = ctypes.c_float()
        pdfium_c.FPDFTextObj_GetFontSize(obj, size)
        matrix = pdfium_c.FS_MATRIX()
        scale = 1.0
        if pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
            scale = abs(matrix.d) or abs(matrix.b) or 1.0
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        weight = pdfium_c.FPDFFont_GetWeight(font) if font else -1
        name = ""
        if font:
            pdfium_c.FPDFFont_GetBaseFontName(font, name_buffer, 128)
            name = name_buffer.value.decode("latin-1", "replace")
        red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
        colour = ((red.value, green.value, blue.value)
                  if pdfium_c.FPDFPageObj_GetFillColor(obj, red, green, blue, alpha) else None)
        style = (round(size.value * scale, 2), _is_bold(name, weight), colour)
        cache[key] = style
    return style


_COLUMN_GAP_EMS = 3.0
"""White space inside one text object wider than this many ems separates two cells."""
_WORD_GAP_EMS = 0.25
"""A gap this many ems wide between two glyphs of one line is a word space, also where the PDF's
text has no space character there."""
_NO_GAP_EMS = 0.08
"""A space character with less room than this between its neighbours is no word space."""


def _box_filling(function):  # type: ignore[no-untyped-def]
    """A pdfium function `(handle, int, FS_RECTF*) -> bool` called with plain addresses: per character,
    the argument conversion of the typed binding cost more than the call."""
    prototype = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
    return prototype(ctypes.cast(function, ctypes.c_void_p).value)


def _address_returning(function):  # type: ignore[no-untyped-def]
    """A pdfium function `(handle, int) -> pointer` called through a prototype whose handle and result are
    plain addresses (ints), so its result needs no cast."""
    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
    return prototype(ctypes.cast(function, ctypes.c_void_p).value)


_MAX_TEXT_ANGLE = 0.2
"""Radians (about 11°): text turned further than this is read as margin furniture; a scan's skew stays below it."""


def _user_space_size(page) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Width and height of the page's own coordinate space, in which pdfium gives every box: for a page
    with /Rotate 90 or 270 pdfium's size is the turned one."""
    width, height = page.get_size()
    return (height, width) if page.get_rotation() in (90, 270) else (width, height)


def _text_frame(raw, count: int, object_address, raw_address: int, get_angle) -> int:  # type: ignore[no-untyped-def]
    """The quarter turn (0, 90, 180, 270, as pdfium measures a character's angle) in which most of the
    page's text runs. A table set sideways on a portrait page (LaTeX's sidewaystable) or a page whose
    content is drawn turned for a /Rotate (pdflscape) is read in its own frame; a running title up the
    margin is a minority and stays furniture. Sampled per text object, every few characters."""
    angles: list[float] = []
    seen: dict[int, float] = {}
    for i in range(0, count, max(3, count // 250)):  # a few hundred characters tell the direction of a page
        key = object_address(raw_address, i) or 0
        if key:
            if key not in seen:
                seen[key] = get_angle(raw, i)
            angles.append(seen[key])
    return dominant_frame(angles)


def dominant_frame(angles: Iterable[float]) -> int:
    """The quarter turn (0, 90, 180, 270) that over 60 % of these character angles (pdfium's radians, -1 for
    none) lie within `_MAX_TEXT_ANGLE` of; 0 when none does."""
    votes = [0, 0, 0, 0]
    for angle in angles:
        if angle >= 0:
            nearest = round(angle / (math.pi / 2)) % 4
            if abs(angle - nearest * math.pi / 2) <= _MAX_TEXT_ANGLE or nearest == 0 and 2 * math.pi - angle <= _MAX_TEXT_ANGLE:
                votes[nearest] += 1
    best = max(range(4), key=lambda q: votes[q])
    return 90 * best if best and votes[best] > 0.6 * sum(votes) else 0


def _to_frame(frame: int, width: float, height: float, left: float, bottom: float, right: float,
              top: float) -> tuple[float, float, float, float]:
    """A box in PDF space (y up) as (x0, top, x1, bottom) read in the text frame, top down."""
    if frame == 270:  # text running up the page: reading left to right is up, reading down is right
        return bottom, left, top, right
    if frame == 90:  # text running down the page
        return height - top, width - right, height - bottom, width - left
    if frame == 180:
        return width - right, bottom, width - left, top
    return left, height - top, right, height - bottom


def frame_rect(rect: Rect, frame: int, width: float, height: float) -> Rect:
    """A rule or fill (top-down page coordinates) in the text frame `_to_frame` reads the page in."""
    x0, top, x1, bottom = _to_frame(frame, width, height, rect.x0, height - rect.bottom, rect.x1, height - rect.top)
    return replace(rect, x0=x0, top=top, x1=x1, bottom=bottom)


def _pdfium_page_fragments(pdf, index: int) -> tuple[list[Fragment], float, float, list[Rect]]:  # type: ignore[no-untyped-def]
    """Read one page through pdfium's text page: the characters as pdfium orders them, with the
    spaces and line breaks pdfium itself derives from the font metrics (real space glyphs and
    the gaps it judges to be spaces). A fragment is a run of characters from one text object;
    it keeps the spaces that follow it, so words come out as the PDF's own text has them —
    letter-spaced, kerned or justified glyphs included."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    width, height = _user_space_size(page)
    textpage = page.get_textpage()
    raw = textpage.raw
    fragments: list[Fragment] = []
    try:
        rects = pdfium_rects(page, height)
        count = pdfium_c.FPDFText_CountChars(raw)
        if count <= 0:
            return fragments, width, height, rects
        buffer = (ctypes.c_ushort * (count + 1))()
        written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
        text = ctypes.string_at(buffer, max(0, written - 1) * 2).decode("utf-16-le", "replace")
        if len(text) != count:  # surrogate pairs or unmapped characters: read char by char
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(count))
        get_object = pdfium_c.FPDFText_GetTextObject
        # The same call returning the object's address as an int: it runs for every character, and turning
        # pypdfium2's typed pointer into an address (ctypes.cast) cost more than the call itself.
        object_address = _address_returning(get_object)
        raw_address = ctypes.cast(raw, ctypes.c_void_p).value
        get_box = pdfium_c.FPDFText_GetLooseCharBox
        rect = pdfium_c.FS_RECTF()
        styles: dict[int, _Style] = {}
        name_buffer = ctypes.create_string_buffer(128)
        run: list[str] = []
        run_object = None
        run_key = 0
        run_start = run_last = -1
        run_box = [0.0, 0.0, 0.0, 0.0]

        char_box = pdfium_c.FS_RECTF()
        previous_right = float("inf")
        previous_top = 0.0
        char_box_of = _box_filling(get_box)
        char_box_address = ctypes.addressof(char_box)
        run_style: _Style = (0.0, False, None)
        get_angle = pdfium_c.FPDFText_GetCharAngle
        rotated_objects: dict[int, bool] = {}
        frame = _text_frame(raw, count, object_address, raw_address or 0, get_angle)
        frame_angle = math.radians(frame)
        if frame:
            rects = [frame_rect(r, frame, width, height) for r in rects]
        no_gap, word_gap, column_gap = _NO_GAP_EMS * 10.0, _WORD_GAP_EMS * 10.0, _COLUMN_GAP_EMS * 10.0

        run_gaps: list[float] = []  # the gap before each non-space character of the run

        def flush(end: int) -> None:
            nonlocal run_object, run_key
            if run and run_object is not None:
                get_box(raw, run_last, rect)
                _, last_top, last_right, last_bottom = _to_frame(frame, width, height, rect.left, rect.bottom,
                                                                 rect.right, rect.top)
                size, bold, colour = run_style
                x0, top, bottom = run_box[0], run_box[1], run_box[3]
                fragments.append(Fragment(
                    text=repair_lost_ligatures(_without_letter_spacing("".join(run), run_gaps, size)), x0=x0, top=min(top, last_top), x1=max(last_right, x0),
                    bottom=max(bottom, last_bottom), size=size, bold=bold, start=run_start, end=end, colour=colour,
                ))
            run.clear()
            run_gaps.clear()
            run_object = None
            run_key = 0

        for i, ch in enumerate(text):
            if ch in "\r\n":
                flush(i)
                continue
            if ch in _LINE_END_HYPHENS:  # pdfium joins a word hyphenated at a line end; keep the break
                if run:
                    run.append("-")
                    run_last = i
                flush(i + 1)
                continue
            if ch.isspace() or ch == "\x00":
                if run:
                    run.append(" ")
                continue
            key = object_address(raw_address, i) or 0
            if not key:
                continue
            rotated = rotated_objects.get(key)
            if rotated is None:
                angle = get_angle(raw, i)
                off = abs(angle - frame_angle)
                rotated = rotated_objects[key] = angle >= 0 and min(off, 2 * math.pi - off) > _MAX_TEXT_ANGLE
            if rotated:
                continue  # a running title set up the margin, a watermark: furniture, not the page's text
            char_box_of(raw_address, i, char_box_address)
            if frame:
                c_left, c_top, c_right, c_bottom = _to_frame(frame, width, height, char_box.left, char_box.bottom,
                                                             char_box.right, char_box.top)
            else:
                c_left, c_top, c_right, c_bottom = char_box.left, height - char_box.top, char_box.right, height - char_box.bottom
            if frame and run and abs(c_top - previous_top) > 0.5 * (run_style[0] or 10.0):
                # pdfium breaks no lines in turned text: a glyph on another line ends the run
                flush(i)
            previous_top = c_top
            gap = c_left - previous_right
            if run and run[-1] == " " and gap < no_gap:
                run.pop()  # a space glyph the next letter is drawn over (groff's headings): no space
            # A new text object continues the run when nothing separates them (glyphs split
            # by kerning) and the style is the same; after a space it starts a new fragment.
            if run and run[-1] == " " and key == run_key and gap > column_gap:
                # One text object drawn across a table's columns (Ghostscript joins a row's cells
                # into one): a gap of several ems is a column edge, not a space.
                obj, style = run_object, run_style
                flush(i)
                run_object, run_style, run_start = obj, style, i
                run_box[:] = [c_left, c_top, c_right, c_bottom]
                run_key = key
            elif key != run_key:
                obj = get_object(raw, i)
                style = _pdfium_font_style(obj, styles, name_buffer, key)
                if not run or run[-1] == " " or style != run_style:
                    flush(i)
                    run_object, run_style, run_start = obj, style, i
                    em = style[0] or 10.0  # the gaps that matter, in this run's type size
                    no_gap, word_gap, column_gap = _NO_GAP_EMS * em, _WORD_GAP_EMS * em, _COLUMN_GAP_EMS * em
                    run_box[:] = [c_left, c_top, c_right, c_bottom]
                run_key = key
            if run and run[-1] != " " and gap > word_gap:
                # A word space the PDF's own text leaves out (justified lines distilled from
                # PostScript place words with no space glyph): a gap of a word space's width.
                run.append(" ")
            previous_right = c_right
            run.append(ch)
            run_gaps.append(gap)
            run_last = i
        flush(count)
    finally:
        textpage.close()
        page.close()
    if frame in (90, 270):
        width, height = height, width
    return _accents_as_emphasis(fragments), width, height, rects


def _accent(colour: tuple[int, int, int] | None) -> bool:
    """A colour that sets text apart: saturated, neither near black nor near white (grey captions are not)."""
    return colour is not None and max(colour) - min(colour) >= 60 and 40 <= max(colour) <= 245


def _accents_as_emphasis(fragments: list[Fragment]) -> list[Fragment]:
    """A short line wholly in an accent colour other than the page's own text colour reads as bold: a Word template
    may set its headings and labels in the body's font, size and weight, only in the house colour. A coloured word
    inside a line, or a coloured sentence, stays as it is."""
    weights: Counter[tuple[int, int, int] | None] = Counter()
    for fragment in fragments:
        weights[fragment.colour] += len(fragment.text)
    if len(weights) < 2:
        return fragments
    body = weights.most_common(1)[0][0]
    sizes: Counter[float] = Counter()
    for fragment in fragments:
        sizes[round(fragment.size, 1)] += len(fragment.text)
    body_size = sizes.most_common(1)[0][0]
    lines: dict[int, list[int]] = {}
    for index, fragment in enumerate(fragments):
        if abs(fragment.size - body_size) <= 0.15 * body_size:  # larger type has its size to set it apart
            lines.setdefault(round(fragment.bottom / 2), []).append(index)
    coloured = {key: members for key, members in lines.items()
                if all(fragments[i].colour != body and _accent(fragments[i].colour) for i in members)}

    def text_of(key: int) -> str:
        return " ".join(fragments[i].text.strip() for i in sorted(coloured[key], key=lambda i: fragments[i].x0))

    # a coloured passage (a question quoted over two lines, the second going on in lower case) is no heading
    keys = sorted(coloured)
    passage: set[int] = set()
    for above, below in zip(keys, keys[1:]):
        size = fragments[coloured[above][0]].size or 10.0
        if (below - above) * 2 <= 1.8 * size and text_of(below)[:1].islower():
            passage.update((above, below))
    emphasised: set[int] = set()
    for key, members in coloured.items():
        text = text_of(key)
        if key not in passage and len(text.split()) <= 10 and not text.rstrip().endswith((".", ",", ";", "?")):
            emphasised.update(members)
    return [replace(f, bold=True) if i in emphasised and not f.bold else f for i, f in enumerate(fragments)]


_LIGATURE_EXPANSIONS = ("ti", "fi", "fl", "ff", "ffi", "ffl", "ft", "tt", "st", "ct")
"""What a ligature glyph stands for, most frequent first: "ti" is Lato's and many web fonts' own."""
_LOST_GLYPH_WORD = re.compile(r"[^\W\d_]*\ufffd[^\W\d_]*")


def repair_lost_ligatures(text: str) -> str:
    """Words in which a ligature came out as U+FFFD (a font whose ligature glyph has no Unicode mapping:
    "Reac�e van het college", "Informa�e") get the letters that make them a Dutch word; a word no
    expansion makes known keeps its mark. A compound counts as known when a known word of five letters
    or more spans the repaired place ("informa�evoorziening")."""
    if "\ufffd" not in text:
        return text
    from .models import dutch_lemmas

    known = dutch_lemmas()
    if not known:
        return text

    def known_around(word: str, start: int, end: int) -> bool:
        if word in known:
            return True
        return any(word[a:b] in known for a in range(0, start + 1) for b in range(max(end, a + 5), len(word) + 1))

    def repair(match: re.Match[str]) -> str:
        word = match.group(0)
        if word.count("\ufffd") != 1:
            return word
        at = word.index("\ufffd")
        for letters in _LIGATURE_EXPANSIONS:
            candidate = word[:at] + letters + word[at + 1:]
            if known_around(candidate.lower(), at, at + len(letters)):
                return candidate
        return word

    return _LOST_GLYPH_WORD.sub(repair, text)


_LETTER_SPACED = re.compile(r"(?:\S ){3,}\S ?")


def _without_letter_spacing(text: str, gaps: Sequence[float], size: float) -> str:
    """Letter-spaced display type ("A A N B E V E L I N G 2 . 1", CSS letter-spacing): pdfium puts a space
    between every two letters; the words are where the gap is clearly wider than between letters."""
    if not _LETTER_SPACED.fullmatch(text):
        return text
    chars = text.replace(" ", "")
    if len(gaps) != len(chars):
        return text
    typical = statistics.median(gaps[1:])
    out = [chars[0]]
    for gap, ch in zip(gaps[1:], chars[1:]):
        if gap > max(1.6 * typical, typical + 0.15 * (size or 10.0)):
            out.append(" ")
        out.append(ch)
    return "".join(out) + (" " if text.endswith(" ") else "")


def _plumber_page_fragments(page) -> list[Fragment]:  # type: ignore[no-untyped-def]
    """Group pdfplumber's characters into runs of one font on one baseline."""
    fragments: list[Fragment] = []
    run: list[dict] = []  # type: ignore[type-arg]

    def flush() -> None:
        if run:
            fragments.append(
                Fragment(
                    text="".join(ch["text"] for ch in run),
                    x0=min(ch["x0"] for ch in run),
                    top=min(ch["top"] for ch in run),
                    x1=max(ch["x1"] for ch in run),
                    bottom=max(ch["bottom"] for ch in run),
                    size=round(run[0]["size"], 2),
                    bold=_is_bold_name(run[0]["fontname"]),
                )
            )
            run.clear()

    for ch in page.chars:
        if run:
            last = run[-1]
            same_font = ch["fontname"] == last["fontname"] and abs(ch["size"] - last["size"]) < 0.1
            same_line = abs(ch["bottom"] - last["bottom"]) < 0.5 * ch["size"]
            adjacent = -2 < ch["x0"] - last["x1"] < 2 * ch["size"]
            if not (same_font and same_line and adjacent):
                flush()
        run.append(ch)
    flush()
    return fragments


# --------------------------------------------------------------------------------------
# The stage


def _image_bounds(pdf, index: int, height: float) -> list[tuple[float, float, float, float]]:  # type: ignore[no-untyped-def]
    """Boxes (top-left origin) of the images on a page, including images placed inside a form
    XObject (groff's pdfpic, some scanners), which count with the form's bounds."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    boxes = []
    try:
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        for obj_index in range(pdfium_c.FPDFPage_CountObjects(page)):
            obj = pdfium_c.FPDFPage_GetObject(page, obj_index)
            if _holds_image(obj) and pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                boxes.append((left.value, height - top.value, right.value, height - bottom.value))
    finally:
        page.close()
    return boxes


_SCAN_TEXT_CHARS = 20
"""Fewer characters than this in a page's text layer (or on an image) is no text to speak of."""


_OUTLINED_TEXT_SHAPES = 100
"""A page without text that draws this many shapes holds text turned into outlines (a print-shop export, Ghostscript
with -dNoOutputFonts): only OCR can read it. A diagram or a blank page with a logo draws fewer."""


def _drawn_shapes(pdf, index: int) -> int:  # type: ignore[no-untyped-def]
    """How many path objects a page draws (form XObjects counted by their own objects)."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    try:
        def count(objects) -> int:  # type: ignore[no-untyped-def]
            total = 0
            for obj in objects:
                kind = pdfium_c.FPDFPageObj_GetType(obj)
                if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                    total += 1
                elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                    total += count(pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)))
            return total

        return count(pdfium_c.FPDFPage_GetObject(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page)))
    finally:
        page.close()


def _scanned_region(pdf, index: int, fragments: Sequence[Fragment], width: float,  # type: ignore[no-untyped-def]
                    height: float) -> tuple[tuple[float, float, float, float], bool] | None:
    """Where a page holds a scan, and whether it is the whole page: the whole page when it has
    (almost) no text and images cover most of it; otherwise one large image with no text on it —
    a scanned letter placed on a report page under its running header, beside a heading or the
    page number."""
    text_chars = sum(len(f.text.strip()) for f in fragments)
    if text_chars > 1500:  # a page of running text
        return None
    boxes = _image_bounds(pdf, index, height)
    if text_chars < _SCAN_TEXT_CHARS:
        covered = sum(max(0.0, x1 - x0) * max(0.0, y1 - y0) for x0, y0, x1, y1 in boxes)
        if covered >= 0.4 * width * height or not text_chars and _drawn_shapes(pdf, index) >= _OUTLINED_TEXT_SHAPES:
            return (0.0, 0.0, width, height), True
        return None
    for x0, top, x1, bottom in sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True):
        if (x1 - x0) * (bottom - top) < 0.3 * width * height:
            break
        on_it = sum(len(f.text.strip()) for f in fragments
                    if x0 <= (f.x0 + f.x1) / 2 <= x1 and top <= (f.top + f.bottom) / 2 <= bottom)
        if on_it < _SCAN_TEXT_CHARS:
            return (x0, top, x1, bottom), False
    return None


def _holds_image(obj, depth: int = 0) -> bool:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as pdfium_c

    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return True
    if kind != pdfium_c.FPDF_PAGEOBJ_FORM or depth > 4:
        return False
    return any(_holds_image(pdfium_c.FPDFFormObj_GetObject(obj, i), depth + 1)
               for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)))


def _ocr_fragments(pdf, index: int, height: float,  # type: ignore[no-untyped-def]
                   region: tuple[float, float, float, float] | None = None) -> list[Fragment]:
    """A scanned page's words from Tesseract as fragments (one per word, sized from the line);
    with a region, only the words inside it."""
    page = pdf[index]
    try:
        words = read_page(page, height)
    finally:
        page.close()
    if region:
        x0, top, x1, bottom = region
        words = [w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom]
        # A photo or a chart gives a few words read with little confidence: not a letter.
        if len(words) < 15 or statistics.median(w.confidence for w in words) < 60:
            return []
    if not words:
        return []
    # One type size for the whole page: sizes estimated from word boxes vary with ascenders and
    # would turn ordinary lines into headings; paragraphs then follow from the spacing alone.
    size = round(statistics.median(w.bottom - w.top for w in words) * 1.15 * 2) / 2
    fragments = []
    for word in words:
        fragments.append(Fragment(text=word.text, x0=word.x0, top=word.top, x1=word.x1, bottom=word.bottom,
                                  size=size, bold=False))
    return fragments


_UNMAPPED_SHARE = 0.1
"""A page whose characters are this often control codes, private-use code points or U+FFFD (and at least
_UNMAPPED_MIN of them) has a text layer that lost its map to Unicode in one of its fonts (a font without /ToUnicode:
a report printed to PDF by a printer driver). It looks perfect and reads as garbage; only OCR can read it. Born-digital
pages have next to none (at most 0.3 % on the layout corpus)."""
_UNMAPPED_MIN = 15


def _unmapped_text(fragments: Sequence[Fragment]) -> bool:
    """Whether a page's text layer is mostly characters no text has: glyph codes without a map to Unicode."""
    shown = bad = 0
    for fragment in fragments:
        for char in fragment.text:
            if char.isspace():
                continue
            shown += 1
            if char == "\ufffd" or unicodedata.category(char) in ("Cc", "Co", "Cs"):
                bad += 1
    return bad >= _UNMAPPED_MIN and bad >= _UNMAPPED_SHARE * shown


def _is_ocr_layer(pdf, index: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether nine in ten of a page's text objects are drawn invisibly: an OCR layer laid over a scanned page
    image. Stops at the first tenth of the page's objects drawn visibly (a born-digital page, almost always)."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    try:
        count = pdfium_c.FPDFPage_CountObjects(page)
        texts = visible = 0
        for obj_index in range(count):
            obj = pdfium_c.FPDFPage_GetObject(page, obj_index)
            if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT:
                texts += 1
                if pdfium_c.FPDFTextObj_GetTextRenderMode(obj) != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE:
                    visible += 1
                    if visible > 0.1 * count:  # more than a tenth of all objects, so of the text objects too
                        return False
    finally:
        page.close()
    return texts > 0 and visible <= 0.1 * texts


_BOLD_STROKE = 1.2
"""A word whose strokes are this much thicker than the page's typical word (for its line's size) is set in bold."""
_BOLD_STROKE_NEXT = 1.1
"""A word beside a bold word is bold from this much thicker on: a bold run (a lead sentence) is one run, and short
words like "is" carry too little ink to measure alone."""
_STROKE_DPI = 200
"""Resolution for the stroke measure: at 100 dpi a body text stroke is one pixel, regular or bold."""


def _stroke_width(dark: np.ndarray) -> float:
    """The mean stroke thickness of the ink in a box, in pixels: its area over half its outline. Unlike the share of
    the box that is inked, it does not depend on which letters a word has ("mm" against "il")."""
    area = int(dark.sum())
    if area == 0:
        return 0.0
    inner = dark.copy()
    inner[1:, :] &= dark[:-1, :]
    inner[:-1, :] &= dark[1:, :]
    inner[:, 1:] &= dark[:, :-1]
    inner[:, :-1] &= dark[:, 1:]
    outline = area - int(inner.sum())
    return 2.0 * area / max(outline, 1)


_LARGER_LINE = 1.2
"""A line whose letters stand this much taller than the page's body lines is set in a larger type."""
_SMALLER_LINE = 0.8
"""A line whose letters stand this much shorter than the body lines is set in a smaller type (a footnote)."""


def _scan_lines(fragments: Sequence[Fragment]) -> list[tuple[list[int], float]]:
    """A scanned page's words grouped into lines (indices), each with its height. Lines are found on the page turned
    level (the boxes themselves stay where the scan has them). A line's height is that of its tallest words,
    ascenders to descenders: the median word ("en", "het") has neither, and would make a heading with short words
    look smaller than one with long ones; not the very tallest of a long line, as the OCR stretches a box now and
    then."""
    slope = _skew(fragments)
    middle = (min(f.x0 for f in fragments) + max(f.x1 for f in fragments)) / 2
    shift = [-slope * ((f.x0 + f.x1) / 2 - middle) for f in fragments]
    lines: list[list[int]] = []
    centre_sums: list[float] = []  # per line, the sum of its words' centres (for the running mean)
    for i in sorted(range(len(fragments)), key=lambda k: (fragments[k].top + fragments[k].bottom) / 2 + shift[k]):
        centre = (fragments[i].top + fragments[i].bottom) / 2 + shift[i]
        if lines and abs(centre - centre_sums[-1] / len(lines[-1])) < 0.4 * (fragments[i].bottom - fragments[i].top):
            lines[-1].append(i)
            centre_sums[-1] += centre
        else:
            lines.append([i])
            centre_sums.append(centre)
    out = []
    for line in lines:
        # the tallest words (ascenders and descenders), but not a box the OCR stretched: the fifth tallest in five
        heights = sorted((fragments[j].bottom - fragments[j].top for j in line), reverse=True)
        out.append((line, heights[len(heights) // 5]))
    return out


ScanLines = list[tuple[list[int], float]]
"""A scanned page's lines as `_scan_lines` finds them: word indices and height."""


def scan_body(pages: Iterable[tuple[Sequence[Fragment], ScanLines]]) -> tuple[float, float]:
    """(line height, type size) of the running text over all scanned pages of a document (each page's words with its
    lines). Estimated page by page they wander (a page of short lines, a table), and a chapter heading would be
    larger on one page than on the next; the scan's scale is the same throughout."""
    heights: list[float] = []
    sizes: list[float] = []
    for fragments, lines in pages:
        if len(fragments) < 20:
            continue
        heights.extend(height for line, height in lines if len(line) >= 4)
        sizes.extend(f.size for f in fragments if f.size > 0)
    return (statistics.median(heights) if heights else 0.0, statistics.median(sizes) if sizes else 10.0)


def _typeset_from_image(pdf, index: int, fragments: list[Fragment], lines: ScanLines,  # type: ignore[no-untyped-def]
                        body: tuple[float, float]) -> list[Fragment]:
    """Type size and weight for the words of a scanned page, read from the scan: an OCR layer (or Tesseract's words)
    gives every line a size of its own from its box and no weight at all, so headings and bold leads would vanish
    and every line would be a paragraph. `lines`: the page's `_scan_lines`; `body`: the document's body line height
    and size (`scan_body`). Lines
    within a fifth of the body height get the body size (a footnote's shorter lines of three words or more a smaller
    one); a word whose strokes are much thicker than the page's typical word is bold."""
    body_height, body_size = body
    if len(fragments) < 20 or not body_height:
        return fragments
    scale = _STROKE_DPI / 72
    page = pdf[index]
    try:
        image = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"), dtype=np.uint8)
    finally:
        page.close()
    dark = image < 128
    rows, cols = dark.shape
    stroke: list[float] = []
    for f in fragments:
        x0, x1 = max(0, int(f.x0 * scale)), min(cols, int(f.x1 * scale) + 1)
        y0, y1 = max(0, int(f.top * scale)), min(rows, int(f.bottom * scale) + 1)
        stroke.append(_stroke_width(dark[y0:y1, x0:x1]))
    measured = [d for f, d in zip(fragments, stroke) if len(f.text.strip()) >= 3]
    typical = statistics.median(measured) if measured else 0.0
    right_edge = max(f.x1 for f in fragments)
    left_edge = min(f.x0 for f in fragments)
    out = list(fragments)
    for line, line_height in lines:
        ratio = line_height / body_height
        resized = ratio >= _LARGER_LINE or ratio <= _SMALLER_LINE and len(line) >= 3
        size = round(body_size * ratio * 2) / 2 if resized else body_size
        words = sorted(line, key=lambda j: fragments[j].x0)
        text = " ".join(fragments[j].text.strip() for j in words)
        # A numbered line of a few words that stops well short of the text's right edge is a heading, whatever
        # weight the scan shows ("4.1 Contracten en resultaten").
        heading = bool(_NUMBERED_HEADING_RE.match(text)) and len(text.split()) <= 9 and not text.endswith(".") \
            and fragments[words[-1]].x1 < left_edge + 0.75 * (right_edge - left_edge)
        # strokes grow with the type: compare a larger line's words with the typical word scaled to its size
        expected = typical * max(ratio, 1.0)
        thick = [expected > 0 and stroke[j] >= _BOLD_STROKE * expected and len(fragments[j].text.strip()) >= 2
                 for j in words]
        for k in range(len(words)):
            if not thick[k] and expected > 0 and stroke[words[k]] >= _BOLD_STROKE_NEXT * expected \
                    and (k > 0 and thick[k - 1] or k + 1 < len(words) and thick[k + 1]):
                thick[k] = True
        for k, j in enumerate(words):
            out[j] = replace(fragments[j], size=size, bold=heading or thick[k])
    return out


_NUMBERED_HEADING_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+[A-Z]")


_SKEW_MIN = 0.001
"""A scan turned less than this (0.06°: a tenth of a point over a line) is left as it is."""


def _skew(fragments: Sequence[Fragment]) -> float:
    """The slope a scan's lines run at (points down per point across; 0 for a level page or too few words): the
    median slope between words that follow each other on a line."""
    slopes: list[float] = []
    order = sorted(range(len(fragments)), key=lambda k: fragments[k].x0)
    for position, i in enumerate(order):
        left = fragments[i]
        line_height = left.bottom - left.top
        centre = (left.top + left.bottom) / 2
        for j in order[position + 1:]:
            right = fragments[j]
            if right.x0 - left.x1 > 2 * line_height:
                break
            if right.x0 >= left.x1 - 0.5 and abs((right.top + right.bottom) / 2 - centre) < 0.4 * line_height:
                run = (right.x0 + right.x1 - left.x0 - left.x1) / 2
                if run > line_height:
                    slopes.append(((right.top + right.bottom) / 2 - centre) / run)
                break
    if len(slopes) < 20:
        return 0.0
    slope = statistics.median(slopes)
    return slope if abs(slope) >= _SKEW_MIN else 0.0


def _deskewed(fragments: list[Fragment], width: float, height: float) -> list[Fragment]:
    """A scanned page's words turned back level. A scan laid a fraction of a degree askew puts the words of one line
    a few points apart in height across the page, so a table's columns no longer share rows and a line's words come
    out of order."""
    slope = _skew(fragments)
    if not slope:
        return fragments
    middle_x, middle_y = width / 2, height / 2
    out = []
    for f in fragments:
        cx, cy = (f.x0 + f.x1) / 2, (f.top + f.bottom) / 2
        dx, dy = slope * (cy - middle_y), -slope * (cx - middle_x)
        out.append(replace(f, x0=f.x0 + dx, x1=f.x1 + dx, top=f.top + dy, bottom=f.bottom + dy))
    return out


def extract(
    path: str | Path,
    *,
    engine: Engine = "pdfium",
    max_pages: int = 3000,
    max_mb: float = 300.0,
    ocr: bool = True,
) -> ExtractedDocument:
    """Read a PDF into pages and paragraphs in reading order, keeping page numbers and boxes.
    Pages without a text layer (scans) are read by OCR when Tesseract is installed.

    Raises one of the InputFileError subclasses when the file cannot be used.
    """
    path = Path(path)
    check_file(path, max_mb)
    digest = content_hash(path)
    raw_pages: list[list[Line]] = []
    sizes: list[tuple[float, float]] = []
    ocr_pages: list[int] = []
    ocr_layer_pages: list[int] = []
    whole_scans: dict[int, tuple[list[Fragment], float, float, list[Rect]]] = {}
    layer_scans: dict[int, tuple[list[Fragment], float, float, list[Rect]]] = {}
    unread_pages: list[int] = []
    garbled_pages: list[int] = []
    ocr_ready: bool | None = None
    pdf = _open_pdfium(path, max_pages)
    try:
        if engine == "pdfium":
            for index in range(len(pdf)):
                fragments, width, height, rects = _pdfium_page_fragments(pdf, index)
                garbled = _unmapped_text(fragments)
                if garbled:
                    garbled_pages.append(index + 1)
                scan = ((None, True) if garbled else _scanned_region(pdf, index, fragments, width, height)) \
                    if ocr else None
                if scan:
                    region, whole_page = scan
                    if ocr_ready is None:
                        ocr_ready = ocr_available()
                    if ocr_ready:
                        read = _ocr_fragments(pdf, index, height, None if whole_page else region)
                        if whole_page and read:
                            whole_scans[index] = (read, width, height, rects)  # laid out after the last page
                        fragments = read if whole_page else [*fragments, *read]
                        if read or whole_page:
                            ocr_pages.append(index + 1)
                    elif whole_page:
                        unread_pages.append(index + 1)
                        if garbled:
                            fragments = []
                elif garbled:
                    unread_pages.append(index + 1)
                    fragments = []
                elif fragments and _is_ocr_layer(pdf, index) \
                        and _scanned_region(pdf, index, [], width, height):
                    # a scanned page with an OCR text layer: the layer's words, the scan's typography (laid out
                    # after the last page, when the document's body size is known)
                    layer_scans[index] = (fragments, width, height, rects)
                    ocr_layer_pages.append(index + 1)
                laid_out_later = index in whole_scans or index in layer_scans
                raw_pages.append([] if laid_out_later else page_lines(fragments, index + 1, width, rects))
                sizes.append((width, height))
            # A scanned report, not a letter bound into one, gets its pages' type sizes and weights from the scans;
            # a scanned letter keeps the one size Tesseract gives (its typography would cost stances).
            scanned_report = len(whole_scans) >= max(2, 0.5 * len(raw_pages))
            typeset_pages = {**(whole_scans if scanned_report else {}), **layer_scans}
            scan_lines = {index: _scan_lines(read) for index, (read, *_) in typeset_pages.items() if len(read) >= 20}
            scan_scale = scan_body((read, scan_lines.get(index, [])) for index, (read, *_) in typeset_pages.items())
            for index, (read, width, height, rects) in {**whole_scans, **layer_scans}.items():
                typeset = _typeset_from_image(pdf, index, read, scan_lines.get(index, []), scan_scale) \
                    if index in typeset_pages else read
                raw_pages[index] = page_lines(_deskewed(typeset, width, height), index + 1, width, rects)
        else:
            import pdfplumber

            with pdfplumber.open(str(path)) as plumber:
                for index, page in enumerate(plumber.pages):
                    raw_pages.append(page_lines(_plumber_page_fragments(page), index + 1, float(page.width),
                                                plumber_rects(page)))
                    sizes.append((float(page.width), float(page.height)))
        outline, info = _outline_and_info(pdf)
    finally:
        pdf.close()
    garbled_unread = [page for page in unread_pages if page in garbled_pages]
    if sum(len(ln.text) for lines in raw_pages for ln in lines) < 20 * max(1, len(raw_pages)) * 0.1:
        if unread_pages and ocr:
            kind = "pagina's met onleesbare tekst" if garbled_unread else "gescande pagina's"
            raise NoTextLayer(str(path), f"{len(raw_pages)} {kind} en Tesseract met Nederlands is niet geïnstalleerd",
                              hint=INSTALL_HINT + ", en lees het bestand opnieuw in")
        if garbled_unread:
            raise NoTextLayer(str(path), f"{len(garbled_unread)} pagina's met onleesbare tekst (een lettertype zonder "
                              "koppeling naar tekens)", hint="lees het bestand in met tekstherkenning")
        if ocr_pages:
            raise NoTextLayer(str(path), f"{len(ocr_pages)} gescande pagina's, en de tekstherkenning vond er geen leesbare tekst op",
                              hint="controleer of de scan goed leesbaar is (minstens 200 dpi), of gebruik een PDF met tekst")
        raise NoTextLayer(str(path), f"{len(raw_pages)} pagina's, bijna geen leesbare tekens")
    warnings = []
    scanned_unread = [page for page in unread_pages if page not in garbled_pages]
    if scanned_unread:
        warnings.append(f"{path}: pagina('s) {', '.join(map(str, scanned_unread))} zijn gescand en niet gelezen — "
                        f"{INSTALL_HINT}, en lees het bestand opnieuw in")
    if garbled_unread:
        warnings.append(f"{path}: de tekst op pagina('s) {', '.join(map(str, garbled_unread))} is onleesbaar (een "
                        f"lettertype zonder koppeling naar tekens) en niet gelezen — "
                        f"{INSTALL_HINT if ocr else 'lees het bestand in met tekstherkenning'}, en lees het opnieuw in")
    cleaned = drop_running_lines(raw_pages, [h for _, h in sizes],
                                 frozenset(number - 1 for number in (*ocr_pages, *ocr_layer_pages)))
    kept = {id(ln) for lines in cleaned for ln in lines}
    furniture = tuple(ln for lines in raw_pages for ln in lines if id(ln) not in kept)
    body = body_size(cleaned)
    scanned = len(ocr_pages) + len(ocr_layer_pages) >= max(2, 0.5 * len(raw_pages))
    paragraphs = paragraphs_from_lines(cleaned, body, [w for w, _ in sizes], sizes_estimated=scanned)
    pages = tuple(
        PageText(number=i + 1, width=w, height=h, text=page_text(lines))
        for i, ((w, h), lines) in enumerate(zip(sizes, cleaned))
    )
    return ExtractedDocument(
        path=str(path),
        content_hash=digest,
        page_count=len(pages),
        pages=pages,
        paragraphs=tuple(paragraphs),
        body_size=body,
        title_guess=title_guess(raw_pages[0] if raw_pages else []),
        outline=outline,
        info=info,
        furniture=furniture,
        ocr_pages=tuple(ocr_pages),
        warnings=tuple(warnings),
    )


_INFO_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer")


def _outline_and_info(pdf) -> tuple[tuple[OutlineEntry, ...], tuple[tuple[str, str], ...]]:  # type: ignore[no-untyped-def]
    """The bookmarks (capped: a damaged outline can loop) and the document information."""
    entries: list[OutlineEntry] = []
    try:
        for bookmark in pdf.get_toc(max_depth=6):
            title = normalise(bookmark.get_title() or "").strip()
            if title:
                index = bookmark.get_dest().get_index() if bookmark.get_dest() else None
                entries.append(OutlineEntry(level=bookmark.level + 1, title=title,
                                            page=index + 1 if index is not None else None))
            if len(entries) >= 2000:
                break
    except Exception:  # noqa: BLE001 - a broken outline is no reason to refuse the text
        entries = []
    try:
        metadata = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001
        metadata = {}
    info = tuple((key, normalise(str(metadata[key])).strip()) for key in _INFO_KEYS if metadata.get(key))
    return tuple(entries), info
