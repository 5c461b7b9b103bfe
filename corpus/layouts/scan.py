"""A letter as a scanned page: text drawn into a greyscale image, slightly rotated and speckled.

The result has no text layer, as a signed reaction letter bound into a report has.
Deterministic (fixed seed), so re-rendering gives the same bytes.
"""
from __future__ import annotations

import io
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


def letter_pages(paragraphs: list[str], signature: list[str] | None = None, *, letterhead: str = "",
                 seed: int = 7) -> list[bytes]:
    """PNG bytes, one per page, of the letter's paragraphs as a 200-dpi scan."""
    rng = random.Random(seed)
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
