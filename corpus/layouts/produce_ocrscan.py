"""Render a layout-corpus spec as a printed report that was scanned and made searchable by OCR.

Archives are full of these: a report was printed, later scanned on an office copier, and the
scan was run through OCR (ocrmypdf, Adobe Paper Capture) so that it can be searched. The PDF
has one full-page image per page and an *invisible* text layer (text render mode 3) with the
words the OCR engine read, placed over the words in the image. There is nothing else: no fonts
of the report, no outline, no tagged structure, and the OCR's mistakes are in the text.

How it is made here:
1. the spec is rendered as a normal report by an existing renderer (`scan.base`, default
   `weasyprint`; its house style keys apply as usual) into a temporary PDF;
2. every page is rasterised with pypdfium2 at `scan.dpi` (default 250) in greyscale;
3. each page is degraded like a copier scan: a grey paper tone with a faint uneven shading,
   a skew of at most `scan.max_skew` degrees (default 0.7; sign and size from a fixed seed per
   page), a slightly soft focus (Gaussian blur), Gaussian sensor noise and a few dust specks, the
   dark edge shadow of the scanner lid along one side, and optionally two punched-hole shadows in
   the left margin (`scan.holes: true`); a received-stamp ("ONTVANGEN" / a date, a rotated
   double frame, `scan.stamp`) is pressed on the first page whose clean text contains
   `scan.stamp.anchor` (e.g. the reaction letter's "Geachte …");
4. each page image is saved as a greyscale JPEG (`scan.quality`, default 45) and read by Tesseract
   5 (`tesseract page.jpg page -l nld --psm 3 --oem 1 pdf`, LSTM engine, Dutch model, one thread:
   OMP_THREAD_LIMIT=1), which writes a one-page PDF: the JPEG as is (DCT) plus the invisible
   GlyphLessFont text layer — exactly what `ocrmypdf`'s hOCR/sandwich renderers do;
5. the one-page PDFs are joined with pikepdf into one PDF with a fresh info dictionary: Title and
   Author only when `pdf_info: true` (as a scanning station fills them in), Creator "Tesseract 5.3.0
   OCR (produce_ocrscan)", Producer pikepdf's, no dates; a fixed /ID (pikepdf `deterministic_id`).
   No outline whatever the spec says (a scan has none), and no page labels.

The gold is the spec's, as for every producer: the OCR text is *not* the gold. make.py locates the
items in the text layer; OCR errors in a 40-character head would make that fail (it raises), so
the producer only checks that the spec can be located (see the README's h9a notes for what was
found).

Optional spec keys this renderer reads (ignored by spec.py):
  scan: {base, dpi, quality, max_skew, seed, paper, noise, blur, holes, edge,
         stamp: {anchor, lines, page_offset}}   (not `on`: YAML reads that as true)
plus all keys of the base renderer (house, letterhead, ...).

Deterministic: all randomness comes from `random.Random(seed + page)` / numpy's
`default_rng(seed + page)`; Tesseract with one thread gives the same text layer on every run;
Tesseract's own per-page dates are dropped with its info dictionaries when the pages are joined.
"""
from __future__ import annotations

import importlib
import math
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

DEFAULT_SCAN = {
    "base": "weasyprint",
    "dpi": 250,
    "quality": 45,
    "max_skew": 0.7,
    "seed": 11,
    "paper": 232,       # grey level of the paper
    "noise": 3.5,       # standard deviation of the sensor noise
    "blur": 0.7,        # Gaussian blur radius in pixels
    "holes": False,
    "edge": "left",     # side with the scanner-lid shadow
    "stamp": None,
}
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))


def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    for folder, name in ((FONT_DIRS[1], "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"),
                         (FONT_DIRS[0], "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")):
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default()


