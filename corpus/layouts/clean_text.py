"""Page texts for locating gold pages, shared by make.py and the producers whose PDFs have no usable text of their
own (fonts without /ToUnicode, text turned into outlines): those give the texts of a clean render instead."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium


def page_texts(pdf_path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def clean_render_texts(spec: dict[str, Any], out_pdf: Path, render_clean: Callable[[dict[str, Any], Path], None],
                       cache: dict[str, list[str]], prefix: str) -> list[str]:
    """The page texts of the clean render of `out_pdf`: kept in `cache` by the producer's render, or rendered again
    (make.py --gold-only). The clean render must have the same page count."""
    key = str(Path(out_pdf).resolve())
    if key not in cache:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            clean = Path(tmp) / "clean.pdf"
            render_clean(spec, clean)
            texts = page_texts(clean)
        if len(texts) != len(page_texts(out_pdf)):
            raise RuntimeError(f"{spec['id']}: the clean render has another page count than {out_pdf}")
        cache[key] = texts
    return cache[key]
