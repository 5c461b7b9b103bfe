"""Render a layout-corpus spec as a report whose WHOLE text is converted to vector outlines (h23a).

What gets published surprisingly often: the file that went to the print shop. The designer exported the report
with "text to outlines" (InDesign's "Create Outlines", the print preset "Convert All Text to Outlines"), or someone
ran the finished PDF through Ghostscript with `-dNoOutputFonts` to be rid of font licensing or embedding trouble, and
that file went on the website. Every glyph of every page — cover, headings, running text, tables, footnotes, the
college's letter, running header and page numbers — is a filled path. The pages look exactly like the born-digital
report, but there is **no text layer at all**: no font resource, no text object, and no image either (it is not a
scan: a test for page-sized images finds nothing). Only the info dictionary (and the XMP packet) still hold text.

How it is made here:
1. the report is rendered by an existing producer (`outlinedall.base`, default `weasyprint`, whose `render` is
   called unchanged with the spec) into a temporary PDF — the "clean" PDF;
2. Debian's Ghostscript (10.00) rewrites it: `gs -sDEVICE=pdfwrite -dNoOutputFonts -dPDFSETTINGS=/prepress
   -dAutoRotatePages=/None`, with `SOURCE_DATE_EPOCH` set to the export time `outlinedall.exported` (ISO, UTC), so
   /CreationDate, /ModDate and the XMP dates are that moment. Ghostscript keeps the clean file's Title, Author,
   Subject and Keywords, drops its Creator and writes Producer "GPL Ghostscript 10.00.0" (the metadata as such a file
   really carries it); bookmarks and link annotations survive when the clean file has them;
3. Ghostscript's /ID is made from the time and the file name; it is replaced **in place** (same length, upper-case
   hex) by an MD5 of the file with the /ID blanked, so nothing else of Ghostscript's bytes changes;
4. checks, or the producer raises: the page count is the clean file's; pypdfium2's `get_text_range()` is the empty
   string on every page; no page lists a font or an image XObject (also inside form XObjects) and no page holds a
   text or image object; every page rendered at `check_scale` looks like the clean page. pdfium places and
   anti-aliases a glyph drawn as a path a little differently from a glyph of a font (sub-pixel shifts at the edges
   of strokes: raw grey-level differences of 2–3 on average on a dense page at scale 2), so both renders are first
   blurred (Gaussian, radius 0.6 pt) and then compared: the mean grey-level difference must be at most
   `max_mean_diff` and at most `max_changed` of the pixels may differ by more than 64 (a glyph missing or moved
   would differ by far more than that over its whole area).

Spec keys read by this producer (all under `outlinedall`):
  base          the producer of the clean render (default "weasyprint"); its own spec keys apply as usual
  exported      the export moment, "YYYY-MM-DDTHH:MM:SS" in UTC (default: 1 June of meta.year, 09:00)
  check_scale   the render scale of the image check (default 2.0)
  max_mean_diff / max_changed   the image check's limits after blurring (defaults 2.0 and 0.0005)

The gold is what a human reader sees printed, as for every producer. make.py cannot find the items in a PDF
without text, so it asks this module for the page texts of the clean render (`gold_page_texts`, registered in
make.py's CLEAN_TEXT_PRODUCERS): the pages are the same page for page (step 4 checks it).

Deterministic: the clean render is (WeasyPrint writes no dates and a fixed /ID); Ghostscript 10.00's pdfwrite
output repeats byte for byte apart from the /ID (checked), which step 3 fixes.
"""
from __future__ import annotations

import calendar
import hashlib
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pypdfium2 as pdfium
from PIL import ImageFilter

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import clean_text  # noqa: E402

DEFAULTS: dict[str, Any] = {"base": "weasyprint", "exported": None, "check_scale": 2.0, "max_mean_diff": 2.0,
                            "max_changed": 0.0005}
GS_ARGS = ["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dNoOutputFonts",
           "-dPDFSETTINGS=/prepress", "-dAutoRotatePages=/None"]

_clean_texts: dict[str, list[str]] = {}  # out_pdf → page texts of the clean render (filled by render)


def _config(spec: dict[str, Any]) -> dict[str, Any]:
    cfg = {**DEFAULTS, **(spec.get("outlinedall") or {})}
    if not cfg["exported"]:
        cfg["exported"] = f"{int(spec['meta']['year'])}-06-01T09:00:00"
    return cfg


def _render_clean(spec: dict[str, Any], out: Path) -> None:
    base = _config(spec)["base"]
    if base in ("outlinedall",):
        raise ValueError("outlinedall.base must be another producer")
    importlib.import_module(f"produce_{base}").render({**spec, "producer": base}, out)