def _stamp_layer(size: tuple[int, int], lines: list[str], dpi: int, rng: random.Random) -> Image.Image:
    """A received-stamp as a mask (255 = ink) the size of the page, placed upper right, rotated."""
    px = dpi / 25.4
    w, h = int(62 * px), int(8 * px + 9 * px * len(lines))
    stamp = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(stamp)
    d.rectangle([2, 2, w - 3, h - 3], outline=255, width=int(0.9 * px))
    d.rectangle([int(1.6 * px), int(1.6 * px), w - int(1.6 * px), h - int(1.6 * px)], outline=255, width=int(0.35 * px))
    y = int(4 * px)
    for n, line in enumerate(lines):
        font = _font(int((5.2 if n == 0 else 4.4) * px), bold=True)
        tw = d.textlength(line, font=font)
        d.text(((w - tw) / 2, y), line, font=font, fill=255)
        y += int(9 * px)
    # uneven ink: knock out random specks
    arr = np.array(stamp, dtype=np.float32)
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    arr *= (nrng.random(arr.shape) > 0.12)
    stamp = Image.fromarray(arr.astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    stamp = stamp.rotate(rng.uniform(3, 5), resample=Image.BICUBIC, expand=True, fillcolor=0)
    page = Image.new("L", size, 0)
    page.paste(stamp, (int(size[0] - stamp.width - 24 * px), int(58 * px)))
    return page


def degrade(img: Image.Image, page_no: int, cfg: dict[str, Any], stamp: list[str] | None = None) -> Image.Image:
    """A clean greyscale page image → what an office copier's scanner makes of it."""
    seed = int(cfg["seed"]) * 1000 + page_no
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    dpi = int(cfg["dpi"])
    w, h = img.size
    ink = 255 - np.asarray(img, dtype=np.float32)            # 0 = paper, 255 = black
    if stamp:
        mask = np.asarray(_stamp_layer((w, h), stamp, dpi, rng), dtype=np.float32)
        ink = np.maximum(ink, mask * 0.8)                     # a stamp in mid-grey ink (a red/blue pad, greyscale)
    # paper: grey tone, faint large-scale shading
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    shade = 6.0 * np.sin(xx / w * math.pi * rng.uniform(0.6, 1.4) + rng.uniform(0, 3)) \
        + 4.0 * np.cos(yy / h * math.pi * rng.uniform(0.5, 1.2))
    paper = float(cfg["paper"]) + shade
    # toner is not quite black
    out = paper - ink / 255.0 * (paper - 28.0)
    img2 = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    # skew (the sheet lay a little askew on the glass)
    angle = rng.uniform(0.15, float(cfg["max_skew"])) * rng.choice((-1, 1))
    img2 = img2.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=int(cfg["paper"]))
    # soft focus
    img2 = img2.filter(ImageFilter.GaussianBlur(float(cfg["blur"])))
    arr = np.asarray(img2, dtype=np.float32)
    # scanner-lid shadow along one edge
    edge_w = int(7 * dpi / 25.4)
    ramp = np.clip(1.0 - np.arange(edge_w, dtype=np.float32) / edge_w, 0, 1) ** 2 * 150.0
    if cfg.get("edge") == "left":
        arr[:, :edge_w] -= ramp[None, :]
    elif cfg.get("edge") == "right":
        arr[:, w - edge_w:] -= ramp[::-1][None, :]
    # punched holes (two, left margin, 80 mm apart) — dark discs with a soft rim
    if cfg.get("holes"):
        r = 2.8 * dpi / 25.4
        cx = 11 * dpi / 25.4
        for cy in (h / 2 - 40 * dpi / 25.4, h / 2 + 40 * dpi / 25.4):
            dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
            disc = np.clip((r + 3 - dist) / 6.0, 0, 1)
            arr = arr * (1 - disc) + 55.0 * disc
    # sensor noise and dust
    arr = arr + nrng.normal(0.0, float(cfg["noise"]), arr.shape).astype(np.float32)
    for _ in range(rng.randrange(40, 90)):
        x, y = rng.randrange(w), rng.randrange(h)
        rad = rng.choice((1, 1, 2, 3))
        arr[max(0, y - rad):y + rad, max(0, x - rad):x + rad] = rng.choice((70.0, 110.0, 150.0))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _ocr_page(jpg: Path, out_base: Path) -> Path:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(["tesseract", str(jpg), str(out_base), "-l", "nld", "--psm", "3", "--oem", "1", "pdf"],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out_base.with_suffix(".pdf")


def render(spec: dict[str, Any], out_pdf: Path) -> None:
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    cfg = {**DEFAULT_SCAN, **(spec.get("scan") or {})}
    base = importlib.import_module(f"produce_{cfg['base']}")
    dpi = int(cfg["dpi"])
    stamp_cfg = cfg.get("stamp") or {}
    with tempfile.TemporaryDirectory(prefix="ocrscan_") as tmp:
        work = Path(tmp)
        clean = work / "clean.pdf"
        base.render({**spec, "producer": cfg["base"]}, clean)
        doc = pdfium.PdfDocument(str(clean))
        stamp_page = None
        if stamp_cfg:
            if not stamp_cfg.get("anchor"):
                raise ValueError(f"{spec['id']}: scan.stamp needs an 'anchor' (text on the page to stamp)")
            for i in range(len(doc)):
                if stamp_cfg["anchor"] in doc[i].get_textpage().get_text_range():
                    stamp_page = i + int(stamp_cfg.get("page_offset", 0))
                    break
            if stamp_page is None:
                raise ValueError(f"{spec['id']}: stamp anchor {stamp_cfg['anchor']!r} not found")
        parts = []
        for i in range(len(doc)):
            bitmap = doc[i].render(scale=dpi / 72, grayscale=True)
            img = bitmap.to_pil().convert("L")
            img = degrade(img, i, cfg, stamp_cfg.get("lines") if i == stamp_page else None)
            jpg = work / f"p{i:03d}.jpg"
            img.save(jpg, format="JPEG", quality=int(cfg["quality"]), dpi=(dpi, dpi), optimize=True)
            parts.append(_ocr_page(jpg, work / f"p{i:03d}"))
        doc.close()
        pdf = pikepdf.new()
        for part in parts:
            with pikepdf.open(part) as src:
                pdf.pages.extend(src.pages)
        info = pikepdf.Dictionary(Creator=pikepdf.String("Tesseract 5.3.0 OCR (produce_ocrscan)"))
        if spec.get("pdf_info"):
            info.Title = pikepdf.String(spec["meta"]["title"])
            info.Author = pikepdf.String(spec["meta"].get("rekenkamer", ""))
        pdf.trailer.Info = pdf.make_indirect(info)
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata
        pdf.save(out_pdf, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
