"""Small PDFs made on the fly for the bad-input tests (corrupt, encrypted, scanned, …)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

DUTCH = (
    "De gemeente heeft de toegang tot de jeugdhulp georganiseerd via het sociaal team. "
    "Het is niet duidelijk of de doelen van het beleid worden bereikt, en de raad wordt "
    "daar ook niet over geïnformeerd. Wij adviseren de raad om het college te vragen dit te doen."
)
ENGLISH = (
    "The municipality has organised access to youth care through the social team. It is not "
    "clear whether the goals of the policy are being achieved, and the council is not informed "
    "about this. We advise the council to ask the executive to do so."
)


def text_pdf(path: Path, text: str = DUTCH, pages: int = 2, encrypt: str | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    for page in range(pages):
        y = 780
        words = (text + " ") * 6
        line = ""
        for word in words.split():
            if len(line) + len(word) > 90:
                c.drawString(60, y, line)
                y -= 14
                line = ""
            line += word + " "
        c.drawString(60, y, line)
        c.drawString(280, 30, str(page + 1))
        c.showPage()
    c.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """Pages that carry only an image of text, as a scanner produces."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(image)
    for i in range(30):
        draw.text((40, 40 + 24 * i), "Conclusies en aanbevelingen jeugdhulp", fill=0)
    image_path = path.with_suffix(".png")
    image.save(image_path)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(2):
        c.drawImage(str(image_path), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return path
