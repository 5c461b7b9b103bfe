"""Render a layout-corpus spec with AbiWord: the Word file a secretary would write, laid out by AbiWord's own engine.

The .docx is the one `produce_libreoffice.Builder` writes with python-docx (Heading styles, numbered lists, tables
with a header row, shaded one-cell tables as boxes, real footnotes, header/footer with PAGE fields, a section with
two columns, a TOC field with cached entries). `abiword --to=pdf` imports it with its own OOXML importer and lays it
out with its own line breaker and pagination (cairo writes the PDF), so the same Word constructs come out
differently than from LibreOffice.

Two passes when there is an inhoudsopgave: the first PDF tells, by searching the page text, on which page each
heading landed; those numbers go into the TOC field's cached entries. AbiWord's PDF has no outline (no bookmarks,
whatever `outline` says) and cairo's clock date; a properties step fixes the date in place and writes Title/Author
(or blank ones) as an incremental update.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import produce_libreoffice  # noqa: E402
import produce_wkhtmltopdf  # noqa: E402  (the same properties step)

ABIWORD = shutil.which("abiword") or "abiword"


def _convert(docx_path: Path, pdf_path: Path) -> None:
    subprocess.run([ABIWORD, f"--to={pdf_path}", str(docx_path)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300,
                   env={"PATH": "/usr/bin:/bin", "HOME": str(docx_path.parent), "XDG_RUNTIME_DIR": str(docx_path.parent)})
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RuntimeError(f"abiword wrote no PDF for {docx_path}")


def _heading_pages(pdf_path: Path, headings: list[dict[str, Any]], skip: int) -> list[int]:
    import pypdfium2 as pdfium

    def squash(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "", text.lower())

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        texts = [squash(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()
    pages, page, pos = [], skip, 0
    for h in headings:
        want = squash(f"{h.get('number', '')} {h['text']}")
        found = 0
        for k in range(page, len(texts)):
            at = texts[k].find(want, pos if k == page else 0)
            if at >= 0:
                found, page, pos = k + 1, k, at + len(want)
                break
        pages.append(found)
    return pages


def _fix_date(pdf_path: Path, year: int) -> None:
    data = pdf_path.read_bytes()
    data = re.sub(rb"D:\d{14}([+\-Z]\d\d'\d\d'?|Z)?", lambda m: f"D:{year:04d}0915100000".encode()
                  + b"+00'00'"[: len(m.group(0)) - 16], data)
    pdf_path.write_bytes(data)


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    headings = [b for b in spec["blocks"] if b["kind"] == "heading" and int(b.get("level", 1)) <= 2]
    front = sum(1 for b in spec["blocks"] if b["kind"] in ("cover", "colofon", "toc"))
    with tempfile.TemporaryDirectory(prefix="abw_render_") as tmp:
        tmpdir = Path(tmp)
        docx_path = tmpdir / f"{spec['id']}.docx"
        pdf = tmpdir / f"{spec['id']}.pdf"
        toc_pages = None
        if any(b["kind"] == "toc" for b in spec["blocks"]):
            produce_libreoffice.Builder(spec, None).build().save(str(docx_path))
            _convert(docx_path, pdf)
            toc_pages = _heading_pages(pdf, headings, front)
            pdf.unlink()
        produce_libreoffice.Builder(spec, toc_pages).build().save(str(docx_path))
        _convert(docx_path, pdf)
        _fix_date(pdf, int(spec["meta"].get("year") or 2020))
        produce_wkhtmltopdf._document_properties(pdf, spec, b"(AbiWord 3.0.5)",
                                                  b"(cairo 1.16.0 \\(https://cairographics.org\\))")
        out_pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out_pdf)