def _page_images(path: Path, scale: float) -> list[np.ndarray]:
    """Each page rendered at `scale`, in grey, blurred by 0.6 pt (see the image check)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return [np.asarray(doc[i].render(scale=scale).to_pil().convert("L").filter(ImageFilter.GaussianBlur(0.6 * scale)),
                           dtype=np.int16) for i in range(len(doc))]
    finally:
        doc.close()


def _page_object_types(path: Path) -> list[set[int]]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return [{obj.type for obj in doc[i].get_objects(max_depth=8)} for i in range(len(doc))]
    finally:
        doc.close()


def _fonts_or_images(pdf: pikepdf.Pdf) -> list[str]:
    """Every font resource and image XObject reachable from a page (form XObjects included)."""
    found: list[str] = []

    def walk(resources: Any, where: str, seen: set) -> None:
        if resources is None:
            return
        fonts = resources.get("/Font")
        if fonts is not None and len(fonts.keys()):
            found.append(f"{where}: fonts {list(fonts.keys())}")
        xobjects = resources.get("/XObject")
        if xobjects is None:
            return
        for key, xobj in xobjects.items():
            subtype = xobj.get("/Subtype")
            if subtype == "/Image":
                found.append(f"{where}: image {key}")
            elif subtype == "/Form" and xobj.objgen not in seen:
                seen.add(xobj.objgen)
                walk(xobj.get("/Resources"), f"{where}/{key}", seen)

    for n, page in enumerate(pdf.pages, start=1):
        walk(page.obj.get("/Resources"), f"page {n}", set())
    return found


_ID = re.compile(rb"/ID \[<([0-9A-F]{32})><([0-9A-F]{32})>\]")


def _fix_id(data: bytes) -> bytes:
    """Replace Ghostscript's time-based /ID (its last occurrence, in the trailer) by a content MD5, in place."""
    matches = list(_ID.finditer(data))
    if not matches:
        raise RuntimeError("no /ID found in Ghostscript's output")
    m = matches[-1]
    blank = data[:m.start(1)] + b"0" * 32 + data[m.end(1):m.start(2)] + b"0" * 32 + data[m.end(2):]
    digest = hashlib.md5(blank).hexdigest().upper().encode("ascii")
    return data[:m.start(1)] + digest + data[m.end(1):m.start(2)] + digest + data[m.end(2):]


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    cfg = _config(spec)
    gs = shutil.which("gs")
    if not gs:
        raise RuntimeError("produce_outlinedall needs Ghostscript (Debian 'ghostscript')")
    epoch = calendar.timegm(time.strptime(cfg["exported"], "%Y-%m-%dT%H:%M:%S"))
    with tempfile.TemporaryDirectory(prefix="outlinedall_") as tmp:
        work = Path(tmp)
        clean, outlined = work / "drukwerk.pdf", work / "drukwerk_outlines.pdf"
        _render_clean(spec, clean)
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "TZ": "UTC"}
        subprocess.run([gs, *GS_ARGS, f"-sOutputFile={outlined}", str(clean)], check=True, capture_output=True,
                       env=env, cwd=work)
        data = _fix_id(outlined.read_bytes())
        outlined.write_bytes(data)

        # --- checks: no text, no font, no image, same pages
        clean_texts, texts = clean_text.page_texts(clean), clean_text.page_texts(outlined)
        if len(clean_texts) != len(texts):
            raise RuntimeError(f"{spec['id']}: Ghostscript changed the page count")
        left = [n for n, t in enumerate(texts, start=1) if t != ""]
        if left:
            raise RuntimeError(f"{spec['id']}: text left on pages {left}")
        with pikepdf.open(outlined) as pdf:
            resources = _fonts_or_images(pdf)
        if resources:
            raise RuntimeError(f"{spec['id']}: fonts or images left: {resources[:5]}")
        kinds = set().union(*_page_object_types(outlined))
        if kinds & {pdfium.raw.FPDF_PAGEOBJ_TEXT, pdfium.raw.FPDF_PAGEOBJ_IMAGE}:
            raise RuntimeError(f"{spec['id']}: a text or image object is left ({kinds})")
        scale = float(cfg["check_scale"])
        for n, (a, b) in enumerate(zip(_page_images(clean, scale), _page_images(outlined, scale)), start=1):
            if a.shape != b.shape:
                raise RuntimeError(f"{spec['id']}: page {n} changed size")
            diff = np.abs(a - b)
            mean, changed = float(diff.mean()), float((diff > 64).mean())
            if mean > float(cfg["max_mean_diff"]) or changed > float(cfg["max_changed"]):
                raise RuntimeError(f"{spec['id']}: page {n} looks different after outlining "
                                   f"(mean {mean:.2f}, changed {changed:.4f})")
        shutil.copyfile(outlined, out_pdf)
        _clean_texts[str(out_pdf.resolve())] = clean_texts


def gold_page_texts(spec: dict[str, Any], out_pdf: Path) -> list[str]:
    """The page texts the gold pages are located in: those of the clean render (the PDF itself has no text).
    Rendered again when make.py runs with --gold-only."""
    return clean_text.clean_render_texts(spec, out_pdf, _render_clean, _clean_texts, "outlinedall_")
