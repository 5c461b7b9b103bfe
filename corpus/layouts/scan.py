"""A letter as a scanned page: text drawn into a greyscale image, slightly rotated and speckled.

The result has no text layer, as a signed reaction letter bound into a report has.
Deterministic (fixed seed), so re-rendering gives the same bytes.
"""
from __future__ import annotations

import io
import math
import random
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
A4_PX = (1654, 2339)  # 200 dpi


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    names = ("DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf") if bold else ("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf")
    for folder in FONT_DIRS:
        for name in names:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size)
    import reportlab

    return ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / ("VeraBd.ttf" if bold else "Vera.ttf")), size)


def _scribble(draw: ImageDraw.ImageDraw, x: int, y: int, rng: random.Random) -> None:
    """A handwritten-looking signature (h12a): a capital stroke, a run of cursive loops (a prolate
    trochoid, slanted, its height shrinking), and an underline flourish, in pen strokes."""
    slant = 0.35
    base = y + 62
    cap = [(x + 20 + (70 - 70 * abs(1 - k / 15)) * slant + 14 * math.sin(k / 30 * math.pi),
            base - 70 * (1 - abs(1 - k / 15))) for k in range(31)]
    cap += [(x + 34 + 24 * k / 10, base - 8 * math.sin(k / 10 * math.pi)) for k in range(11)]
    draw.line(cap, fill=30, width=4, joint="curve")
    points = []
    loops = rng.randint(4, 6)
    step = rng.uniform(30, 38)
    radius = rng.uniform(26, 32)
    for i in range(loops * 40 + 1):
        t = i / 40 * 2 * math.pi
        shrink = 1 - 0.45 * i / (loops * 40)
        dy = -radius * (1 - math.cos(t)) * shrink
        px = x + 70 + step * t / (2 * math.pi) - radius * 0.9 * math.sin(t) - dy * slant
        points.append((px, base + dy))
    draw.line(points, fill=35, width=3, joint="curve")
    end = points[-1][0]
    flourish = [(x + 40 + (end + 60 - x - 40) * k / 30, base + 16 + 10 * math.sin(k / 30 * math.pi)) for k in range(31)]
    draw.line(flourish, fill=55, width=3, joint="curve")


def letter_pages(paragraphs: list[str], signature: list[str] | None = None, *, letterhead: str = "",
                 seed: int = 7, handwriting: bool = False) -> list[bytes]:
    """PNG bytes, one per page, of the letter's paragraphs as a 200-dpi scan.

    With `handwriting` (h12a), a signature line that is exactly "~" is drawn as a handwritten
    signature (pen strokes, no characters) instead of text; without it nothing changes.
    """
    rng = random.Random(seed)
    pen = random.Random(seed + 1000)
    body = _font(34)
    head = _font(44, bold=True)
    pages: list[Image.Image] = []
    image = draw = None
    y = 0

    def new_page() -> None:
        nonlocal image, draw, y
        image = Image.new("L", A4_PX, 250)
        draw = ImageDraw.Draw(image)
        y = 180
        if letterhead:
            draw.text((160, y), letterhead, font=head, fill=20)
            y += 120
        pages.append(image)

    new_page()
    for para in [*paragraphs, "", *(signature or [])]:
        if handwriting and para == "~":
            if y > A4_PX[1] - 320:
                new_page()
            _scribble(draw, 170, y + 10, pen)  # type: ignore[arg-type]
            y += 120
            continue
        lines = textwrap.wrap(para, width=68) or [""]
        for line in lines:
            if y > A4_PX[1] - 220:
                new_page()
            draw.text((160, y), line, font=body, fill=25)  # type: ignore[union-attr]
            y += 48
        y += 26
    out = []
    for page in pages:
        page = page.rotate(rng.uniform(-0.6, 0.6), resample=Image.BICUBIC, fillcolor=250)
        pixels = page.load()
        for _ in range(2500):
            x, yy = rng.randrange(A4_PX[0]), rng.randrange(A4_PX[1])
            pixels[x, yy] = rng.choice((120, 160, 200))
        page = page.filter(ImageFilter.GaussianBlur(0.6))
        buffer = io.BytesIO()
        page.save(buffer, format="PNG", optimize=True)
        out.append(buffer.getvalue())
    return out
