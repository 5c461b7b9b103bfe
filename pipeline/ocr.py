"""OCR for pages without a text layer: a scanned, signed reaction letter bound into a report.

A page is read by Tesseract (Debian packages `tesseract-ocr` and `tesseract-ocr-nld`) from an
image pypdfium2 renders at 300 dpi; the words come back with their boxes, so the rest of the
pipeline (lines, paragraphs, highlights) treats them like any other text. Pages that have a
text layer are never OCR'd.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from dataclasses import dataclass

from .errors import MetadossierError

OCR_DPI = 300
INSTALL_HINT = "installeer Tesseract met Nederlands: `sudo apt-get install tesseract-ocr tesseract-ocr-nld` (Debian/Ubuntu)"


class OcrUnavailable(MetadossierError):
    """Tesseract (or its Dutch model) is not installed."""


@dataclass(frozen=True)
class OcrWord:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    line: tuple[int, int, int]
    """(block, paragraph, line) as Tesseract numbers them."""
    confidence: float


def tesseract_languages() -> set[str]:
    """Languages the installed Tesseract can read (empty when Tesseract is missing)."""
    binary = shutil.which("tesseract")
    if binary is None:
        return set()
    try:
        out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return set()
    return {line.strip() for line in out.stdout.splitlines()[1:] if line.strip()}


def ocr_available() -> bool:
    return "nld" in tesseract_languages()


def read_page(page, page_height: float) -> list[OcrWord]:  # type: ignore[no-untyped-def]
    """The words on one rendered page, with boxes in PDF points (top-left origin)."""
    scale = OCR_DPI / 72
    image = page.render(scale=scale, grayscale=True).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        result = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "nld", "--psm", "3", "tsv"],
            input=buffer.getvalue(), capture_output=True, timeout=300, check=False,
            # One thread: Tesseract's OpenMP threads fight each other (and ingest's workers) on a
            # small machine; measured 8.2 s → 2.9 s a page on 2 cores.
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"Tesseract kon niet starten ({exc}) — {INSTALL_HINT}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["geen melding"]
        raise OcrUnavailable(f"Tesseract liep vast ({message[0]}) — {INSTALL_HINT}")
    words: list[OcrWord] = []
    rows = csv.DictReader(io.StringIO(result.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top, width, height = (float(row[k]) / scale for k in ("left", "top", "width", "height"))
        words.append(OcrWord(text=text, x0=left, top=top, x1=left + width, bottom=top + height,
                             line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
                             confidence=float(row.get("conf") or 0)))
    return words
